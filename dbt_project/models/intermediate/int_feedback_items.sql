{#- The conformed feedback model: one row per feedback item from any source (survey
    answers to registered items, reviews, poll options), scored on one footing. -#}
with

answers as (

    select * from {{ ref('stg_surveys__answers') }}

),

registry as (

    select * from {{ ref('stg_surveys__registry') }}

),

responses as (

    select * from {{ ref('int_survey_responses_resolved') }}

),

reviews as (

    select * from {{ ref('int_reviews_resolved') }}

),

poll_options as (

    select * from {{ ref('stg_polls__poll_options') }}

),

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
        responses.occurred_at
    from answers
    inner join registry
        on answers.survey_id = registry.survey_id
        and answers.item_id = registry.item_id
    inner join responses
        on answers.survey_response_id = responses.survey_response_id
    where registry.instrument in ('nps', 'csat', 'ces', 'driver', 'intent', 'open_text')

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
        created_at as occurred_at
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
        started_at as occurred_at
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
        occurred_at
    from in_range

)

select * from final
