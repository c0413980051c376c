{#- Incremental by customer: a customer's sequence numbers and gaps depend on all of
    their orders and on no one else's, so a run recomputes every order of the customers
    a load it has not stored yet touches (new, re-delivered or re-assigned orders) and of
    those whose stored load has left staging. The recomputed orders replace the stored
    ones by order_id, which also removes an order's row under its previous customer.
    Orders gone from staging altogether are removed in the post-hook. -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{% if is_incremental() %}{{ delete_rows_gone_upstream(ref('stg_commerce__orders'), 'order_id') }}{% endif %}"
        ]
    )
}}

with

staged_orders as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__orders') }}

),

{#- A table stored before load_id existed is redone whole, once. -#}
{% if is_incremental() and this_has_column('load_id') %}

unseen_orders as (

    select order_id, customer_id
    from staged_orders
    where load_id not in (select distinct load_id from {{ this }} where load_id is not null)

),

touched_customers as (

    {#- The customers of unseen orders; an order re-delivered under another customer
        leaves the first one too; and customers whose stored load has left staging. -#}
    select customer_id from unseen_orders

    union

    select stored.customer_id
    from {{ this }} as stored
    inner join unseen_orders
        on stored.order_id = unseen_orders.order_id

    union

    select customer_id
    from {{ this }}
    where load_id is null
        or load_id not in (select distinct load_id from staged_orders)

),

orders as (

    select staged_orders.*
    from staged_orders
    inner join touched_customers
        on staged_orders.customer_id = touched_customers.customer_id

),

{% else %}

orders as (

    select * from staged_orders

),

{% endif %}

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
        ) as days_since_previous_order,
        orders.load_id
    from orders
    left join completed_orders_sequenced
        on orders.order_id = completed_orders_sequenced.order_id

)

select * from final
