{#- A table, not a view: several models and a dozen tests read it, and a view would
    redo its work for each of them (on a million rows, seconds every time). -#}
{{ config(materialized='table') }}

with

staged_orders as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__orders') }}

),

orders as (

    {#- Staged orders, not fct_orders: an intermediate reads no mart, and the totals need
        none of the order sequence fct_orders adds. -#}
    select
        customer_id,
        ordered_at,
        cast(ordered_at as date) as order_date,
        is_completed,
        net_amount
    from staged_orders

),

as_of as (

    {{ loyalty_as_of('orders') }}

),

completed_orders as (

    {#- Orders after the as-of date do not exist yet from its point of view. -#}
    select orders.*
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    where orders.is_completed

),

order_days as (

    {#- Gaps are measured between distinct order days: two orders on one day are one visit. -#}
    select distinct
        customer_id,
        order_date
    from completed_orders

),

order_day_gaps as (

    select
        customer_id,
        {{ dbt.datediff(
            'lag(order_date) over (partition by customer_id order by order_date)',
            'order_date',
            'day'
        ) }} as gap_days
    from order_days

),

median_gaps as (

    select
        customer_id,
        {{ loyalty_median('gap_days') }} as median_gap_days
    from order_day_gaps
    where gap_days is not null
    group by customer_id

),

customer_totals as (

    select
        completed_orders.customer_id,
        min(completed_orders.ordered_at) as first_order_at,
        max(completed_orders.ordered_at) as last_order_at,
        max(completed_orders.order_date) as last_order_date,
        count(*) as order_count,
        sum(completed_orders.net_amount) as net_spend,
        sum(
            case
                when completed_orders.order_date > {{ dbt.dateadd('day', -365, 'as_of.as_of_date') }}
                    then completed_orders.net_amount
                else 0
            end
        ) as trailing_365_day_net_spend,
        as_of.as_of_date
    from completed_orders
    cross join as_of
    group by completed_orders.customer_id, as_of.as_of_date

),

final as (

    select
        customer_totals.customer_id,
        customer_totals.as_of_date,
        customer_totals.first_order_at,
        customer_totals.last_order_at,
        cast(customer_totals.order_count as integer) as order_count,
        cast(customer_totals.net_spend as numeric(18, 2)) as net_spend,
        cast(customer_totals.trailing_365_day_net_spend as numeric(18, 2)) as trailing_365_day_net_spend,
        cast(
            {{ dbt.datediff('customer_totals.last_order_date', 'customer_totals.as_of_date', 'day') }}
            as integer
        ) as days_since_last_order,
        cast(median_gaps.median_gap_days as {{ type_double() }}) as median_gap_days,
        {{ is_lapsed(
            dbt.datediff('customer_totals.last_order_date', 'customer_totals.as_of_date', 'day'),
            'median_gaps.median_gap_days'
        ) }} as is_lapsed,
        {{ loyalty_tier('customer_totals.trailing_365_day_net_spend') }} as loyalty_tier
    from customer_totals
    left join median_gaps
        on customer_totals.customer_id = median_gaps.customer_id

)

select * from final
