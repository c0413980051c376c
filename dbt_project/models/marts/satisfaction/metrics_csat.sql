{#- CSAT (top-two-box share x 100) by period and segment with the Wilson 95% interval
    and the change against the previous period (METRICS.md). -#}
with

feedback_items as (

    select * from {{ ref('fct_feedback_items') }}

),

csat_items as (

    select
        occurred_at,
        channel,
        touchpoint,
        product,
        location,
        source,
        is_top_box
    from feedback_items
    where instrument = 'csat'
        and is_top_box is not null

),

cells as (

    {{ metric_cells('csat_items', ['is_top_box']) }}

),

cell_counts as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as n,
        sum(case when is_top_box then 1 else 0 end) as top_box_count
    from cells
    group by
        period_grain,
        period_start,
        segment_type,
        segment_value

),

scored as (

    select
        *,
        top_box_count * 1.0 / n as top_box_share,
        {{ wilson_lower('top_box_count', 'n') }} as wilson_lower_share,
        {{ wilson_upper('top_box_count', 'n') }} as wilson_upper_share,
        n < {{ var('small_sample_min') }} as is_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from cell_counts

),

compared as (

    select
        this_period.*,
        previous_period.top_box_share as previous_top_box_share,
        previous_period.is_small_sample as previous_is_small_sample,
        {{ two_proportion_z(
            'this_period.top_box_share', 'this_period.n',
            'previous_period.top_box_share', 'previous_period.n'
        ) }} as csat_change_z
    from scored as this_period
    left join scored as previous_period
        on this_period.period_grain = previous_period.period_grain
        and this_period.segment_type = previous_period.segment_type
        and this_period.segment_value = previous_period.segment_value
        and this_period.previous_period_start = previous_period.period_start

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'segment_type', 'segment_value']) }} as metric_row_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        cast(n as {{ dbt.type_bigint() }}) as n,
        cast(top_box_count as {{ dbt.type_bigint() }}) as top_box_count,
        {{ round_metric('100 * top_box_share') }} as csat,
        {{ round_metric('100 * wilson_lower_share') }} as csat_ci_lower,
        {{ round_metric('100 * wilson_upper_share') }} as csat_ci_upper,
        {#- The Wilson interval is not symmetric: the margin is its half-width. -#}
        {{ round_metric('50 * (wilson_upper_share - wilson_lower_share)') }} as csat_ci_margin,
        is_small_sample,
        previous_period_start,
        {{ round_metric('100 * previous_top_box_share') }} as previous_csat,
        {{ round_metric('100 * (top_box_share - previous_top_box_share)') }} as csat_change,
        {{ round_metric('csat_change_z') }} as csat_change_z,
        {{ is_change_significant('csat_change_z', 'is_small_sample', 'previous_is_small_sample') }} as is_change_significant
    from compared

)

select * from final
