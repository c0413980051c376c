{#- CES by period and segment: mean on the 1..7 agreement scale (after direction), the
    share agreeing (5..7), the 95% interval of the mean and the change against the
    previous period (METRICS.md). -#}
with

feedback_items as (

    select * from {{ ref('fct_feedback_items') }}

),

ces_items as (

    select
        occurred_at,
        channel,
        touchpoint,
        product,
        location,
        source,
        {{ ces_score_1_to_7('score_value', 'scale_min', 'scale_max', 'direction') }} as ces_score,
        is_ces_agree
    from feedback_items
    where instrument = 'ces'
        and score_value is not null

),

cells as (

    {{ metric_cells('ces_items', ['ces_score', 'is_ces_agree']) }}

),

cell_stats as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as n,
        sum(case when is_ces_agree then 1 else 0 end) as agree_count,
        avg(ces_score) as ces_mean,
        {#- Sample standard deviation; null for a single response, so no interval. -#}
        stddev_samp(ces_score) as ces_standard_deviation
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
        1.96 * ces_standard_deviation / sqrt(n) as ces_ci_margin,
        n < {{ var('small_sample_min') }} as is_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from cell_stats

),

compared as (

    select
        this_period.*,
        previous_period.ces_mean as previous_ces_mean,
        previous_period.is_small_sample as previous_is_small_sample,
        {{ two_mean_z(
            'this_period.ces_mean', 'this_period.ces_standard_deviation', 'this_period.n',
            'previous_period.ces_mean', 'previous_period.ces_standard_deviation', 'previous_period.n'
        ) }} as ces_change_z
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
        cast(agree_count as {{ dbt.type_bigint() }}) as agree_count,
        {{ round_metric('ces_mean') }} as ces,
        {#- greatest/least skip nulls, so a cell without a margin (n = 1) needs the guard. -#}
        case
            when ces_ci_margin is not null then {{ round_metric('greatest(ces_mean - ces_ci_margin, 1)') }}
        end as ces_ci_lower,
        case
            when ces_ci_margin is not null then {{ round_metric('least(ces_mean + ces_ci_margin, 7)') }}
        end as ces_ci_upper,
        {{ round_metric('ces_ci_margin') }} as ces_ci_margin,
        {{ round_metric('100.0 * agree_count / n') }} as ces_agree_share,
        {{ round_metric('ces_standard_deviation') }} as ces_standard_deviation,
        is_small_sample,
        previous_period_start,
        {{ round_metric('previous_ces_mean') }} as previous_ces,
        {{ round_metric('ces_mean - previous_ces_mean') }} as ces_change,
        {{ round_metric('ces_change_z') }} as ces_change_z,
        {{ is_change_significant('ces_change_z', 'is_small_sample', 'previous_is_small_sample') }} as is_change_significant
    from compared

)

select * from final
