insert into raw.case_actions by name
select
    case_id,
    action,
    actor,
    acted_at,
    note,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_case_actions
