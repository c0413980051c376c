{#- One row per survey response with what every item of it shares: the customer from
    the identity map (int_customer_identities), its segments (touchpoint, product,
    location) and when it happened.
    Incremental: every response is resolved again (identities and attribute answers can
    change for old responses), but only rows whose content changed are rewritten, stamped
    with resolved_at, which is how int_feedback_items finds the responses to redo. -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='survey_response_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{% if is_incremental() %}delete from {{ this }} where survey_response_id not in (select survey_response_id from {{ ref('stg_surveys__responses') }}){% endif %}"
        ]
    )
}}

with

responses as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__responses') }}

),

answers as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__answers') }}

),

registry as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__registry') }}

),

identities as {{ not_materialized() }} (

    select * from {{ ref('int_customer_identities') }}
    where source_type = 'survey_response'

),

survey_defaults as (

    select
        survey_id,
        max(default_touchpoint) as default_touchpoint
    from registry
    group by survey_id

),

response_attributes as (

    {#- Attribute items carry the segment of their response (item_name says which). -#}
    select
        answers.survey_response_id,
        max(case when registry.item_name = 'touchpoint' then lower(trim(answers.answer)) end) as touchpoint,
        max(case when registry.item_name = 'product' then trim(answers.answer) end) as product,
        max(case when registry.item_name = 'location' then trim(answers.answer) end) as location
    from answers
    inner join registry
        on answers.survey_id = registry.survey_id
        and answers.item_id = registry.item_id
    where registry.instrument = 'attribute'
    group by answers.survey_response_id

),

resolved as (

    select
        responses.survey_response_id,
        responses.survey_id,
        responses.response_id,
        responses.source_system as source,
        identities.customer_id,
        identities.match_rule as customer_match_method,
        coalesce(response_attributes.touchpoint, survey_defaults.default_touchpoint) as touchpoint,
        response_attributes.product,
        response_attributes.location,
        responses.user_language as language,
        responses.is_finished,
        coalesce(responses.submitted_at, responses.started_at) as occurred_at
    from responses
    left join response_attributes
        on responses.survey_response_id = response_attributes.survey_response_id
    left join survey_defaults
        on responses.survey_id = survey_defaults.survey_id
    left join identities
        on responses.survey_response_id = identities.source_record_id

),

fingerprinted as (

    select
        *,
        {{ surrogate_key([
            'source', 'customer_id', 'customer_match_method', 'touchpoint', 'product',
            'location', 'language', 'is_finished', 'occurred_at'
        ]) }} as resolution_fingerprint
    from resolved

),

final as (

    select
        *,
        {{ run_started_timestamp() }} as resolved_at
    from fingerprinted
    {% if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as stored
        where stored.survey_response_id = fingerprinted.survey_response_id
            and stored.resolution_fingerprint = fingerprinted.resolution_fingerprint
    )
    {% endif %}

)

select * from final
