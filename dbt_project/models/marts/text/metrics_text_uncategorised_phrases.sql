{#- The phrases of each language that no theme covers, most frequent first: what to add
    to the theme dictionary next (docs/methods.md, Themes). -#}
with

phrases as {{ not_materialized() }} (

    select * from {{ ref('stg_analytics__text_uncategorised_phrases') }}

),

final as (

    select
        phrase_row_id,
        language,
        phrase_rank,
        phrase,
        phrase_words,
        uncategorised_sentences,
        uncategorised_sentences_read,
        {{ round_metric(share_percent('uncategorised_sentences', 'uncategorised_sentences_read')) }} as share_of_uncategorised,
        categorised_sentences,
        categorised_sentences_read,
        lift,
        dictionary_version,
        scored_at
    from phrases

)

select * from final
