insert into raw.case_actions by name
select
    case_id,
    action,
    actor,
    acted_at,
    note,
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_case_actions
