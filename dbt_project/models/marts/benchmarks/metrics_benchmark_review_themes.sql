{#- What each brand's reviews talk about, and how they feel, when the project has a text
    analytics mart (var feedback_text_model; otherwise this model is disabled): per brand
    and theme, all time and all platforms, the brand's reviews with a scored text, the
    reviews mentioning the theme and their share, and the shares of those mentions that
    read positive and negative, beside the brand's overall positive and negative shares.
    What competitors are praised for is their themes with a high positive share. -#}
{{ config(enabled=var('feedback_text_model', none) is not none) }}

with

reviews as {{ not_materialized() }} (

    select * from {{ ref('fct_brand_reviews') }}

),

{% if feedback_text_enabled() %}
sentiments as (

    {{ feedback_text_signals() }}

),

mentions as (

    {{ feedback_text_themes() }}

),
{% endif %}

scored_reviews as (

    select
        reviews.brand,
        reviews.is_own_brand,
        reviews.feedback_item_id,
        sentiments.sentiment_label
    from reviews
    inner join sentiments
        on reviews.feedback_item_id = sentiments.feedback_item_id

),

brand_totals as (

    select
        brand,
        is_own_brand,
        count(*) as scored_reviews,
        sum(case when sentiment_label = 'positive' then 1 else 0 end) as positive_reviews,
        sum(case when sentiment_label = 'negative' then 1 else 0 end) as negative_reviews
    from scored_reviews
    group by
        brand,
        is_own_brand

),

theme_counts as (

    select
        scored_reviews.brand,
        mentions.theme,
        count(distinct scored_reviews.feedback_item_id) as mentions,
        count(distinct case when mentions.sentiment_label = 'positive' then scored_reviews.feedback_item_id end)
            as positive_mentions,
        count(distinct case when mentions.sentiment_label = 'negative' then scored_reviews.feedback_item_id end)
            as negative_mentions
    from scored_reviews
    inner join mentions
        on scored_reviews.feedback_item_id = mentions.feedback_item_id
    group by
        scored_reviews.brand,
        mentions.theme

),

final as (

    select
        {{ surrogate_key(['theme_counts.brand', 'theme_counts.theme']) }} as brand_theme_id,
        theme_counts.brand,
        brand_totals.is_own_brand,
        theme_counts.theme,
        cast(brand_totals.scored_reviews as {{ dbt.type_bigint() }}) as scored_reviews,
        cast(theme_counts.mentions as {{ dbt.type_bigint() }}) as mentions,
        {{ round_metric(share_percent('theme_counts.mentions', 'brand_totals.scored_reviews')) }} as mention_share,
        {{ round_metric(share_percent('theme_counts.positive_mentions', 'theme_counts.mentions')) }}
            as positive_share_of_mentions,
        {{ round_metric(share_percent('theme_counts.negative_mentions', 'theme_counts.mentions')) }}
            as negative_share_of_mentions,
        {{ round_metric(share_percent('brand_totals.positive_reviews', 'brand_totals.scored_reviews')) }}
            as brand_positive_share,
        {{ round_metric(share_percent('brand_totals.negative_reviews', 'brand_totals.scored_reviews')) }}
            as brand_negative_share,
        theme_counts.mentions < {{ var('small_sample_min') }} as is_small_sample
    from theme_counts
    inner join brand_totals
        on theme_counts.brand = brand_totals.brand

)

select * from final
