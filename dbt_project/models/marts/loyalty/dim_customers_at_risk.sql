{#- The list a retention team contacts with a "we miss you" offer: customers lapsed
    relative to their own usual gap between orders (macro is_lapsed), most valuable first. -#}
with

customers as {{ not_materialized() }} (

    select * from {{ ref('dim_customers') }}

),

order_summaries as {{ not_materialized() }} (

    select * from {{ ref('int_customers_orders_summarised') }}

),

lapsed as (

    select
        customers.customer_id,
        order_summaries.as_of_date,
        customers.last_order_at,
        customers.order_count,
        customers.net_spend,
        customers.average_order_value,
        customers.loyalty_tier,
        customers.rfm_segment,
        customers.latest_nps_group,
        customers.days_since_last_order,
        order_summaries.median_gap_days,
        case
            when order_summaries.median_gap_days is null then 'default_days'
            else 'own_gap'
        end as lapse_rule,
        case
            when order_summaries.median_gap_days is null then {{ var('lapse_default_days') }}
            else {{ var('lapse_gap_multiplier') }} * order_summaries.median_gap_days
        end as lapse_threshold_days
    from customers
    inner join order_summaries
        on customers.customer_id = order_summaries.customer_id
    where customers.is_lapsed
        and customers.net_spend >= {{ var('at_risk_min_net_spend') }}

),

final as (

    select
        customer_id,
        as_of_date,
        last_order_at,
        order_count,
        net_spend,
        average_order_value,
        loyalty_tier,
        rfm_segment,
        latest_nps_group,
        days_since_last_order,
        median_gap_days,
        lapse_rule,
        cast(lapse_threshold_days as {{ type_double() }}) as lapse_threshold_days,
        cast(days_since_last_order - lapse_threshold_days as {{ type_double() }}) as days_overdue,
        cast(
            row_number() over (order by net_spend desc, days_since_last_order asc, customer_id asc)
            as integer
        ) as contact_priority
    from lapsed

)

select * from final
