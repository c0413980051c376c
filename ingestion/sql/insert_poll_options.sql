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
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_poll_options
