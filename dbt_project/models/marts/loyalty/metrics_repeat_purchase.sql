{%- set calendar_grains = ['month', 'quarter', 'year'] -%}

with

orders as {{ not_materialized() }} (

    {#- This, customers and completed_orders are read twice: repeating a scan is cheaper than
        holding every order in memory, which at 10M orders is more than a 2 GB cap. -#}
    select * from {{ ref('fct_orders') }}

),

customers as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__customers') }}

),

as_of as (

    {{ loyalty_as_of('orders') }}

),

completed_orders as {{ not_materialized() }} (

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

order_sequences as (

    {#-
        Counting customers per window without grouping every order by customer: an order
        opens its customer's window when the customer's previous order fell in an earlier
        window, and it makes the customer a repeat customer of that window when it is the
        second there. Channel cells follow the orders of the customer in that channel;
        overall and country cells all of the customer's orders (country is the customer's).
    -#}
    select
        completed_orders.order_date,
        completed_orders.channel,
        completed_orders.country,
        first_order_date.all_time_start,
        lag(completed_orders.order_date, 1) over by_customer as previous_date,
        lag(completed_orders.order_date, 2) over by_customer as second_previous_date,
        lag(completed_orders.order_date, 1) over by_channel as previous_channel_date,
        lag(completed_orders.order_date, 2) over by_channel as second_previous_channel_date
    from completed_orders
    cross join first_order_date
    window
        by_customer as (
            partition by completed_orders.customer_id
            order by completed_orders.order_date, completed_orders.order_id
        ),
        by_channel as (
            partition by completed_orders.customer_id, completed_orders.channel
            order by completed_orders.order_date, completed_orders.order_id
        )

),

order_window_flags as (

    {#- Every order once per grain, with its window and whether it opens its customer's
        window (overall and in its channel) or makes the customer a repeat customer
        there. One pass over the sequences: a union of one aggregate per grain read
        them four times, and DuckDB held them whole in memory to do so (at 10M orders,
        more than a 2 GB cap). -#}
    {%- set grains = calendar_grains + ['all_time'] %}
    select
        grains.window_grain,
        {{ case_per_window_grain('grains.window_grain', grains, order_window_start, 'order_date') }} as window_start,
        order_sequences.channel,
        order_sequences.country,
        {{ case_per_window_grain('grains.window_grain', grains, opens_order_window, 'previous_date') }} as opens,
        {{ case_per_window_grain('grains.window_grain', grains, opens_order_window, 'second_previous_date') }} as second_opens,
        {{ case_per_window_grain('grains.window_grain', grains, opens_order_window, 'previous_channel_date') }} as channel_opens,
        {{ case_per_window_grain('grains.window_grain', grains, opens_order_window, 'second_previous_channel_date') }} as channel_second_opens
    from order_sequences
    -- The window grains, written by a loop.
    cross join (  -- noqa: ST05
        {%- for grain in grains %}
        select '{{ grain }}' as window_grain
        {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    ) as grains

),

windowed_orders as (

    {#- Per window, channel and country: customers whose window an order opened, and
        customers an order made repeat customers. -#}
    select
        window_grain,
        window_start,
        channel,
        country,
        sum(case when opens then 1 else 0 end) as opened,
        sum(case when not opens and second_opens then 1 else 0 end) as repeated,
        sum(case when channel_opens then 1 else 0 end) as channel_opened,
        sum(case when not channel_opens and channel_second_opens then 1 else 0 end)
            as channel_repeated
    from order_window_flags
    group by window_grain, window_start, channel, country

),

cell_counts as (

    select
        window_grain,
        window_start,
        'overall' as segment_type,
        'all' as segment_value,
        sum(opened) as customers,
        sum(repeated) as repeat_customers
    from windowed_orders
    group by window_grain, window_start
    union all
    select
        window_grain,
        window_start,
        'channel' as segment_type,
        channel as segment_value,
        sum(channel_opened) as customers,
        sum(channel_repeated) as repeat_customers
    from windowed_orders
    group by window_grain, window_start, channel
    union all
    select
        window_grain,
        window_start,
        'country' as segment_type,
        country as segment_value,
        sum(opened) as customers,
        sum(repeated) as repeat_customers
    from windowed_orders
    group by window_grain, window_start, country

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
        cast(100.0 * repeat_customers / customers as {{ type_double() }}) as repeat_purchase_rate,
        {#- Clamped: floating point can put a bound at 0 or 100 a hair outside the range. -#}
        cast(
            greatest(0.0, 100.0 * {{ wilson_lower('repeat_customers', 'customers') }})
            as {{ type_double() }}
        ) as repeat_purchase_rate_lower_95,
        cast(
            least(100.0, 100.0 * {{ wilson_upper('repeat_customers', 'customers') }})
            as {{ type_double() }}
        ) as repeat_purchase_rate_upper_95,
        customers < {{ var('small_sample_min') }} as is_small_sample
    from cell_counts

)

select * from final
