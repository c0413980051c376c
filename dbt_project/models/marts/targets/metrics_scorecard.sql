{#- Every headline metric in one long table, as targets, benchmarks and alerts read them:
    one row per metric, period and segment with its value, 95% interval, n, the value of
    the previous period of the same grain and segment, the change, its z and whether it
    is significant (neither cell a small sample and |z| > 1.96). Metrics: nps, csat, ces
    (from their marts), average_rating, low_rating_share and high_rating_share (from
    metrics_review_ratings: platform `all` by overall, product and location segment, and
    each platform as segment type `platform`) and repeat_purchase_rate (from
    metrics_repeat_purchase). -#}
with

nps as {{ not_materialized() }} (

    select * from {{ ref('metrics_nps') }}

),

csat as {{ not_materialized() }} (

    select * from {{ ref('metrics_csat') }}

),

ces as {{ not_materialized() }} (

    select * from {{ ref('metrics_ces') }}

),

ratings as {{ not_materialized() }} (

    select * from {{ ref('metrics_review_ratings') }}

),

repeat_purchase as {{ not_materialized() }} (

    select * from {{ ref('metrics_repeat_purchase') }}

),

survey_metrics as (

    select
        'nps' as metric,
        true as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        nps as metric_value,
        nps_ci_lower as ci_lower,
        nps_ci_upper as ci_upper,
        previous_period_start,
        previous_nps as previous_value,
        nps_change as metric_change,
        nps_change_z as change_z,
        is_small_sample,
        is_change_significant
    from nps
    union all
    select
        'csat' as metric,
        true as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        csat as metric_value,
        csat_ci_lower as ci_lower,
        csat_ci_upper as ci_upper,
        previous_period_start,
        previous_csat as previous_value,
        csat_change as metric_change,
        csat_change_z as change_z,
        is_small_sample,
        is_change_significant
    from csat
    union all
    select
        'ces' as metric,
        true as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        ces as metric_value,
        ces_ci_lower as ci_lower,
        ces_ci_upper as ci_upper,
        previous_period_start,
        previous_ces as previous_value,
        ces_change as metric_change,
        ces_change_z as change_z,
        is_small_sample,
        is_change_significant
    from ces

),

rating_cells as (

    {#- Platform `all` by segment, and every platform's overall cell as segment `platform`. -#}
    select
        period_grain,
        period_start,
        case when platform = 'all' then segment_type else 'platform' end as segment_type,
        case when platform = 'all' then segment_value else platform end as segment_value,
        n,
        {{ star_sum('one_star_count', 'two_star_count', 'three_star_count', 'four_star_count', 'five_star_count') }}
            as rating_sum,
        {{ star_sum_of_squares('one_star_count', 'two_star_count', 'three_star_count', 'four_star_count', 'five_star_count') }}
            as rating_sum_of_squares,
        one_star_count + two_star_count as low_count,
        four_star_count + five_star_count as high_count,
        is_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from ratings
    where platform = 'all'
        or segment_type = 'overall'

),

rating_scores as (

    select
        *,
        rating_sum / n as average_rating,
        {{ standard_deviation_from_sums('n', 'rating_sum', 'rating_sum_of_squares') }} as rating_sd,
        low_count * 1.0 / n as low_share,
        high_count * 1.0 / n as high_share
    from rating_cells

),

rating_compared as (

    select
        this_period.*,
        previous_period.n as previous_n,
        previous_period.average_rating as previous_average_rating,
        previous_period.rating_sd as previous_rating_sd,
        previous_period.low_share as previous_low_share,
        previous_period.high_share as previous_high_share,
        previous_period.is_small_sample as previous_is_small_sample
    from rating_scores as this_period
    left join rating_scores as previous_period
        on this_period.period_grain = previous_period.period_grain
        and this_period.segment_type = previous_period.segment_type
        and this_period.segment_value = previous_period.segment_value
        and this_period.previous_period_start = previous_period.period_start

),

rating_metrics as (

    select
        'average_rating' as metric,
        true as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        average_rating as metric_value,
        {#- greatest/least skip nulls: a single review (no deviation) has no interval. -#}
        case when rating_sd is not null then greatest(average_rating - 1.96 * rating_sd / sqrt(n), 1.0) end
            as ci_lower,
        case when rating_sd is not null then least(average_rating + 1.96 * rating_sd / sqrt(n), 5.0) end
            as ci_upper,
        previous_period_start,
        previous_average_rating as previous_value,
        average_rating - previous_average_rating as metric_change,
        {{ two_mean_z('average_rating', 'rating_sd', 'n', 'previous_average_rating', 'previous_rating_sd', 'previous_n') }}
            as change_z,
        is_small_sample,
        previous_is_small_sample
    from rating_compared
    union all
    select
        'low_rating_share' as metric,
        false as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        100 * low_share as metric_value,
        100 * {{ wilson_lower('low_count', 'n') }} as ci_lower,
        100 * {{ wilson_upper('low_count', 'n') }} as ci_upper,
        previous_period_start,
        100 * previous_low_share as previous_value,
        100 * (low_share - previous_low_share) as metric_change,
        {{ two_proportion_z('low_share', 'n', 'previous_low_share', 'previous_n') }} as change_z,
        is_small_sample,
        previous_is_small_sample
    from rating_compared
    union all
    select
        'high_rating_share' as metric,
        true as higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        100 * high_share as metric_value,
        100 * {{ wilson_lower('high_count', 'n') }} as ci_lower,
        100 * {{ wilson_upper('high_count', 'n') }} as ci_upper,
        previous_period_start,
        100 * previous_high_share as previous_value,
        100 * (high_share - previous_high_share) as metric_change,
        {{ two_proportion_z('high_share', 'n', 'previous_high_share', 'previous_n') }} as change_z,
        is_small_sample,
        previous_is_small_sample
    from rating_compared

),

repeat_cells as (

    select
        window_grain as period_grain,
        window_start as period_start,
        segment_type,
        segment_value,
        customers as n,
        repeat_customers * 1.0 / customers as repeat_share,
        repeat_purchase_rate,
        repeat_purchase_rate_lower_95,
        repeat_purchase_rate_upper_95,
        is_small_sample,
        {{ previous_period_start('window_grain', 'window_start') }} as previous_period_start
    from repeat_purchase

),

repeat_metrics as (

    select
        'repeat_purchase_rate' as metric,
        true as higher_is_better,
        this_period.period_grain,
        this_period.period_start,
        this_period.segment_type,
        this_period.segment_value,
        this_period.n,
        this_period.repeat_purchase_rate as metric_value,
        this_period.repeat_purchase_rate_lower_95 as ci_lower,
        this_period.repeat_purchase_rate_upper_95 as ci_upper,
        this_period.previous_period_start,
        previous_period.repeat_purchase_rate as previous_value,
        this_period.repeat_purchase_rate - previous_period.repeat_purchase_rate as metric_change,
        {{ two_proportion_z('this_period.repeat_share', 'this_period.n', 'previous_period.repeat_share', 'previous_period.n') }}
            as change_z,
        this_period.is_small_sample,
        previous_period.is_small_sample as previous_is_small_sample
    from repeat_cells as this_period
    left join repeat_cells as previous_period
        on this_period.period_grain = previous_period.period_grain
        and this_period.segment_type = previous_period.segment_type
        and this_period.segment_value = previous_period.segment_value
        and this_period.previous_period_start = previous_period.period_start

),

computed_metrics as (

    select
        metric,
        higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        metric_value,
        ci_lower,
        ci_upper,
        previous_period_start,
        previous_value,
        metric_change,
        change_z,
        is_small_sample,
        {{ is_change_significant('change_z', 'is_small_sample', 'previous_is_small_sample') }}
            as is_change_significant
    from rating_metrics
    union all
    select
        metric,
        higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        metric_value,
        ci_lower,
        ci_upper,
        previous_period_start,
        previous_value,
        metric_change,
        change_z,
        is_small_sample,
        {{ is_change_significant('change_z', 'is_small_sample', 'previous_is_small_sample') }}
            as is_change_significant
    from repeat_metrics

),

unioned as (

    select * from survey_metrics
    union all
    select * from computed_metrics

),

final as (

    select
        {{ surrogate_key(['metric', 'period_grain', 'period_start', 'segment_type', 'segment_value']) }} as metric_row_id,
        metric,
        higher_is_better,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        cast(n as {{ dbt.type_bigint() }}) as n,
        {{ round_metric('metric_value') }} as metric_value,
        {{ round_metric('ci_lower') }} as ci_lower,
        {{ round_metric('ci_upper') }} as ci_upper,
        previous_period_start,
        {{ round_metric('previous_value') }} as previous_value,
        {{ round_metric('metric_change') }} as metric_change,
        {{ round_metric('change_z') }} as change_z,
        is_small_sample,
        is_change_significant
    from unioned

)

select * from final
