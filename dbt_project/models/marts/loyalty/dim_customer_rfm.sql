with

orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

as_of as (

    {{ loyalty_as_of('orders') }}

),

customer_totals as (

    {#- Orders after the as-of date do not exist yet from its point of view. -#}
    select
        orders.customer_id,
        max(orders.order_date) as last_order_date,
        count(*) as frequency,
        sum(orders.net_amount) as monetary
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    where orders.is_completed
    group by orders.customer_id

),

with_recency as (

    select
        customer_totals.customer_id,
        customer_totals.last_order_date,
        customer_totals.frequency,
        customer_totals.monetary,
        {{ dbt.datediff('customer_totals.last_order_date', 'as_of.as_of_date', 'day') }} as recency_days,
        as_of.as_of_date
    from customer_totals
    cross join as_of

),

scored as (

    {#- Quintiles by ntile; ties are split by customer_id so a rerun is identical.
        Recency: the most recent fifth scores 5. -#}
    select
        *,
        ntile(5) over (order by recency_days desc, customer_id asc) as recency_score,
        ntile(5) over (order by frequency, customer_id) as frequency_score,
        ntile(5) over (order by monetary, customer_id) as monetary_score
    from with_recency

),

final as (

    select
        customer_id,
        as_of_date,
        last_order_date,
        cast(recency_days as integer) as recency_days,
        cast(frequency as integer) as frequency,
        cast(monetary as numeric(18, 2)) as monetary,
        cast(recency_score as integer) as recency_score,
        cast(frequency_score as integer) as frequency_score,
        cast(monetary_score as integer) as monetary_score,
        {{ dbt.concat([
            dbt.safe_cast('recency_score', dbt.type_string()),
            dbt.safe_cast('frequency_score', dbt.type_string()),
            dbt.safe_cast('monetary_score', dbt.type_string()),
        ]) }} as rfm_cell,
        {{ rfm_segment('recency_score', 'frequency_score', 'monetary_score') }} as rfm_segment
    from scored

)

select * from final
