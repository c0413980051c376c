{#- Fails for every answer to a scored item (nps, csat, ces, driver, intent) that is not
    a whole number on the item's registered scale: an NPS answer of 11 on 0..10, and 9.5,
    1e1 or `abc`, which would count wrongly or drop out of n unseen. `7.0` is 7. Each row
    names the answer, the item and the scale. -#}
{% test answer_within_registered_scale(model, column_name, registry) %}

with

answers as (

    {#- A CTE, not an alias on the model: the model may be a filtered subquery. -#}
    select * from {{ model }}

),

scored_answers as (

    select
        answers.survey_answer_id,
        answers.survey_id,
        answers.response_id,
        answers.item_id,
        registry.instrument,
        registry.scale_min,
        registry.scale_max,
        answers.{{ column_name }} as answer,
        {{ try_parse_number('answers.' ~ column_name) }} as answer_value
    from answers
    inner join {{ registry }} as registry
        on answers.survey_id = registry.survey_id
        and answers.item_id = registry.item_id
    where registry.instrument in ('nps', 'csat', 'ces', 'driver', 'intent')
        and trim(answers.{{ column_name }}) <> ''

),

final as (

    select
        *,
        {{ dbt.concat([
            "'answer '",
            "answer",
            "' to '",
            "instrument",
            "' item '",
            "item_id",
            "' is not a whole number on its scale '",
            "cast(scale_min as " ~ dbt.type_string() ~ ")",
            "'..'",
            "cast(scale_max as " ~ dbt.type_string() ~ ")",
        ]) }} as reason
    from scored_answers
    where not {{ regex_contains('trim(answer)', '^[0-9]{1,9}([.]0+)?$') }}
        or answer_value < scale_min
        or answer_value > scale_max

)

select * from final

{% endtest %}
