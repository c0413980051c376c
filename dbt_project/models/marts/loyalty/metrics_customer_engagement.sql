{#- How often each customer interacts with the company per calendar month: completed
    orders and feedback (survey responses, reviews, poll votes where the voter is known)
    of the same resolved customer. Only months with at least one interaction have a row. -#}
with

orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

interactions as (

    select
        customer_id,
        'order' as interaction_type,
        order_id as interaction_id,
        order_date as interaction_date
    from orders
    where is_completed
    union all
    {# A survey response or review has many items: count it once. The id is built after
       the distinct, on one row per response instead of one per item. #}
    select
        customer_id,
        interaction_type,
        {{ dbt.concat(['source', "':'", 'source_record_id']) }} as interaction_id,
        interaction_date
    from (
        select distinct
            customer_id,
            channel as interaction_type,
            source,
            source_record_id,
            cast(occurred_at as date) as interaction_date
        from feedback_items
        where customer_id is not null
    ) as feedback_interactions

),

monthly as (

    select
        customer_id,
        cast({{ dbt.date_trunc('month', 'interaction_date') }} as date) as period_start,
        sum(case when interaction_type = 'order' then 1 else 0 end) as orders,
        sum(case when interaction_type = 'survey' then 1 else 0 end) as survey_responses,
        sum(case when interaction_type = 'review' then 1 else 0 end) as reviews,
        sum(case when interaction_type = 'poll' then 1 else 0 end) as poll_votes,
        count(*) as interactions
    from interactions
    group by 1, 2

),

final as (

    select
        {{ surrogate_key(['customer_id', 'period_start']) }} as engagement_row_id,
        customer_id,
        period_start,
        cast(orders as integer) as orders,
        cast(survey_responses as integer) as survey_responses,
        cast(reviews as integer) as reviews,
        cast(poll_votes as integer) as poll_votes,
        cast(interactions as integer) as interactions,
        {#- The four kinds are the columns above: a sum of flags, not a distinct count. -#}
        cast(
            {%- for kind in ['orders', 'survey_responses', 'reviews', 'poll_votes'] %}
            case when {{ kind }} > 0 then 1 else 0 end {{ '+' if not loop.last }}
            {%- endfor %}
            as integer
        ) as interaction_types
    from monthly

)

select * from final
