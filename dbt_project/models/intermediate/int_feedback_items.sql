{#- The conformed feedback model: one row per feedback item from any source (survey
    answers to registered items, reviews, poll options), scored on one footing.
    Incremental: survey items are redone for answers written since the last run, for
    responses resolved again since then (new customer match, new segment) and for items
    whose registry entry changed; rows of replaced loads or unregistered items are
    deleted after the insert. Reviews and poll options are few: they are redone whole.
    A full build of many responses on DuckDB is written in slices of responses, so that
    the join of answers to responses spills less (macros/incremental/survey_slices.sql). -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='feedback_item_id',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where channel <> 'survey'{% endif %}"
        ],
        post_hook=[
            "{{ insert_remaining_survey_slices() }}",
            "{{ delete_survey_items_gone_upstream(ref('stg_surveys__answers'), ref('stg_surveys__registry')) }}"
        ]
    )
}}

with

answers as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__answers') }}

),

survey_registry as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__registry') }}

),

responses as {{ not_materialized() }} (

    select * from {{ ref('int_survey_responses_resolved') }}

),

reviews as {{ not_materialized() }} (

    select * from {{ ref('int_reviews_resolved') }}

),

poll_options as {{ not_materialized() }} (

    select * from {{ ref('stg_polls__poll_options') }}

),

{%- set survey_slices = survey_slice_count(ref('int_survey_responses_resolved')) %}

responses_in_slice as (

    {#- Filtered here as well as on the answers: DuckDB does not carry the filter over the
        join, and the hash table over the responses is what must fit. -#}
    select * from responses
    where {{ survey_slice_filter('survey_response_id', survey_slices) }}

),

registry as (

    {#- The fingerprint per registry entry, before the join: not once per answer. -#}
    select
        registry.*,
        {{ registry_fingerprint('registry') }} as registry_fingerprint
    from survey_registry as registry

),

{% if is_incremental() %}

seen as (

    select
        coalesce(max(answer_transformed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as answers_seen,
        coalesce(max(response_resolved_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as responses_seen
    from {{ this }}
    where channel = 'survey'

),

stored_registry as (

    select distinct survey_id, item_id, registry_fingerprint
    from {{ this }}
    where channel = 'survey'

),

changed_registry_items as (

    select registry.survey_id, registry.item_id
    from registry
    where registry.instrument in ({{ string_literals(feedback_item_instruments()) }})
        and not exists (
        select 1
        from stored_registry
        where stored_registry.survey_id = registry.survey_id
            and stored_registry.item_id = registry.item_id
            and stored_registry.registry_fingerprint = registry.registry_fingerprint
    )

),

responses_resolved_again as (

    select survey_response_id
    from responses
    where resolved_at > (select seen.responses_seen from seen)

),

answers_to_score as (

    {#- Left joins to the two small sets, not correlated subqueries: those made the
        engine copy every stored answer twice (13 s on 16.7M answers, with nothing new). -#}
    select answers.*
    from answers
    left join responses_resolved_again
        on answers.survey_response_id = responses_resolved_again.survey_response_id
    left join changed_registry_items
        on answers.survey_id = changed_registry_items.survey_id
        and answers.item_id = changed_registry_items.item_id
    where answers.transformed_at > (select seen.answers_seen from seen)
        or responses_resolved_again.survey_response_id is not null
        or changed_registry_items.survey_id is not null

),

{% else %}

answers_to_score as (

    select * from answers

),

{% endif %}

survey_items as (

    {#- Only registered items feed metrics; attribute and category items describe the
        response rather than rate anything. -#}
    select
        {{ surrogate_key(["'survey'", 'answers.survey_id', 'answers.response_id', 'answers.item_id']) }} as feedback_item_id,
        responses.source,
        'survey' as channel,
        answers.response_id as source_record_id,
        answers.survey_id,
        answers.item_id,
        registry.instrument,
        registry.item_name,
        registry.scale_min,
        registry.scale_max,
        registry.direction,
        answers.answer as raw_value,
        case
            when registry.instrument <> 'open_text' then {{ try_parse_number('answers.answer') }}
        end as parsed_score,
        cast(1 as {{ dbt.type_bigint() }}) as response_weight,
        case when registry.instrument = 'open_text' then answers.answer end as text_value,
        responses.language,
        responses.customer_id,
        responses.touchpoint,
        responses.product,
        responses.location,
        responses.occurred_at,
        answers.survey_response_id,
        answers.load_id as answer_load_id,
        answers.transformed_at as answer_transformed_at,
        responses.resolved_at as response_resolved_at,
        registry.registry_fingerprint
    from answers_to_score as answers
    inner join registry
        on answers.survey_id = registry.survey_id
        and answers.item_id = registry.item_id
    inner join responses_in_slice as responses
        on answers.survey_response_id = responses.survey_response_id
    where registry.instrument in ({{ string_literals(feedback_item_instruments()) }})
        and {{ survey_slice_filter('answers.survey_response_id', survey_slices) }}

),

review_items as (

    select
        {{ surrogate_key(["'review'", 'platform', 'review_id']) }} as feedback_item_id,
        platform as source,
        'review' as channel,
        review_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as survey_id,
        cast(null as {{ dbt.type_string() }}) as item_id,
        'star_rating' as instrument,
        'star_rating' as item_name,
        1 as scale_min,
        5 as scale_max,
        'higher_is_better' as direction,
        rating_raw as raw_value,
        rating as parsed_score,
        cast(1 as {{ dbt.type_bigint() }}) as response_weight,
        body as text_value,
        language,
        customer_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint,
        product,
        location,
        created_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as survey_response_id,
        cast(null as {{ dbt.type_string() }}) as answer_load_id,
        cast(null as {{ dbt.type_timestamp() }}) as answer_transformed_at,
        cast(null as {{ dbt.type_timestamp() }}) as response_resolved_at,
        cast(null as {{ dbt.type_string() }}) as registry_fingerprint
    from reviews

),

poll_items as (

    {#- A poll option is not a score: it carries its votes as weight and its label. -#}
    select
        {{ surrogate_key(["'poll'", 'platform', 'poll_id', 'option_position']) }} as feedback_item_id,
        platform as source,
        'poll' as channel,
        poll_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as survey_id,
        cast(option_position as {{ dbt.type_string() }}) as item_id,
        'poll_option' as instrument,
        question as item_name,
        cast(null as {{ dbt.type_int() }}) as scale_min,
        cast(null as {{ dbt.type_int() }}) as scale_max,
        cast(null as {{ dbt.type_string() }}) as direction,
        option_label as raw_value,
        cast(null as {{ type_double() }}) as parsed_score,
        cast(coalesce(votes, 0) as {{ dbt.type_bigint() }}) as response_weight,
        cast(null as {{ dbt.type_string() }}) as text_value,
        cast(null as {{ dbt.type_string() }}) as language,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint,
        cast(null as {{ dbt.type_string() }}) as product,
        cast(null as {{ dbt.type_string() }}) as location,
        started_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as survey_response_id,
        cast(null as {{ dbt.type_string() }}) as answer_load_id,
        cast(null as {{ dbt.type_timestamp() }}) as answer_transformed_at,
        cast(null as {{ dbt.type_timestamp() }}) as response_resolved_at,
        cast(null as {{ dbt.type_string() }}) as registry_fingerprint
    from poll_options

),

unioned as (

    select * from survey_items
    union all
    select * from review_items
    union all
    select * from poll_items

),

in_range as (

    {#- A score outside its registered scale is kept as raw_value but scores nothing. -#}
    select
        *,
        case
            when parsed_score between scale_min and scale_max then parsed_score
        end as score_value
    from unioned

),

final as (

    select
        feedback_item_id,
        source,
        channel,
        source_record_id,
        survey_id,
        item_id,
        instrument,
        item_name,
        scale_min,
        scale_max,
        direction,
        raw_value,
        score_value,
        {{ normalised_score('score_value', 'scale_min', 'scale_max', 'direction') }} as normalised_score,
        case
            when instrument = 'nps' then {{ nps_group('score_value', 'scale_min', 'scale_max') }}
        end as nps_group,
        case
            when instrument = 'csat' then {{ csat_top_box('score_value', 'scale_min', 'scale_max', 'direction') }}
            when instrument = 'star_rating' then score_value >= 4
        end as is_top_box,
        case
            when instrument = 'ces' then {{ ces_agree('score_value', 'scale_min', 'scale_max', 'direction') }}
        end as is_ces_agree,
        response_weight,
        text_value,
        language,
        customer_id,
        touchpoint,
        product,
        location,
        occurred_at,
        {#- Bookkeeping of the incremental runs (survey items only). -#}
        survey_response_id,
        answer_load_id,
        answer_transformed_at,
        response_resolved_at,
        registry_fingerprint,
        {#- When the run that (re)wrote this row started (published in fct_feedback_items). -#}
        {{ run_started_timestamp() }} as scored_at
    from in_range

)

select * from final
