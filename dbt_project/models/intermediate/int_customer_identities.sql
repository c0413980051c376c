{#- A table, not a view: several models and a dozen tests read it, and a view would
    redo its work for each of them (on a million rows, seconds every time). -#}
{{ config(materialized='table') }}

{#- The identity map: one row per source identity (a survey response or a review) with
    the customer it resolves to and the rule that matched. Rules run in the order of var
    identity_match_rules; the first rule that names exactly one customer wins. When a rule
    names several customers, or two rules name different customers, the identity is
    ambiguous: reported here with match_status 'ambiguous' and never merged. -#}
{%- set match_rules = var('identity_match_rules') -%}
{%- set known_rules = ['email_hash', 'phone_hash', 'external_id'] -%}
{%- for rule in match_rules -%}
    {%- if rule not in known_rules -%}
        {{ exceptions.raise_compiler_error(
            "var identity_match_rules: unknown rule '" ~ rule ~ "', expected one of " ~ known_rules | join(', ')
        ) }}
    {%- endif -%}
{%- endfor -%}

with

responses as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__responses') }}

),

reviews as {{ not_materialized() }} (

    select * from {{ ref('stg_reviews__reviews') }}

),

customers as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__customers') }}

),

source_identities as (

    {#- external_id_name says which column an external id came from: the rule is
        reported under that name so each source keeps its own vocabulary. -#}
    select
        'survey_response' as source_type,
        survey_response_id as source_record_id,
        respondent_email_hash as email_hash,
        cast(null as {{ dbt.type_string() }}) as phone_hash,
        external_reference as external_id,
        'external_reference' as external_id_name
    from responses
    union all
    select
        'review' as source_type,
        platform_review_id as source_record_id,
        reviewer_email_hash as email_hash,
        cast(null as {{ dbt.type_string() }}) as phone_hash,
        customer_reference as external_id,
        'customer_reference' as external_id_name
    from reviews

),

customers_by_email_hash as (

    select
        email_hash as match_value,
        min(customer_id) as customer_id,
        count(*) as candidate_count
    from customers
    where email_hash is not null
    group by email_hash

),

customers_by_phone_hash as (

    select
        phone_hash as match_value,
        min(customer_id) as customer_id,
        count(*) as candidate_count
    from customers
    where phone_hash is not null
    group by phone_hash

),

customers_by_external_id as (

    select
        customer_id as match_value,
        customer_id,
        1 as candidate_count
    from customers

),

candidates as (

    select
        source_identities.source_type,
        source_identities.source_record_id,
        source_identities.external_id_name,
        {%- for rule in match_rules %}
        customers_by_{{ rule }}.customer_id as {{ rule }}_customer_id,
        coalesce(customers_by_{{ rule }}.candidate_count, 0) as {{ rule }}_candidate_count{{ ',' if not loop.last }}
        {%- endfor %}
    from source_identities
    {%- for rule in match_rules %}
    left join customers_by_{{ rule }}
        on source_identities.{{ rule }} = customers_by_{{ rule }}.match_value
    {%- endfor %}

),

judged as (

    select
        source_type,
        source_record_id,
        external_id_name,
        case
            {%- for rule in match_rules %}
            when {{ rule }}_candidate_count = 1 then {{ rule }}_customer_id
            {%- endfor %}
        end as first_match_customer_id,
        case
            {%- for rule in match_rules %}
            when {{ rule }}_candidate_count = 1 then '{{ rule }}'
            {%- endfor %}
        end as first_match_rule,
        (
            {%- for rule in match_rules %}
            case when {{ rule }}_candidate_count > 0 then 1 else 0 end{{ ' +' if not loop.last }}
            {%- endfor %}
        ) as matching_rule_count,
        {%- for rule in match_rules %}
        {{ rule }}_candidate_count,
        {%- endfor %}
        (
            {%- for rule in match_rules %}
            {{ rule }}_candidate_count > 1
            {%- for other_rule in match_rules if other_rule != rule %}
            or ({{ rule }}_candidate_count = 1 and {{ other_rule }}_candidate_count = 1
                and {{ rule }}_customer_id <> {{ other_rule }}_customer_id)
            {%- endfor %}
            {{ 'or' if not loop.last }}
            {%- endfor %}
        ) as is_ambiguous
    from candidates

),

final as (

    select
        {{ surrogate_key(['source_type', 'source_record_id']) }} as source_identity_id,
        source_type,
        source_record_id,
        case when not is_ambiguous then first_match_customer_id end as customer_id,
        case
            when is_ambiguous then null
            when first_match_rule = 'external_id' then external_id_name
            else first_match_rule
        end as match_rule,
        case
            when is_ambiguous then 'ambiguous'
            when first_match_customer_id is not null then 'matched'
            else 'unmatched'
        end as match_status,
        cast(matching_rule_count as integer) as matching_rule_count,
        cast(
            {%- for rule in match_rules %}
            {{ rule }}_candidate_count{{ ' +' if not loop.last }}
            {%- endfor %}
            as integer
        ) as candidate_count
    from judged

)

select * from final
