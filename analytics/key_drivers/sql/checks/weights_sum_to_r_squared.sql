-- Fitted cells whose importance weights do not add up to the cell's R^2, whose shares do
-- not add up to 1, or whose rows disagree on R^2. R^2 is computed apart from the weights
-- (the regression's own r_xy' R_xx^-1 r_xy), so this checks the decomposition.
select
    survey_id,
    outcome_item_id,
    period_grain,
    period_start,
    segment_type,
    segment_value,
    max(r_squared) as r_squared,
    sum(importance_weight) as weights,
    sum(importance_share) as shares
from marts.metrics_key_drivers
where model_status = 'fitted'
group by survey_id, outcome_item_id, period_grain, period_start, segment_type, segment_value
having abs(sum(importance_weight) - max(r_squared)) > $tolerance
    or min(r_squared) <> max(r_squared)
    or (max(r_squared) > 0 and abs(sum(importance_share) - 1) > $tolerance)
order by survey_id, outcome_item_id, period_grain, period_start, segment_type, segment_value
