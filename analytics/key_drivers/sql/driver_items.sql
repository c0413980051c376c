-- The driver items of each survey, each with the column its 0..1 scores take in
-- cell_patterns.sql (driver_001, driver_002, ... in item order), its registry name and
-- its scale.
select
    survey_id,
    item_id,
    'driver_' || lpad(
        cast(row_number() over (partition by survey_id order by item_id) as varchar), 3, '0'
    ) as driver_column,
    driver_name,
    scale_min,
    scale_max
from (
    select
        survey_id,
        item_id,
        max(item_name) as driver_name,
        min(scale_min) as scale_min,
        max(scale_max) as scale_max
    from marts.fct_feedback_items
    where channel = 'survey'
        and instrument = 'driver'
    group by survey_id, item_id
) as survey_driver_items
order by survey_id, item_id
