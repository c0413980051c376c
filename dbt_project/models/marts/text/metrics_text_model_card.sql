{#- The sentiment model's card: for each fitted model version and language, which model
    scores it (its own, or the multilingual one as a fallback and why), how many labelled
    texts it learned from, and its cross-validated accuracy and macro-F1. language 'all'
    is the multilingual model over every labelled text. is_current marks the model that
    scored the texts now in fct_feedback_text. -#}
with

card as {{ not_materialized() }} (

    select * from {{ ref('stg_analytics__text_model_card') }}

),

final as (

    select
        model_card_row_id,
        model_version,
        language,
        model_used,
        is_fallback,
        fallback_reason,
        labelled_texts,
        negative_texts,
        positive_texts,
        cv_folds,
        cv_accuracy,
        cv_macro_f1,
        fitted_at,
        fitted_at = max(fitted_at) over () as is_current,
        scored_at
    from card

)

select * from final
