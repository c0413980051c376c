{#- One row per feedback text (ours, and competitors' reviews: is_own_brand) with its language, sentiment and themes (from the text
    scorer) beside its segments and the outcome it goes with (stars, NPS group, CSAT).
    A text whose current version the scorer has not scored yet (a dbt build run without
    the scoring step) is left out until it is. -#}
with

texts as {{ not_materialized() }} (

    select * from {{ ref('int_feedback_texts') }}

),

scores as {{ not_materialized() }} (

    select * from {{ ref('stg_analytics__text_scores') }}

),

final as (

    select
        texts.feedback_item_id,
        texts.source,
        texts.channel,
        texts.survey_id,
        texts.customer_id,
        texts.touchpoint,
        texts.product,
        texts.location,
        texts.occurred_at,
        texts.brand,
        texts.is_own_brand,
        texts.text_value,
        scores.language,
        scores.language_source,
        scores.language_confidence,
        scores.sentiment_score,
        scores.sentiment_label,
        scores.sentiment_model,
        scores.themes,
        scores.theme_count,
        cast(texts.rating as {{ type_double() }}) as rating,
        texts.nps_group,
        texts.is_csat_top_box,
        texts.weak_label,
        scores.model_version,
        scores.dictionary_version,
        scores.scored_at
    from texts
    inner join scores
        on texts.feedback_item_id = scores.feedback_item_id
        and texts.text_hash = scores.text_hash

)

select * from final
