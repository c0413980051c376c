{#- Retention by cohort: customers grouped by the month of their first completed order,
    and the share of them ordering again in each later month. Cost grows with customers x
    active months plus cohorts x months, never customers x all months. -#}
with

orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

as_of_day as (

    {{ loyalty_as_of('orders') }}

),

as_of as (

    select
        as_of_date,
        cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month
    from as_of_day

),

customer_order_months as (

    {#- Orders after the as-of date do not exist yet from its point of view. -#}
    select distinct
        orders.customer_id,
        cast({{ dbt.date_trunc('month', 'orders.order_date') }} as date) as order_month
    from orders
    inner join as_of
        on orders.order_date <= as_of.as_of_date
    where orders.is_completed

),

customer_cohorts as (

    select
        customer_id,
        min(order_month) as cohort_month
    from customer_order_months
    group by customer_id

),

active_counts as (

    select
        customer_cohorts.cohort_month,
        {{ dbt.datediff('customer_cohorts.cohort_month', 'customer_order_months.order_month', 'month') }}
            as months_since_first_order,
        count(*) as active_customers
    from customer_order_months
    inner join customer_cohorts
        on customer_order_months.customer_id = customer_cohorts.customer_id
    -- The second key is a macro's expression, not written twice.
    group by 1, 2  -- noqa: AM06

),

cohort_sizes as (

    select
        cohort_month,
        active_customers as cohort_customers
    from active_counts
    where months_since_first_order = 0

),

month_offsets as (

    select distinct months_since_first_order
    from active_counts

),

cells as (

    {#- Every cohort gets every month up to the as-of month, also months where nobody ordered. -#}
    select
        cohort_sizes.cohort_month,
        cohort_sizes.cohort_customers,
        month_offsets.months_since_first_order
    from cohort_sizes
    cross join month_offsets
    cross join as_of
    where {{ dbt.dateadd('month', 'month_offsets.months_since_first_order', 'cohort_sizes.cohort_month') }}
        <= as_of.as_of_month

),

final as (

    select
        {{ surrogate_key(['cells.cohort_month', 'cells.months_since_first_order']) }} as metric_row_id,
        cells.cohort_month,
        cast(cells.months_since_first_order as integer) as months_since_first_order,
        cast(
            {{ dbt.dateadd('month', 'cells.months_since_first_order', 'cells.cohort_month') }} as date
        ) as activity_month,
        cast(cells.cohort_customers as integer) as cohort_customers,
        cast(coalesce(active_counts.active_customers, 0) as integer) as active_customers,
        cast(
            100.0 * coalesce(active_counts.active_customers, 0) / cells.cohort_customers
            as {{ type_double() }}
        ) as retention_rate,
        cast(
            greatest(0.0, 100.0 * {{ wilson_lower('coalesce(active_counts.active_customers, 0)', 'cells.cohort_customers') }})
            as {{ type_double() }}
        ) as retention_rate_lower_95,
        cast(
            least(100.0, 100.0 * {{ wilson_upper('coalesce(active_counts.active_customers, 0)', 'cells.cohort_customers') }})
            as {{ type_double() }}
        ) as retention_rate_upper_95,
        cells.cohort_customers < {{ var('small_sample_min') }} as is_small_sample
    from cells
    left join active_counts
        on cells.cohort_month = active_counts.cohort_month
        and cells.months_since_first_order = active_counts.months_since_first_order

)

select * from final
