-- Rows breaking a rule of the model, per rule (each count should be 0).
select
    count(*) as rows_checked,
    count(*) filter (where complete_responses <= 0) as no_responses,
    count(*) filter (where is_small_sample <> (complete_responses < $small_sample_min))
        as small_sample_flag_wrong,
    count(*) filter (where model_status not in ('fitted', 'too_few_responses', 'outcome_constant'))
        as unknown_status,
    count(*) filter (
        where (model_status = 'fitted') <> (
            r_squared is not null
            and importance_weight is not null
            and importance_rank is not null
            and quadrant is not null
        )
    ) as importance_not_iff_fitted,
    count(*) filter (where r_squared < 0 or r_squared > 1 + $tolerance) as r_squared_out_of_range,
    count(*) filter (where importance_weight < 0 or importance_weight > r_squared + $tolerance)
        as weight_out_of_range,
    count(*) filter (where abs(correlation) > 1 + $tolerance) as correlation_out_of_range,
    count(*) filter (where performance_mean < 0 or performance_mean > 1) as performance_out_of_range,
    count(*) filter (where top_two_box_share < 0 or top_two_box_share > 1) as top_two_box_out_of_range,
    count(*) filter (
        where quadrant not in ('fix_first', 'keep_up', 'possible_overkill', 'secondary')
    ) as unknown_quadrant
from marts.metrics_key_drivers
