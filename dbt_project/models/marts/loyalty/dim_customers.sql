with

customers as (

    select * from {{ ref('stg_commerce__customers') }}

),

order_summaries as (

    select * from {{ ref('int_customers_orders_summarised') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

feedback_items as (

    select * from {{ ref('fct_feedback_items') }}

),

latest_nps as (

    {#- The customer's latest NPS answer on a true 0..10 scale (nps_group is only set there). -#}
    select
        customer_id,
        {{ latest_value('nps_group', ['occurred_at', 'feedback_item_id']) }} as nps_group
    from feedback_items
    where instrument = 'nps'
        and nps_group is not null
        and customer_id is not null
    group by customer_id

),

latest_csat as (

    select
        customer_id,
        {{ latest_value(
            csat_band('score_value', 'scale_min', 'scale_max', 'direction'),
            ['occurred_at', 'feedback_item_id']
        ) }} as csat_band
    from feedback_items
    where instrument = 'csat'
        and score_value is not null
        and customer_id is not null
    group by customer_id

),

final as (

    select
        customers.customer_id,
        customers.signed_up_at,
        customers.country,
        customers.city,
        customers.referred_by_customer_id,
        order_summaries.first_order_at,
        order_summaries.last_order_at,
        cast(coalesce(order_summaries.order_count, 0) as integer) as order_count,
        cast(coalesce(order_summaries.net_spend, 0) as numeric(18, 2)) as net_spend,
        {#- DuckDB divides decimals as doubles: round from six places so it rounds as Postgres does. #}
        cast(
            cast(order_summaries.net_spend / nullif(order_summaries.order_count, 0) as numeric(28, 6))
            as numeric(18, 2)
        ) as average_order_value,
        coalesce(order_summaries.order_count, 0) >= 2 as is_repeat_customer,
        latest_nps.nps_group as latest_nps_group,
        latest_csat.csat_band as latest_csat_band,
        rfm.rfm_segment,
        cast(coalesce(order_summaries.trailing_365_day_net_spend, 0) as numeric(18, 2))
            as trailing_365_day_net_spend,
        coalesce(order_summaries.loyalty_tier, {{ loyalty_tier('0') }}) as loyalty_tier,
        order_summaries.days_since_last_order,
        coalesce(order_summaries.is_lapsed, false) as is_lapsed
    from customers
    left join order_summaries
        on customers.customer_id = order_summaries.customer_id
    left join rfm
        on customers.customer_id = rfm.customer_id
    left join latest_nps
        on customers.customer_id = latest_nps.customer_id
    left join latest_csat
        on customers.customer_id = latest_csat.customer_id

)

select * from final
