with

customers as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__customers') }}

),

order_summaries as {{ not_materialized() }} (

    select * from {{ ref('int_customers_orders_summarised') }}

),

rfm as {{ not_materialized() }} (

    select * from {{ ref('dim_customer_rfm') }}

),

customer_feedback as {{ not_materialized() }} (

    select * from {{ ref('int_customers_latest_feedback') }}
    where segment_type in ('nps_group', 'csat_band')

),

latest_feedback as (

    {#- The customer's latest NPS group (answers on a true 0..10 scale) and CSAT band up
        to the as-of date, from the shared per-customer feedback summary. -#}
    select
        customer_id,
        max(case when segment_type = 'nps_group' then segment_value end) as nps_group,
        max(case when segment_type = 'csat_band' then segment_value end) as csat_band
    from customer_feedback
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
        latest_feedback.nps_group as latest_nps_group,
        latest_feedback.csat_band as latest_csat_band,
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
    left join latest_feedback
        on customers.customer_id = latest_feedback.customer_id

)

select * from final
