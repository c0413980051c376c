-- One row per customer with completed orders up to the as-of date ($as_of_date, or the
-- latest order date when null), in the shape buy-till-you-die models take: purchase
-- occasions are distinct order days, times are in days.
with

orders as (

    select customer_id, order_date, net_amount
    from marts.fct_orders
    where is_completed

),

as_of as (

    select coalesce(cast($as_of_date as date), max(order_date)) as as_of_date
    from orders

),

order_days as (

    select
        orders.customer_id,
        orders.order_date,
        sum(orders.net_amount) as day_net_amount
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    group by orders.customer_id, orders.order_date

),

ranked_days as (

    select
        *,
        row_number() over (partition by customer_id order by order_date) as day_number
    from order_days

)

select
    ranked_days.customer_id,
    as_of.as_of_date,
    count(*) - 1 as repeat_purchase_days,
    date_diff('day', min(ranked_days.order_date), max(ranked_days.order_date)) as recency_days,
    date_diff('day', min(ranked_days.order_date), as_of.as_of_date) as age_days,
    cast(sum(ranked_days.day_net_amount) as double) as historic_net_spend,
    cast(avg(case when ranked_days.day_number > 1 then ranked_days.day_net_amount end) as double)
        as repeat_average_value
from ranked_days
cross join as_of
group by ranked_days.customer_id, as_of.as_of_date
order by ranked_days.customer_id
