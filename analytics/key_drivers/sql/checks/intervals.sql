-- Every interval against its estimate. The Wilson interval always holds its share; a
-- bootstrap percentile interval is ordered and within 0..1, but may leave out its own
-- estimate: a weight near zero is biased upwards, so its resamples mostly lie above it.
select
    count(*) as rows_checked,
    count(*) filter (where model_status = 'fitted') as fitted_rows,
    count(*) filter (
        where top_two_box_ci_lower > top_two_box_share + $tolerance
            or top_two_box_ci_upper < top_two_box_share - $tolerance
            or top_two_box_ci_lower < 0
            or top_two_box_ci_upper > 1
    ) as wilson_outside,
    count(*) filter (
        where model_status = 'fitted'
            and not coalesce(
                importance_ci_lower >= 0
                and importance_ci_lower <= importance_ci_upper
                and importance_ci_upper <= 1,
                false
            )
    ) as bootstrap_malformed,
    count(*) filter (
        where model_status = 'fitted'
            and (
                importance_weight < importance_ci_lower - $tolerance
                or importance_weight > importance_ci_upper + $tolerance
            )
    ) as weight_outside_bootstrap,
    max(importance_weight) filter (
        where model_status = 'fitted'
            and (
                importance_weight < importance_ci_lower - $tolerance
                or importance_weight > importance_ci_upper + $tolerance
            )
    ) as largest_weight_outside
from marts.metrics_key_drivers
