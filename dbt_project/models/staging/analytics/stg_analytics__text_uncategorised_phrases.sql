with

source as {{ not_materialized() }} (

    select * from {{ source('analytics', 'text_uncategorised_phrases') }}

),

final as (

    select
        {{ surrogate_key(['language', 'phrase']) }} as phrase_row_id,
        language,
        phrase,
        cast(phrase_words as {{ dbt.type_int() }}) as phrase_words,
        cast(uncategorised_sentences as {{ dbt.type_bigint() }}) as uncategorised_sentences,
        cast(uncategorised_sentences_read as {{ dbt.type_bigint() }}) as uncategorised_sentences_read,
        cast(categorised_sentences as {{ dbt.type_bigint() }}) as categorised_sentences,
        cast(categorised_sentences_read as {{ dbt.type_bigint() }}) as categorised_sentences_read,
        cast(lift as {{ type_double() }}) as lift,
        cast(phrase_rank as {{ dbt.type_int() }}) as phrase_rank,
        dictionary_version,
        scored_at
    from source

)

select * from final
