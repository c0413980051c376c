with

source as {{ not_materialized() }} (

    select * from {{ source('analytics', 'text_model_card') }}

),

final as (

    select
        {{ surrogate_key(['model_version', 'language']) }} as model_card_row_id,
        model_version,
        language,
        model_used,
        is_fallback,
        fallback_reason,
        cast(labelled_texts as {{ dbt.type_bigint() }}) as labelled_texts,
        cast(negative_texts as {{ dbt.type_bigint() }}) as negative_texts,
        cast(positive_texts as {{ dbt.type_bigint() }}) as positive_texts,
        cast(cv_folds as {{ dbt.type_int() }}) as cv_folds,
        cast(cv_accuracy as {{ type_double() }}) as cv_accuracy,
        cast(cv_macro_f1 as {{ type_double() }}) as cv_macro_f1,
        fitted_at,
        scored_at
    from source

)

select * from final
