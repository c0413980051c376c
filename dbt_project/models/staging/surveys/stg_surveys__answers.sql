with

source as (

    select * from {{ source('surveys', 'survey_answers') }}

),

latest_load as (

    {#- The same answer delivered by several files: the latest load wins. -#}
    select
        *,
        row_number() over (
            partition by survey_id, response_id, item_id
            order by _loaded_at desc, _load_id desc, _row_number desc
        ) as load_recency_rank
    from source
    where survey_id is not null
        and response_id is not null
        and item_id is not null

),

final as (

    select
        {{ surrogate_key(['survey_id', 'response_id', 'item_id']) }} as survey_answer_id,
        {{ surrogate_key(['survey_id', 'response_id']) }} as survey_response_id,
        survey_id,
        response_id,
        item_id,
        {#- Free text is scrubbed of emails and phone numbers here, before anything reads it. -#}
        {{ mask_pii('answer') }} as answer,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        cast(_loaded_at at time zone 'UTC' as {{ dbt.type_timestamp() }}) as loaded_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
