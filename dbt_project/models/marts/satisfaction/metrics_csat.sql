{#- CSAT (top-two-box share x 100) by period and segment with the Wilson 95% interval
    and the change against the previous period (METRICS.md); periods, segments and the
    comparison come from period_segment_metric. -#}

{%- set cell_aggregates -%}
        sum(case when is_top_box then 1 else 0 end) as top_box_count
{%- endset %}

{%- set scores -%}
        top_box_count * 1.0 / n as top_box_share,
        {{ wilson_lower('top_box_count', 'n') }} as wilson_lower_share,
        {{ wilson_upper('top_box_count', 'n') }} as wilson_upper_share
{%- endset %}

{%- set comparisons -%}
        previous_period.top_box_share as previous_top_box_share,
        {{ two_proportion_z(
            'this_period.top_box_share', 'this_period.n',
            'previous_period.top_box_share', 'previous_period.n'
        ) }} as csat_change_z
{%- endset %}

{%- set measure_outputs -%}
        cast(top_box_count as {{ dbt.type_bigint() }}) as top_box_count,
        {{ round_metric('100 * top_box_share') }} as csat,
        {{ round_metric('100 * wilson_lower_share') }} as csat_ci_lower,
        {{ round_metric('100 * wilson_upper_share') }} as csat_ci_upper,
        {#- The Wilson interval is not symmetric: the margin is its half-width. -#}
        {{ round_metric('50 * (wilson_upper_share - wilson_lower_share)') }} as csat_ci_margin
{%- endset %}

{%- set change_outputs -%}
        {{ round_metric('100 * previous_top_box_share') }} as previous_csat,
        {{ round_metric('100 * (top_box_share - previous_top_box_share)') }} as csat_change,
        {{ round_metric('csat_change_z') }} as csat_change_z
{%- endset %}

with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

{{ period_segment_metric(
    instrument='csat',
    item_measures={'is_top_box': 'is_top_box'},
    item_filter='is_top_box is not null',
    cell_aggregates=cell_aggregates,
    scores=scores,
    comparisons=comparisons,
    change_z_column='csat_change_z',
    measure_outputs=measure_outputs,
    change_outputs=change_outputs,
) }}
