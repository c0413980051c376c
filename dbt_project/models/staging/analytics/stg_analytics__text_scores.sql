with

source as {{ not_materialized() }} (

    select * from {{ source('analytics', 'text_scores') }}

),

final as (

    select
        feedback_item_id,
        text_hash,
        language,
        language_source,
        cast(language_confidence as {{ type_double() }}) as language_confidence,
        cast(sentiment_score as {{ type_double() }}) as sentiment_score,
        sentiment_label,
        sentiment_model,
        themes,
        cast(theme_count as {{ dbt.type_int() }}) as theme_count,
        model_version,
        dictionary_version,
        scored_at
    from source

)

select * from final
