{#- Incremental on the load id: a run reads the answers of responses touched by loads it
    has not seen yet, and of responses whose winning load has since been replaced (a
    corrected re-delivery deletes the old load's raw rows). Those responses' winners are
    recomputed over every load and replace the stored rows (delete+insert on the key);
    rows of replaced loads that no load delivers any more are deleted after the insert. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='survey_answer_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where load_id not in (select distinct _load_id from {{ source('surveys', 'survey_answers') }}){% endif %}"
        ]
    )
}}

with

source as (

    select * from {{ source('surveys', 'survey_answers') }}

),

{% if is_incremental() %}

stored_loads as (

    select distinct load_id from {{ this }}

),

touched_responses as (

    select distinct survey_id, response_id
    from source
    where _load_id not in (select load_id from stored_loads)

    union

    select distinct survey_id, response_id
    from {{ this }}
    where load_id not in (select distinct _load_id from source)

),

candidates as (

    select source.*
    from source
    inner join touched_responses
        on source.survey_id = touched_responses.survey_id
        and source.response_id = touched_responses.response_id

),

{% else %}

candidates as (

    select * from source

),

{% endif %}

latest_load as (

    {#- The same answer delivered by several files: the latest load wins. -#}
    select
        *,
        row_number() over (
            partition by survey_id, response_id, item_id
            order by _loaded_at desc, _load_id desc, _row_number desc
        ) as load_recency_rank
    from candidates
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
        cast(_loaded_at at time zone 'UTC' as {{ dbt.type_timestamp() }}) as loaded_at,
        {{ run_started_timestamp() }} as transformed_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
