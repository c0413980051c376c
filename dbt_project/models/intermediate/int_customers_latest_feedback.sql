{#- Each customer's latest feedback of each kind up to the as-of date: one scan of the
    conformed feedback items (int_feedback_items, which fct_feedback_items publishes) that
    dim_customers and the satisfaction-loyalty bridge share, and that runs beside the
    order models instead of after them.

    To add a segment to the bridge, add one entry to bridge_segments below: segment_type
    (the name in the output), where (which feedback items count) and value (the SQL
    expression over int_feedback_items that gives the segment value). Nothing else
    changes. -#}
{{ config(materialized='table') }}

{%- set bridge_segments = [
    {
        'segment_type': 'nps_group',
        'where': "instrument = 'nps' and nps_group is not null",
        'value': 'nps_group',
    },
    {
        'segment_type': 'csat_band',
        'where': "instrument = 'csat' and score_value is not null",
        'value': csat_band('score_value', 'scale_min', 'scale_max', 'direction'),
    },
    {
        'segment_type': 'ces_band',
        'where': "instrument = 'ces' and score_value is not null",
        'value': ces_band('score_value', 'scale_min', 'scale_max', 'direction'),
    },
    {
        'segment_type': 'review_rating',
        'where': "instrument = 'star_rating' and channel = 'review' and score_value is not null",
        'value': dbt.safe_cast('cast(round(score_value) as integer)', dbt.type_string()),
    },
] -%}

with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('int_feedback_items') }}

),

staged_orders as {{ not_materialized() }} (

    {#- Staged orders give the same latest order date as fct_orders, and reading them lets this
        scan run beside fct_orders instead of after it. -#}
    select * from {{ ref('stg_commerce__orders') }}

),

as_of as (

    {{ loyalty_as_of('staged_orders', 'cast(ordered_at as date)') }}

),

segment_answers as (

    {%- for segment in bridge_segments %}
    select
        '{{ segment.segment_type }}' as segment_type,
        customer_id,
        {{ segment.value }} as segment_value,
        occurred_at,
        feedback_item_id
    from feedback_items
    where customer_id is not null
        and ({{ segment.where }})
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

latest_answers as (

    {#- Feedback after the as-of date does not exist yet from its point of view, as for
        orders. -#}
    select
        segment_answers.segment_type,
        segment_answers.customer_id,
        {{ latest_value(
            'segment_answers.segment_value',
            ['segment_answers.occurred_at', 'segment_answers.feedback_item_id']
        ) }} as segment_value,
        max(segment_answers.occurred_at) as answered_at
    from segment_answers
    inner join as_of
        on cast(segment_answers.occurred_at as date) <= as_of.as_of_date
    group by segment_answers.segment_type, segment_answers.customer_id

),

final as (

    select
        {{ surrogate_key(['segment_type', 'customer_id']) }} as customer_segment_id,
        segment_type,
        customer_id,
        segment_value,
        answered_at
    from latest_answers
    where segment_value is not null

)

select * from final
