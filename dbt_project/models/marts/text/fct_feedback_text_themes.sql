{#- One row per text and theme it mentions: the bridge BI tools filter texts by theme
    with, carrying what the theme metrics aggregate. -#}
with

texts as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_text') }}

),

mentions as {{ not_materialized() }} (

    select * from {{ ref('stg_analytics__text_theme_mentions') }}

),

final as (

    select
        mentions.text_theme_id,
        mentions.feedback_item_id,
        mentions.theme,
        texts.source,
        texts.channel,
        texts.language,
        texts.occurred_at,
        texts.brand,
        texts.is_own_brand,
        texts.sentiment_score,
        texts.sentiment_label
    from mentions
    inner join texts
        on mentions.feedback_item_id = texts.feedback_item_id
        and mentions.dictionary_version = texts.dictionary_version

)

select * from final
