-- How many cells the model fitted, and how many it could not.
select
    count(distinct key_cell) filter (where model_status = 'fitted') as fitted_cells,
    count(distinct key_cell) filter (where model_status <> 'fitted') as unfitted_cells
from (
    select
        model_status,
        concat_ws('|', survey_id, outcome_item_id, period_grain, period_start, segment_type, segment_value)
            as key_cell
    from marts.metrics_key_drivers
) as cells
