{#- Themes as drivers: for each theme, outcome, period (quarter, all time) and segment,
    how the outcome of the feedback that mentions the theme differs from that of the
    feedback that does not, with its 95% interval, and the theme's share among the
    unhappy (NPS detractors; 1-2 star reviews) against its share among the others.

    outcome 'nps' reads survey texts whose response has an NPS answer on 0..10 (impact
    in NPS points, adjusted-Wald standard errors); outcome 'star_rating' reads reviews
    (impact in stars, Welch standard error). impact_rank orders the themes of a cell and
    outcome from the most harmful (lowest impact) among those whose both groups are at
    least small_sample_min texts; the others are not ranked. -#}
{%- set segment_types = ['overall', 'channel', 'source', 'language', 'product', 'location', 'touchpoint'] -%}

with

feedback_texts as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_text') }}

),

feedback_text_themes as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_text_themes') }}

),

texts as (

    {#- Our own feedback: competitors' reviews are compared in metrics_benchmark_review_themes. -#}
    select * from feedback_texts
    where is_own_brand

),

mentions as (

    select * from feedback_text_themes
    where is_own_brand

),

themes as (

    select distinct theme from mentions

),

outcome_items as (

    {#- One row per text and outcome it carries. -#}
    select
        feedback_item_id,
        occurred_at,
        channel,
        source,
        language,
        product,
        location,
        touchpoint,
        'nps' as outcome,
        case nps_group when 'promoter' then 100.0 when 'detractor' then -100.0 else 0.0 end as outcome_value,
        case when nps_group = 'promoter' then 1 else 0 end as is_promoter,
        case when nps_group = 'detractor' then 1 else 0 end as is_unhappy
    from texts
    where nps_group is not null
    union all
    select
        feedback_item_id,
        occurred_at,
        channel,
        source,
        language,
        product,
        location,
        touchpoint,
        'star_rating' as outcome,
        rating as outcome_value,
        0 as is_promoter,
        case when rating <= 2 then 1 else 0 end as is_unhappy
    from texts
    where rating is not null

),

cells as (

    {{ metric_cells('outcome_items', ['feedback_item_id', 'outcome', 'outcome_value', 'is_promoter', 'is_unhappy'], segment_types, ['quarter', 'all_time']) }}

),

{%- set aggregates -%}
        count(*) as n,
        sum(cells.outcome_value) as value_sum,
        sum(cells.outcome_value * cells.outcome_value) as value_squares,
        sum(cells.is_promoter) as promoters,
        sum(cells.is_unhappy) as unhappy
{%- endset %}

cell_totals as (

    select
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        cells.outcome,
        {{ aggregates }}
    from cells
    group by
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        cells.outcome

),

theme_totals as (

    select
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        cells.outcome,
        mentions.theme,
        {{ aggregates }}
    from cells
    inner join mentions
        on cells.feedback_item_id = mentions.feedback_item_id
    group by
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        cells.outcome,
        mentions.theme

),

split as (

    select
        cell_totals.period_grain,
        cell_totals.period_start,
        cell_totals.segment_type,
        cell_totals.segment_value,
        cell_totals.outcome,
        themes.theme,
        {%- for column in ['n', 'value_sum', 'value_squares', 'promoters', 'unhappy'] %}
        coalesce(theme_totals.{{ column }}, 0) as mentioning_{{ column }},
        cell_totals.{{ column }} - coalesce(theme_totals.{{ column }}, 0) as other_{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from cell_totals
    cross join themes
    left join theme_totals
        on cell_totals.period_grain = theme_totals.period_grain
        and cell_totals.period_start = theme_totals.period_start
        and cell_totals.segment_type = theme_totals.segment_type
        and cell_totals.segment_value = theme_totals.segment_value
        and cell_totals.outcome = theme_totals.outcome
        and themes.theme = theme_totals.theme

),

measured as (

    {#- NPS from promoter and detractor counts (the unhappy are the detractors); a mean
        rating from sums. -#}
    select
        *,
        case
            when outcome = 'nps' then {{ nps_score('mentioning_promoters', 'mentioning_unhappy', 'mentioning_n') }}
            else mentioning_value_sum / nullif(mentioning_n, 0)
        end as mentioning_outcome,
        case
            when outcome = 'nps' then {{ nps_score('other_promoters', 'other_unhappy', 'other_n') }}
            else other_value_sum / nullif(other_n, 0)
        end as other_outcome,
        case
            when outcome = 'nps' then {{ nps_standard_error('mentioning_promoters', 'mentioning_unhappy', 'mentioning_n') }}
            else {{ sample_sd('mentioning_value_sum', 'mentioning_value_squares', 'mentioning_n') }} / sqrt(nullif(mentioning_n, 0))
        end as mentioning_se,
        case
            when outcome = 'nps' then {{ nps_standard_error('other_promoters', 'other_unhappy', 'other_n') }}
            else {{ sample_sd('other_value_sum', 'other_value_squares', 'other_n') }} / sqrt(nullif(other_n, 0))
        end as other_se,
        mentioning_n < {{ var('small_sample_min') }} or other_n < {{ var('small_sample_min') }} as is_small_sample
    from split

),

impacts as (

    select
        *,
        mentioning_outcome - other_outcome as impact,
        sqrt(mentioning_se * mentioning_se + other_se * other_se) as impact_se
    from measured

),

ranked as (

    select
        *,
        (impact / nullif(impact_se, 0)) as impact_z,
        case
            when not is_small_sample and impact is not null then rank() over (
                partition by period_grain, period_start, segment_type, segment_value, outcome, is_small_sample, impact is null
                order by impact
            )
        end as impact_rank
    from impacts

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'segment_type', 'segment_value', 'outcome', 'theme']) }} as metric_row_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        outcome,
        theme,
        cast(mentioning_n as {{ dbt.type_bigint() }}) as mentioning,
        cast(other_n as {{ dbt.type_bigint() }}) as not_mentioning,
        {{ round_metric('mentioning_outcome') }} as outcome_mentioning,
        {{ round_metric('other_outcome') }} as outcome_not_mentioning,
        {{ round_metric('impact') }} as impact,
        {{ round_metric('impact - 1.96 * impact_se') }} as impact_ci_lower,
        {{ round_metric('impact + 1.96 * impact_se') }} as impact_ci_upper,
        {{ round_metric('impact_z') }} as impact_z,
        {{ is_change_significant('impact_z', 'mentioning_n < ' ~ var('small_sample_min'), 'other_n < ' ~ var('small_sample_min')) }} as is_impact_significant,
        cast(impact_rank as {{ dbt.type_int() }}) as impact_rank,
        cast(mentioning_unhappy + other_unhappy as {{ dbt.type_bigint() }}) as unhappy,
        cast(mentioning_unhappy as {{ dbt.type_bigint() }}) as unhappy_mentioning,
        {{ round_metric(share_percent('mentioning_unhappy', 'mentioning_unhappy + other_unhappy')) }} as share_of_unhappy,
        {{ round_metric('100.0 * ' ~ wilson_lower('mentioning_unhappy', 'mentioning_unhappy + other_unhappy')) }} as share_of_unhappy_ci_lower,
        {{ round_metric('100.0 * ' ~ wilson_upper('mentioning_unhappy', 'mentioning_unhappy + other_unhappy')) }} as share_of_unhappy_ci_upper,
        {{ round_metric(share_percent('mentioning_n - mentioning_unhappy', 'mentioning_n + other_n - mentioning_unhappy - other_unhappy')) }} as share_of_others,
        is_small_sample
    from ranked

)

select * from final
