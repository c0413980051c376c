{#- The conformed feedback items, published with a contract for BI tools.

    Incremental: a run copies the rows int_feedback_items (re)wrote since this table was
    last written (scored_at), replacing stored rows with the same key, instead of copying
    millions of unchanged rows. int_feedback_items also deletes rows (replaced loads,
    re-registered items, the reviews and polls it redoes whole); after the insert this
    table holds every row it holds, so rows here beyond its count are such deletions and
    are removed in the post-hook. -#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='feedback_item_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{% if is_incremental() %}{{ delete_rows_gone_upstream(ref('int_feedback_items'), 'feedback_item_id') }}{% endif %}"
        ]
    )
}}

with

feedback_items as (

    select * from {{ ref('int_feedback_items') }}
    {% if is_incremental() %}
    where scored_at > (select max(scored_at) from {{ this }})
    {% endif %}

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
