insert into raw.quarantine (
    load_id, _source, _file_name, _file_hash, line_number, target_table, original_line,
    reason, quarantined_at
)
select
    $load_id,
    $source,
    $file_name,
    $file_hash,
    line_number,
    $target_table,
    line,
    case
        when duplicate_key is not null
            then concat('the object names the key "', duplicate_key, '" twice: ambiguous, not loaded')
        when is_valid then 'line is JSON but not an object'
        else 'line is not valid JSON (truncated or malformed)'
    end,
    $loaded_at
from staged_lines
where not is_object
