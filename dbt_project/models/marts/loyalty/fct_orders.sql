with

orders as (

    select * from {{ ref('stg_commerce__orders') }}

),

completed_orders_sequenced as (

    {#- Sequence and gaps count completed orders only: a refunded or cancelled order is
        neither a first nor a repeat purchase. Ties in time are broken by order_id. -#}
    select
        order_id,
        row_number() over (
            partition by customer_id
            order by ordered_at, order_id
        ) as order_sequence_number,
        lag(ordered_at) over (
            partition by customer_id
            order by ordered_at, order_id
        ) as previous_ordered_at
    from orders
    where is_completed

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        orders.status,
        orders.is_completed,
        orders.currency,
        orders.gross_amount,
        orders.discount_amount,
        orders.net_amount,
        orders.channel,
        orders.location,
        orders.product_category,
        cast(completed_orders_sequenced.order_sequence_number as integer) as order_sequence_number,
        case
            when completed_orders_sequenced.order_sequence_number is null then null
            else completed_orders_sequenced.order_sequence_number > 1
        end as is_repeat_order,
        cast(
            {{ dbt.datediff('cast(completed_orders_sequenced.previous_ordered_at as date)', 'cast(orders.ordered_at as date)', 'day') }}
            as integer
        ) as days_since_previous_order
    from orders
    left join completed_orders_sequenced
        on orders.order_id = completed_orders_sequenced.order_id

)

select * from final
