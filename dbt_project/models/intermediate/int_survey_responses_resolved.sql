{#- One row per survey response with what every item of it shares: the resolved
    customer, its segments (touchpoint, product, location) and when it happened. -#}
with

responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

answers as (

    select * from {{ ref('stg_surveys__answers') }}

),

registry as (

    select * from {{ ref('stg_surveys__registry') }}

),

customers as (

    select * from {{ ref('stg_commerce__customers') }}

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

customers_by_email as (

    {#- An email hash shared by several customers identifies nobody. -#}
    select
        email_hash,
        min(customer_id) as customer_id
    from customers
    where email_hash is not null
    group by email_hash
    having count(*) = 1

),

final as (

    select
        responses.survey_response_id,
        responses.survey_id,
        responses.response_id,
        responses.source_system as source,
        coalesce(customers_by_reference.customer_id, customers_by_email.customer_id) as customer_id,
        case
            when customers_by_reference.customer_id is not null then 'external_reference'
            when customers_by_email.customer_id is not null then 'email_hash'
        end as customer_match_method,
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
    left join customers as customers_by_reference
        on responses.external_reference = customers_by_reference.customer_id
    left join customers_by_email
        on responses.respondent_email_hash = customers_by_email.email_hash

)

select * from final
