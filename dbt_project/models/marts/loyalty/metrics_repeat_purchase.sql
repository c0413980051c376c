{%- set calendar_grains = ['month', 'quarter', 'year'] -%}

with

orders as (

    select * from {{ ref('fct_orders') }}

),

customers as (

    select * from {{ ref('stg_commerce__customers') }}

),

latest_order as (

    select max(order_date) as latest_order_date
    from orders

),

as_of as (

    select {{ loyalty_as_of_date('latest_order_date') }} as as_of_date
    from latest_order

),

completed_orders as (

    {#- Orders after the as-of date do not exist yet from its point of view. -#}
    select
        orders.order_id,
        orders.customer_id,
        orders.order_date,
        coalesce(orders.channel, 'unknown') as channel,
        coalesce(customers.country, 'unknown') as country
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    left join customers
        on orders.customer_id = customers.customer_id
    where orders.is_completed

),

first_order_date as (

    select min(order_date) as all_time_start
    from completed_orders

),

windowed_orders as (

    {#- Each order once per window grain; all_time starts at the first completed order. -#}
    {% for grain in calendar_grains %}
    select
        '{{ grain }}' as window_grain,
        cast({{ dbt.date_trunc(grain, 'order_date') }} as date) as window_start,
        order_id,
        customer_id,
        channel,
        country
    from completed_orders
    union all
    {% endfor %}
    select
        'all_time' as window_grain,
        first_order_date.all_time_start as window_start,
        completed_orders.order_id,
        completed_orders.customer_id,
        completed_orders.channel,
        completed_orders.country
    from completed_orders
    cross join first_order_date

),

segmented_orders as (

    select
        window_grain,
        window_start,
        'overall' as segment_type,
        'all' as segment_value,
        customer_id
    from windowed_orders
    union all
    select
        window_grain,
        window_start,
        'channel' as segment_type,
        channel as segment_value,
        customer_id
    from windowed_orders
    union all
    select
        window_grain,
        window_start,
        'country' as segment_type,
        country as segment_value,
        customer_id
    from windowed_orders

),

customer_order_counts as (

    select
        window_grain,
        window_start,
        segment_type,
        segment_value,
        customer_id,
        count(*) as order_count
    from segmented_orders
    group by window_grain, window_start, segment_type, segment_value, customer_id

),

cell_counts as (

    select
        window_grain,
        window_start,
        segment_type,
        segment_value,
        count(*) as customers,
        sum(case when order_count >= 2 then 1 else 0 end) as repeat_customers
    from customer_order_counts
    group by window_grain, window_start, segment_type, segment_value

),

final as (

    select
        {{ surrogate_key(['window_grain', 'window_start', 'segment_type', 'segment_value']) }} as metric_row_id,
        window_grain,
        window_start,
        segment_type,
        segment_value,
        cast(customers as integer) as customers,
        cast(repeat_customers as integer) as repeat_customers,
        cast(100.0 * repeat_customers / customers as double precision) as repeat_purchase_rate,
        {#- Clamped: floating point can put a bound at 0 or 100 a hair outside the range. -#}
        cast(
            greatest(0.0, 100.0 * {{ wilson_lower('repeat_customers', 'customers') }})
            as double precision
        ) as repeat_purchase_rate_lower_95,
        cast(
            least(100.0, 100.0 * {{ wilson_upper('repeat_customers', 'customers') }})
            as double precision
        ) as repeat_purchase_rate_upper_95,
        customers < {{ var('small_sample_min') }} as is_small_sample
    from cell_counts

)

select * from final
