{#- CES by period and segment: mean on the 1..7 agreement scale (after direction), the
    share agreeing (5..7), the 95% interval of the mean and the change against the
    previous period (METRICS.md); periods, segments and the comparison come from
    period_segment_metric. -#}

{%- set cell_aggregates -%}
        sum(case when is_ces_agree then 1 else 0 end) as agree_count,
        avg(ces_score) as ces_mean,
        {#- Sample standard deviation; null for a single response, so no interval. -#}
        stddev_samp(ces_score) as ces_standard_deviation
{%- endset %}

{%- set scores -%}
        1.96 * ces_standard_deviation / sqrt(n) as ces_ci_margin
{%- endset %}

{%- set comparisons -%}
        previous_period.ces_mean as previous_ces_mean,
        {{ two_mean_z(
            'this_period.ces_mean', 'this_period.ces_standard_deviation', 'this_period.n',
            'previous_period.ces_mean', 'previous_period.ces_standard_deviation', 'previous_period.n'
        ) }} as ces_change_z
{%- endset %}

{%- set measure_outputs -%}
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
        {{ round_metric('ces_standard_deviation') }} as ces_standard_deviation
{%- endset %}

{%- set change_outputs -%}
        {{ round_metric('previous_ces_mean') }} as previous_ces,
        {{ round_metric('ces_mean - previous_ces_mean') }} as ces_change,
        {{ round_metric('ces_change_z') }} as ces_change_z
{%- endset %}

with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

{{ period_segment_metric(
    instrument='ces',
    item_measures={
        'ces_score': ces_score_1_to_7('score_value', 'scale_min', 'scale_max', 'direction'),
        'is_ces_agree': 'is_ces_agree',
    },
    item_filter='score_value is not null',
    cell_aggregates=cell_aggregates,
    scores=scores,
    comparisons=comparisons,
    change_z_column='ces_change_z',
    measure_outputs=measure_outputs,
    change_outputs=change_outputs,
) }}
