{#- Incremental on the load id, like stg_surveys__answers: a run redoes the responses that
    loads it has not seen deliver, and those whose winning load has since been replaced;
    their winners are recomputed over every load and replace the stored rows. Rows of
    loads no longer in raw are deleted after the insert. (Parsing local time stamps costs
    seconds per million responses: a daily run should not redo history.) -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='survey_response_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{{ delete_rows_of_loads_left_raw(published_rows(source('surveys', 'survey_responses'))) }}"
        ]
    )
}}

{%- set google_forms_layouts = ['us_slash', 'us_slash_minutes', 'ymd_slash', 'ymd_slash_minutes', 'iso_local'] -%}
{%- set surveymonkey_layouts = ['us_slash_12h', 'us_slash', 'iso_local'] -%}
{%- set time_zones = source_time_zones(source('surveys', 'survey_responses'), "coalesce(source_timezone, 'UTC')") -%}

with

source as {{ not_materialized() }} (

    {#- Read several times below: as a materialised CTE DuckDB would hold every raw row
        in memory (at 10M rows, more than a 2 GB cap), where a scan is cheap to repeat. -#}
    select * from {{ published_rows(source('surveys', 'survey_responses')) }}

),

{{ staged_rows_cte('candidates', 'source', published_rows(source('surveys', 'survey_responses')), ['survey_id', 'response_id']) }},

latest_load as (

    {#- The same response delivered by several files: the latest load wins. -#}
    {{ rows_of_latest_load('candidates', ['survey_id', 'response_id']) }}

),

parsed as (

    select
        *,
        {#- Files write local wall-clock time (each vendor in its own layouts, the zone
            in source_timezone); API bodies write ISO 8601 with Z or an offset. -#}
        case
            when _source = 'google_forms' then {{ parse_local_timestamp_any('started_at', google_forms_layouts) }}
            when _source = 'surveymonkey' then {{ parse_local_timestamp_any('started_at', surveymonkey_layouts) }}
            else {{ parse_local_timestamp_any('started_at', ['iso_local']) }}
        end as started_at_local,
        case
            when _source = 'google_forms' then {{ parse_local_timestamp_any('submitted_at', google_forms_layouts) }}
            when _source = 'surveymonkey' then {{ parse_local_timestamp_any('submitted_at', surveymonkey_layouts) }}
            else {{ parse_local_timestamp_any('submitted_at', ['iso_local']) }}
        end as submitted_at_local,
        coalesce(source_timezone, 'UTC') as time_zone
    from latest_load

),

final as (

    select
        {{ surrogate_key(['survey_id', 'response_id']) }} as survey_response_id,
        survey_id,
        response_id,
        coalesce(
            {{ local_to_utc('started_at_local', 'time_zone', time_zones) }},
            case when started_at like '%T%' then {{ utc_from_iso_text('started_at') }} end
        ) as started_at,
        started_at as started_at_raw,
        coalesce(
            {{ local_to_utc('submitted_at_local', 'time_zone', time_zones) }},
            case when submitted_at like '%T%' then {{ utc_from_iso_text('submitted_at') }} end
        ) as submitted_at,
        submitted_at as submitted_at_raw,
        source_timezone,
        {{ try_parse_integer('duration_seconds') }} as duration_seconds,
        case
            when lower(trim(is_finished)) in ('1', 'true') then true
            when lower(trim(is_finished)) in ('0', 'false') then false
        end as is_finished,
        {{ try_parse_number('progress') }} as progress_percent,
        distribution_channel,
        lower(user_language) as user_language,
        external_reference,
        respondent_email_hash,
        respondent_name_hash,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at,
        {{ run_started_timestamp() }} as transformed_at
    from parsed

)

select * from final
