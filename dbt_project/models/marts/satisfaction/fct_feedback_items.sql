{#- The conformed feedback items, published with a contract for BI tools. -#}
with

feedback_items as (

    select * from {{ ref('int_feedback_items') }}

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
        cast(scale_min as {{ dbt.type_int() }}) as scale_min,
        cast(scale_max as {{ dbt.type_int() }}) as scale_max,
        direction,
        raw_value,
        cast(score_value as {{ type_double() }}) as score_value,
        cast(normalised_score as {{ type_double() }}) as normalised_score,
        nps_group,
        is_top_box,
        is_ces_agree,
        cast(response_weight as {{ dbt.type_bigint() }}) as response_weight,
        text_value,
        language,
        customer_id,
        touchpoint,
        product,
        location,
        occurred_at
    from feedback_items

)

select * from final
