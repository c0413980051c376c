{#- NPS by period and segment with the adjusted-Wald 95% interval and the change against
    the previous period (METRICS.md). Only nps items on a true 0..10 scale count. -#}
with

feedback_items as (

    select * from {{ ref('fct_feedback_items') }}

),

nps_items as (

    select
        occurred_at,
        channel,
        touchpoint,
        product,
        location,
        source,
        nps_group
    from feedback_items
    where instrument = 'nps'
        and nps_group is not null

),

cells as (

    {{ metric_cells('nps_items', ['nps_group']) }}

),

cell_counts as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as n,
        sum(case when nps_group = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_group = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_group = 'detractor' then 1 else 0 end) as detractors
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
        {{ nps_score('promoters', 'detractors', 'n') }} as nps,
        {{ nps_standard_error('promoters', 'detractors', 'n') }} as nps_standard_error,
        {{ nps_margin('promoters', 'detractors', 'n') }} as nps_ci_margin,
        n < {{ var('small_sample_min') }} as is_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from cell_counts

),

compared as (

    select
        this_period.*,
        previous_period.nps as previous_nps,
        previous_period.is_small_sample as previous_is_small_sample,
        (this_period.nps - previous_period.nps) / nullif(sqrt(
            this_period.nps_standard_error * this_period.nps_standard_error
            + previous_period.nps_standard_error * previous_period.nps_standard_error
        ), 0) as nps_change_z
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
        cast(promoters as {{ dbt.type_bigint() }}) as promoters,
        cast(passives as {{ dbt.type_bigint() }}) as passives,
        cast(detractors as {{ dbt.type_bigint() }}) as detractors,
        {{ round_metric('nps') }} as nps,
        {{ round_metric('greatest(nps - nps_ci_margin, -100)') }} as nps_ci_lower,
        {{ round_metric('least(nps + nps_ci_margin, 100)') }} as nps_ci_upper,
        {{ round_metric('nps_ci_margin') }} as nps_ci_margin,
        is_small_sample,
        previous_period_start,
        {{ round_metric('previous_nps') }} as previous_nps,
        {{ round_metric('nps - previous_nps') }} as nps_change,
        {{ round_metric('nps_change_z') }} as nps_change_z,
        {{ is_change_significant('nps_change_z', 'is_small_sample', 'previous_is_small_sample') }} as is_change_significant
    from compared

)

select * from final
