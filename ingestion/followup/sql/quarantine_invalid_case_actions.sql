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
    concat(invalid.reason, ' in data row ', staged._row_number),
    $loaded_at
from staged
inner join staged_invalid_actions as invalid
    on staged._row_number = invalid._row_number
