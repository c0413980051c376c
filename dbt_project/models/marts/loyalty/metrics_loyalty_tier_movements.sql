{#- How customers move between loyalty tiers from one calendar quarter to the next. The
    tier at the end of a quarter comes from the net spend of that quarter and the three
    before it (the trailing year, macro loyalty_tier). Customers enter the grid with the
    quarter of their first completed order: the grid is customers x their own quarters. -#}
with

orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

as_of as (

    {{ loyalty_as_of('orders') }}

),

completed_orders as (

    select
        orders.customer_id,
        cast({{ dbt.date_trunc('quarter', 'orders.order_date') }} as date) as quarter_start,
        orders.net_amount
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    where orders.is_completed

),

quarters as (

    select distinct quarter_start
    from completed_orders

),

customer_quarter_spend as (

    select
        customer_id,
        quarter_start,
        sum(net_amount) as net_spend
    from completed_orders
    group by customer_id, quarter_start

),

customer_first_quarters as (

    select
        customer_id,
        min(quarter_start) as first_quarter_start
    from customer_quarter_spend
    group by customer_id

),

grid as (

    select
        customer_first_quarters.customer_id,
        quarters.quarter_start,
        coalesce(customer_quarter_spend.net_spend, 0) as net_spend
    from customer_first_quarters
    inner join quarters
        on quarters.quarter_start >= customer_first_quarters.first_quarter_start
    left join customer_quarter_spend
        on customer_first_quarters.customer_id = customer_quarter_spend.customer_id
        and quarters.quarter_start = customer_quarter_spend.quarter_start

),

trailing_spend as (

    select
        customer_id,
        quarter_start,
        sum(net_spend) over (
            partition by customer_id
            order by quarter_start
            rows between 3 preceding and current row
        ) as trailing_year_net_spend
    from grid

),

tiers as (

    select
        customer_id,
        quarter_start,
        {{ loyalty_tier('trailing_year_net_spend') }} as loyalty_tier
    from trailing_spend

),

moves as (

    select
        customer_id,
        quarter_start,
        loyalty_tier as to_tier,
        lag(loyalty_tier) over (partition by customer_id order by quarter_start) as from_tier,
        lag(quarter_start) over (partition by customer_id order by quarter_start) as previous_quarter_start
    from tiers

),

movement_counts as (

    select
        previous_quarter_start,
        quarter_start,
        from_tier,
        to_tier,
        count(*) as customers
    from moves
    where from_tier is not null
    group by previous_quarter_start, quarter_start, from_tier, to_tier

),

final as (

    select
        {{ surrogate_key(['quarter_start', 'from_tier', 'to_tier']) }} as metric_row_id,
        previous_quarter_start as from_period_start,
        quarter_start as to_period_start,
        from_tier,
        to_tier,
        case
            when {{ loyalty_tier_rank('to_tier') }} > {{ loyalty_tier_rank('from_tier') }} then 'upgrade'
            when {{ loyalty_tier_rank('to_tier') }} < {{ loyalty_tier_rank('from_tier') }} then 'downgrade'
            else 'same'
        end as movement,
        cast(customers as integer) as customers,
        cast(
            100.0 * customers / sum(customers) over (partition by quarter_start, from_tier)
            as {{ type_double() }}
        ) as share_of_from_tier
    from movement_counts

)

select * from final
