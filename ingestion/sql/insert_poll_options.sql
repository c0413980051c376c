insert into raw.poll_options by name
select
    poll_id,
    platform,
    question,
    option_position,
    option_label,
    votes,
    voting_status,
    started_at,
    ends_at,
    topic,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_poll_options
