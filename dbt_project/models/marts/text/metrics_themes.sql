{#- Themes by period and segment: how often texts mention each theme, how they feel
    about it, and how the texts that mention it compare with those that do not on NPS
    and star rating, with 95% intervals and the change against the previous period
    (METRICS.md conventions: adjusted-Wald NPS, Wilson shares, normal intervals for
    means, |z| > 1.96 between cells that are not small samples).

    Segments are those of the other metric tables plus the text's language. A cell holds
    every theme, a theme no text of the cell mentions with zero mentions. The NPS columns
    count survey texts whose response has an NPS answer on 0..10; the rating columns,
    reviews. -#}
{%- set segment_types = metric_segment_types() + ['language'] -%}
{%- set measures = ['feedback_item_id', 'sentiment_score', 'has_nps', 'is_promoter', 'is_detractor', 'rating'] -%}

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

text_items as (

    select
        feedback_item_id,
        occurred_at,
        channel,
        touchpoint,
        product,
        location,
        source,
        language,
        sentiment_score,
        case when nps_group is not null then 1 else 0 end as has_nps,
        case when nps_group = 'promoter' then 1 else 0 end as is_promoter,
        case when nps_group = 'detractor' then 1 else 0 end as is_detractor,
        rating
    from texts

),

cells as (

    {{ metric_cells('text_items', measures, segment_types) }}

),

{%- set aggregates -%}
        count(*) as texts,
        count(cells.sentiment_score) as scored,
        sum(cells.sentiment_score) as sentiment_sum,
        sum(cells.sentiment_score * cells.sentiment_score) as sentiment_squares,
        sum(cells.has_nps) as nps_responses,
        sum(cells.is_promoter) as promoters,
        sum(cells.is_detractor) as detractors,
        count(cells.rating) as rated,
        sum(cells.rating) as rating_sum,
        sum(cells.rating * cells.rating) as rating_squares
{%- endset %}

cell_totals as (

    select
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        {{ aggregates }}
    from cells
    group by
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value

),

theme_totals as (

    select
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        mentions.theme,
        {{ aggregates }},
        sum(case when mentions.sentiment_label = 'negative' then 1 else 0 end) as negative_mentions,
        sum(case when mentions.sentiment_label = 'positive' then 1 else 0 end) as positive_mentions
    from cells
    inner join mentions
        on cells.feedback_item_id = mentions.feedback_item_id
    group by
        cells.period_grain,
        cells.period_start,
        cells.segment_type,
        cells.segment_value,
        mentions.theme

),

{%- set groups = {
    'mentioning': 'coalesce(theme_totals.COLUMN, 0)',
    'other': 'cell_totals.COLUMN - coalesce(theme_totals.COLUMN, 0)',
} %}

split as (

    {#- Every theme in every cell: the texts that mention it and the others. -#}
    select
        cell_totals.period_grain,
        cell_totals.period_start,
        cell_totals.segment_type,
        cell_totals.segment_value,
        themes.theme,
        cell_totals.texts,
        coalesce(theme_totals.texts, 0) as mentions,
        coalesce(theme_totals.negative_mentions, 0) as negative_mentions,
        coalesce(theme_totals.positive_mentions, 0) as positive_mentions,
        {%- for group, expression in groups.items() %}
        {%- for column in ['scored', 'sentiment_sum', 'sentiment_squares', 'nps_responses', 'promoters', 'detractors', 'rated', 'rating_sum', 'rating_squares'] %}
        {{ expression | replace('COLUMN', column) }} as {{ group }}_{{ column }}{{ ',' if not (loop.last and group == 'other') }}
        {%- endfor %}
        {%- endfor %}
    from cell_totals
    cross join themes
    left join theme_totals
        on cell_totals.period_grain = theme_totals.period_grain
        and cell_totals.period_start = theme_totals.period_start
        and cell_totals.segment_type = theme_totals.segment_type
        and cell_totals.segment_value = theme_totals.segment_value
        and themes.theme = theme_totals.theme

),

scored as (

    select
        *,
        mentions * 1.0 / texts as share,
        mentioning_sentiment_sum / nullif(mentioning_scored, 0) as mean_sentiment,
        {{ mean_margin('mentioning_sentiment_sum', 'mentioning_sentiment_squares', 'mentioning_scored') }} as mean_sentiment_margin,
        {{ sample_sd('mentioning_sentiment_sum', 'mentioning_sentiment_squares', 'mentioning_scored') }} as sentiment_sd,
        other_sentiment_sum / nullif(other_scored, 0) as other_mean_sentiment,
        {{ nps_score('mentioning_promoters', 'mentioning_detractors', 'mentioning_nps_responses') }} as nps,
        {{ nps_standard_error('mentioning_promoters', 'mentioning_detractors', 'mentioning_nps_responses') }} as nps_se,
        {{ nps_score('other_promoters', 'other_detractors', 'other_nps_responses') }} as other_nps,
        {{ nps_standard_error('other_promoters', 'other_detractors', 'other_nps_responses') }} as other_nps_se,
        mentioning_rating_sum / nullif(mentioning_rated, 0) as average_rating,
        {{ sample_sd('mentioning_rating_sum', 'mentioning_rating_squares', 'mentioning_rated') }} as rating_sd,
        other_rating_sum / nullif(other_rated, 0) as other_average_rating,
        {{ sample_sd('other_rating_sum', 'other_rating_squares', 'other_rated') }} as other_rating_sd,
        mentions < {{ var('small_sample_min') }} as is_small_sample,
        mentioning_nps_responses < {{ var('small_sample_min') }} as is_nps_small_sample,
        other_nps_responses < {{ var('small_sample_min') }} as is_other_nps_small_sample,
        mentioning_rated < {{ var('small_sample_min') }} as is_rating_small_sample,
        other_rated < {{ var('small_sample_min') }} as is_other_rating_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from split

),

differences as (

    select
        *,
        nps - other_nps as nps_difference,
        (nps - other_nps) / nullif(sqrt(nps_se * nps_se + other_nps_se * other_nps_se), 0) as nps_difference_z,
        average_rating - other_average_rating as rating_difference,
        {{ two_mean_z('average_rating', 'rating_sd', 'mentioning_rated', 'other_average_rating', 'other_rating_sd', 'other_rated') }} as rating_difference_z
    from scored

),

compared as (

    select
        this_period.*,
        previous_period.share as previous_share,
        previous_period.mean_sentiment as previous_mean_sentiment,
        previous_period.is_small_sample as previous_is_small_sample,
        {{ two_proportion_z('this_period.share', 'this_period.texts', 'previous_period.share', 'previous_period.texts') }} as share_change_z,
        {{ two_mean_z('this_period.mean_sentiment', 'this_period.sentiment_sd', 'this_period.mentioning_scored', 'previous_period.mean_sentiment', 'previous_period.sentiment_sd', 'previous_period.mentioning_scored') }} as sentiment_change_z
    from differences as this_period
    left join differences as previous_period
        on this_period.period_grain = previous_period.period_grain
        and this_period.segment_type = previous_period.segment_type
        and this_period.segment_value = previous_period.segment_value
        and this_period.theme = previous_period.theme
        and this_period.previous_period_start = previous_period.period_start

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'segment_type', 'segment_value', 'theme']) }} as metric_row_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        theme,
        cast(texts as {{ dbt.type_bigint() }}) as texts,
        cast(mentions as {{ dbt.type_bigint() }}) as mentions,
        {{ round_metric('100.0 * share') }} as share_of_texts,
        {{ round_metric('100.0 * ' ~ wilson_lower('mentions', 'texts')) }} as share_ci_lower,
        {{ round_metric('100.0 * ' ~ wilson_upper('mentions', 'texts')) }} as share_ci_upper,
        cast(negative_mentions as {{ dbt.type_bigint() }}) as negative_mentions,
        cast(positive_mentions as {{ dbt.type_bigint() }}) as positive_mentions,
        {{ round_metric('mean_sentiment') }} as mean_sentiment,
        {{ round_metric('greatest(mean_sentiment - mean_sentiment_margin, -1)') }} as mean_sentiment_ci_lower,
        {{ round_metric('least(mean_sentiment + mean_sentiment_margin, 1)') }} as mean_sentiment_ci_upper,
        {{ round_metric('other_mean_sentiment') }} as other_mean_sentiment,
        cast(mentioning_nps_responses as {{ dbt.type_bigint() }}) as nps_responses,
        {{ round_metric('nps') }} as nps,
        {{ round_metric('greatest(nps - 1.96 * nps_se, -100)') }} as nps_ci_lower,
        {{ round_metric('least(nps + 1.96 * nps_se, 100)') }} as nps_ci_upper,
        cast(other_nps_responses as {{ dbt.type_bigint() }}) as other_nps_responses,
        {{ round_metric('other_nps') }} as other_nps,
        {{ round_metric('nps_difference') }} as nps_difference,
        {{ round_metric('nps_difference_z') }} as nps_difference_z,
        {{ is_change_significant('nps_difference_z', 'is_nps_small_sample', 'is_other_nps_small_sample') }} as is_nps_difference_significant,
        cast(mentioning_rated as {{ dbt.type_bigint() }}) as rated_mentions,
        {{ round_metric('average_rating') }} as average_rating,
        {{ round_metric('greatest(average_rating - 1.96 * rating_sd / sqrt(nullif(mentioning_rated, 0)), 1)') }} as average_rating_ci_lower,
        {{ round_metric('least(average_rating + 1.96 * rating_sd / sqrt(nullif(mentioning_rated, 0)), 5)') }} as average_rating_ci_upper,
        cast(other_rated as {{ dbt.type_bigint() }}) as other_rated,
        {{ round_metric('other_average_rating') }} as other_average_rating,
        {{ round_metric('rating_difference') }} as rating_difference,
        {{ round_metric('rating_difference_z') }} as rating_difference_z,
        {{ is_change_significant('rating_difference_z', 'is_rating_small_sample', 'is_other_rating_small_sample') }} as is_rating_difference_significant,
        is_small_sample,
        previous_period_start,
        {{ round_metric('100.0 * previous_share') }} as previous_share_of_texts,
        {{ round_metric('100.0 * (share - previous_share)') }} as share_change,
        {{ round_metric('share_change_z') }} as share_change_z,
        {{ is_change_significant('share_change_z', 'is_small_sample', 'previous_is_small_sample') }} as is_share_change_significant,
        {{ round_metric('previous_mean_sentiment') }} as previous_mean_sentiment,
        {{ round_metric('mean_sentiment - previous_mean_sentiment') }} as sentiment_change,
        {{ round_metric('sentiment_change_z') }} as sentiment_change_z,
        {{ is_change_significant('sentiment_change_z', 'is_small_sample', 'previous_is_small_sample') }} as is_sentiment_change_significant
    from compared

)

select * from final
