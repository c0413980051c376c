insert into raw.quarantine (
    load_id, _source, _file_name, _file_hash, line_number, target_table, original_line,
    reason, quarantined_at
)
select
    $load_id,
    $source,
    $file_name,
    $file_hash,
    null,
    $target_table,
    to_json(staged),
    case
        when checks.key_value is null
            then concat('missing ', $key_column, ' in data row ', staged._row_number)
        else concat(
            'duplicate ', $key_column, ' ', checks.key_value, ' in data row ',
            staged._row_number, ' (first seen in data row ', checks.first_row, ')'
        )
    end,
    $loaded_at
from staged
inner join staged_key_check as checks
    on staged._row_number = checks._row_number
where checks.key_value is null or checks._row_number <> checks.first_row
