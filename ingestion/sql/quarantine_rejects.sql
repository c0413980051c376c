insert into raw.quarantine (
    load_id, _source, _file_name, _file_hash, line_number, target_table, original_line,
    reason, quarantined_at
)
select
    $load_id,
    $source,
    $file_name,
    $file_hash,
    line,
    $target_table,
    csv_line,
    concat('unparseable record (', lower(error_type), '): ', error_message),
    $loaded_at
from reject_errors
