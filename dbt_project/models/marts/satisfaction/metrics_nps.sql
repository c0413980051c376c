{#- NPS by period and segment with the adjusted-Wald 95% interval and the change against
    the previous period (METRICS.md). Only nps items on a true 0..10 scale count; periods,
    segments and the comparison come from period_segment_metric. -#}

{%- set cell_aggregates -%}
        sum(case when nps_group = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_group = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_group = 'detractor' then 1 else 0 end) as detractors
{%- endset %}

{%- set scores -%}
        {{ nps_score('promoters', 'detractors', 'n') }} as nps,
        {{ nps_standard_error('promoters', 'detractors', 'n') }} as nps_standard_error,
        {{ nps_margin('promoters', 'detractors', 'n') }} as nps_ci_margin
{%- endset %}

{%- set comparisons -%}
        previous_period.nps as previous_nps,
        (this_period.nps - previous_period.nps) / nullif(sqrt(
            this_period.nps_standard_error * this_period.nps_standard_error
            + previous_period.nps_standard_error * previous_period.nps_standard_error
        ), 0) as nps_change_z
{%- endset %}

{%- set measure_outputs -%}
        cast(promoters as {{ dbt.type_bigint() }}) as promoters,
        cast(passives as {{ dbt.type_bigint() }}) as passives,
        cast(detractors as {{ dbt.type_bigint() }}) as detractors,
        {{ round_metric('nps') }} as nps,
        {{ round_metric('greatest(nps - nps_ci_margin, -100)') }} as nps_ci_lower,
        {{ round_metric('least(nps + nps_ci_margin, 100)') }} as nps_ci_upper,
        {{ round_metric('nps_ci_margin') }} as nps_ci_margin
{%- endset %}

{%- set change_outputs -%}
        {{ round_metric('previous_nps') }} as previous_nps,
        {{ round_metric('nps - previous_nps') }} as nps_change,
        {{ round_metric('nps_change_z') }} as nps_change_z
{%- endset %}

with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

{{ period_segment_metric(
    instrument='nps',
    item_measures={'nps_group': 'nps_group'},
    item_filter='nps_group is not null',
    cell_aggregates=cell_aggregates,
    scores=scores,
    comparisons=comparisons,
    change_z_column='nps_change_z',
    measure_outputs=measure_outputs,
    change_outputs=change_outputs,
) }}
