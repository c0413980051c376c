{#- The conformed feedback items, published with a contract for BI tools.

    A view over int_feedback_items, not a second copy of its millions of rows: writing
    that copy was the third largest cost of a full build, and the incremental table it
    replaced needed its own bookkeeping to follow every insert and delete upstream. The
    contract still checks names and types; the key is held by the unique and not_null
    tests (a view holds no constraints). BI tools read the published copy, where publish
    writes this view out as a table.

    The table is named without its catalog, so the view binds in whichever database
    the warehouse file is attached as (publish attaches it under a fixed alias). -#}
{{
    config(
        materialized='view'
    )
}}

with

feedback_items as (

    select * from {{ ref('int_feedback_items').include(database=False) }}

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
        occurred_at,
        scored_at
    from feedback_items

)

select * from final
