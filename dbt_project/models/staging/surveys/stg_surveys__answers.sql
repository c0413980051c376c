{#- Incremental on the load id: a run reads the answers of responses touched by loads it
    has not seen yet, and of responses whose winning load has since been replaced (a
    corrected re-delivery deletes the old load's raw rows). Those responses' winners are
    recomputed over every load and replace the stored rows (delete+insert on the key);
    rows of replaced loads that no load delivers any more are deleted after the insert. -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='survey_answer_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{{ delete_rows_of_loads_left_raw(published_rows(source('surveys', 'survey_answers'))) }}"
        ]
    )
}}

with

source as {{ not_materialized() }} (

    {#- Read several times below: as a materialised CTE DuckDB would hold every raw row
        in memory (at 10M rows, more than a 2 GB cap), where a scan is cheap to repeat. -#}
    select * from {{ published_rows(source('surveys', 'survey_answers')) }}

),

{{ staged_rows_cte('touched_lists', 'source', published_rows(source('surveys', 'survey_answers')), ['survey_id', 'response_id']) }},

redelivered as (

    {#- Responses delivered by more than one load (a corrected re-delivery, an edited
        response fetched again): only their answers need the latest-load ranking. There
        are usually none or few, so the window below sorts a handful of rows instead of
        every answer. A load delivers each answer of a response once (item columns are
        unique per file, API records per window); the unique test on survey_answer_id
        holds that. -#}
    select survey_id, response_id
    from {{ published_rows(source('surveys', 'survey_responses')) }}
    group by survey_id, response_id
    having count(*) > 1

),

answers as {{ not_materialized() }} (

    {#- Raw holds one row per response with its items and answers as parallel lists, a
        blank answer as null; two unnests in one select list are zipped element by element.
        Not materialised: both branches below read it, and DuckDB would hold every answer
        in memory (at 166M answers, more than a 2 GB cap) where each branch can stream. -#}
    select survey_id, response_id, survey_response_id, item_id, answer, _source, _file_name, _row_number, _load_id, _loaded_at, is_redelivered
    from (
        select
            touched_lists.survey_id,
            touched_lists.response_id,
            {#- Hashed once per response, before the unnest, not once per answer (a
                response holds a dozen or more). -#}
            {{ surrogate_key(['touched_lists.survey_id', 'touched_lists.response_id']) }} as survey_response_id,
            {{ unnest_zipped('touched_lists.item_ids', 'item_id', 'touched_lists.answers', 'answer') }},
            touched_lists._source,
            touched_lists._file_name,
            touched_lists._row_number,
            touched_lists._load_id,
            touched_lists._loaded_at,
            redelivered.response_id is not null as is_redelivered
        from touched_lists
        left join redelivered
            on touched_lists.survey_id = redelivered.survey_id
            and touched_lists.response_id = redelivered.response_id
        where touched_lists.survey_id is not null
            and touched_lists.response_id is not null
    ) as unnested
    where item_id is not null
        and answer is not null

),

delivered_once as (

    select survey_id, response_id, survey_response_id, item_id, answer, _source, _file_name, _load_id, _loaded_at
    from answers
    where not is_redelivered

),

latest_of_redelivered as (

    {#- The same answer delivered by several files: the latest load wins. -#}
    select survey_id, response_id, survey_response_id, item_id, answer, _source, _file_name, _load_id, _loaded_at
    from (
        select
            *,
            row_number() over (
                partition by survey_id, response_id, item_id
                order by _loaded_at desc, _load_id desc, _row_number desc
            ) as load_recency_rank
        from answers
        where is_redelivered
    ) as ranked
    where load_recency_rank = 1

),

latest_load as (

    select * from delivered_once
    union all
    select * from latest_of_redelivered

),

final as (

    select
        {{ surrogate_key(['survey_id', 'response_id', 'item_id']) }} as survey_answer_id,
        survey_response_id,
        survey_id,
        response_id,
        item_id,
        {#- Free text is scrubbed of emails and phone numbers here, before anything reads it. -#}
        {{ mask_pii('answer') }} as answer,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at,
        {{ run_started_timestamp() }} as transformed_at
    from latest_load

)

select * from final
