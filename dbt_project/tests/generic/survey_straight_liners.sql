{#- Warns for every response that gave the same answer to every driver item, when it
    answered at least min_driver_items (var straight_liner_min_driver_items, 3) of them.
    `model` holds one answer per row; `registry` says which items are drivers. -#}
{% test survey_straight_liners(model, column_name, response_column, registry, min_driver_items=none) %}
{{ config(severity='warn') }}
{%- set min_items = min_driver_items if min_driver_items is not none else var('straight_liner_min_driver_items') %}

with

answers as (

    {#- A CTE, not an alias on the model: the model may be a filtered subquery. -#}
    select * from {{ model }}

),

driver_answers as (

    select
        answers.{{ response_column }} as response_key,
        answers.survey_id,
        answers.response_id,
        trim(answers.{{ column_name }}) as answer
    from answers
    inner join {{ registry }} as registry
        on answers.survey_id = registry.survey_id
        and answers.item_id = registry.item_id
    where registry.instrument = 'driver'
        and answers.{{ column_name }} is not null

),

per_response as (

    select
        response_key,
        survey_id,
        response_id,
        count(*) as driver_item_count,
        min(answer) as lowest_answer,
        max(answer) as highest_answer
    from driver_answers
    group by
        response_key,
        survey_id,
        response_id

),

final as (

    select
        response_key,
        survey_id,
        response_id,
        driver_item_count,
        lowest_answer as answer,
        {{ dbt.concat([
            "'straight-liner: answered '",
            "lowest_answer",
            "' to all '",
            "cast(driver_item_count as " ~ dbt.type_string() ~ ")",
            "' driver items'",
        ]) }} as reason
    from per_response
    where driver_item_count >= {{ min_items }}
        and lowest_answer = highest_answer

)

select * from final

{% endtest %}
