-- What the key-driver model reads of PostgreSQL's marts.fct_feedback_items: the scored
-- survey items it can use, in the columns cell_patterns.sql and driver_items.sql read.
select
    survey_id,
    source_record_id,
    item_id,
    instrument,
    item_name,
    nps_group,
    scale_min,
    scale_max,
    score_value,
    normalised_score,
    channel,
    touchpoint,
    product,
    location,
    occurred_at
from marts.fct_feedback_items
where channel = 'survey'
    and instrument in ('nps', 'csat', 'driver')
