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
    concat(
        $file_name, ', data row ', staged._row_number, ': mojibake in ', found.column_name,
        ' ("', found.excerpt, '"): UTF-8 text decoded as Windows-1252 and saved again;',
        ' re-export the file as UTF-8 and deliver it again'
    ),
    $loaded_at
from staged
inner join staged_mojibake as found
    on staged._row_number = found._row_number
