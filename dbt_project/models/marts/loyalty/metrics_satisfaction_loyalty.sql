{#- The bridge between satisfaction and loyalty: repeat rate, 90- and 365-day value
    after the feedback, lapse rate and referral rate of customers grouped by their own
    latest feedback of one kind.

    The segments come from int_customers_latest_feedback: to add one, add an entry to
    bridge_segments there. Nothing here changes. -#}
with

customers as {{ not_materialized() }} (

    select * from {{ ref('dim_customers') }}

),

orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

latest_feedback as {{ not_materialized() }} (

    select * from {{ ref('int_customers_latest_feedback') }}

),

orders_summarised as {{ not_materialized() }} (

    select * from {{ ref('int_customers_orders_summarised') }}

),

as_of as (

    select max(as_of_date) as as_of_date
    from orders_summarised

),

latest_segment_answers as (

    {#- A customer counts once per segment type: with their latest answer of that kind,
        which also anchors the 90- and 365-day value windows. -#}
    select
        segment_type,
        customer_id,
        segment_value,
        cast(answered_at as date) as anchor_date
    from latest_feedback

),

value_after_feedback as (

    {#- Completed orders after the anchor, within 90 and 365 days. -#}
    select
        latest_segment_answers.segment_type,
        latest_segment_answers.customer_id,
        sum(
            case when orders.order_date <= {{ dbt.dateadd('day', 90, 'latest_segment_answers.anchor_date') }}
                then orders.net_amount else 0 end
        ) as value_90_day,
        sum(orders.net_amount) as value_365_day
    from latest_segment_answers
    inner join orders
        on latest_segment_answers.customer_id = orders.customer_id
        and orders.is_completed
        and orders.order_date > latest_segment_answers.anchor_date
        and orders.order_date <= {{ dbt.dateadd('day', 365, 'latest_segment_answers.anchor_date') }}
    group by latest_segment_answers.segment_type, latest_segment_answers.customer_id

),

referring_customers as (

    select distinct referred_by_customer_id as customer_id
    from customers
    where referred_by_customer_id is not null

),

customer_outcomes as (

    select
        latest_segment_answers.segment_type,
        latest_segment_answers.segment_value,
        latest_segment_answers.customer_id,
        customers.is_repeat_customer,
        customers.is_lapsed,
        referring_customers.customer_id is not null as has_referred,
        {#- A window counts only when it has fully passed by the as-of date. -#}
        {{ dbt.dateadd('day', 90, 'latest_segment_answers.anchor_date') }} <= as_of.as_of_date as has_90_days,
        {{ dbt.dateadd('day', 365, 'latest_segment_answers.anchor_date') }} <= as_of.as_of_date as has_365_days,
        coalesce(value_after_feedback.value_90_day, 0) as value_90_day,
        coalesce(value_after_feedback.value_365_day, 0) as value_365_day
    from latest_segment_answers
    cross join as_of
    inner join customers
        on latest_segment_answers.customer_id = customers.customer_id
    left join value_after_feedback
        on latest_segment_answers.segment_type = value_after_feedback.segment_type
        and latest_segment_answers.customer_id = value_after_feedback.customer_id
    left join referring_customers
        on latest_segment_answers.customer_id = referring_customers.customer_id

),

cell_counts as (

    select
        segment_type,
        segment_value,
        count(*) as customers,
        sum(case when is_repeat_customer then 1 else 0 end) as repeat_customers,
        sum(case when is_lapsed then 1 else 0 end) as lapsed_customers,
        sum(case when has_referred then 1 else 0 end) as referring_customers,
        sum(case when has_90_days then 1 else 0 end) as customers_with_90_days,
        avg(case when has_90_days then value_90_day end) as average_90_day_value,
        sum(case when has_365_days then 1 else 0 end) as customers_with_365_days,
        avg(case when has_365_days then value_365_day end) as average_365_day_value
    from customer_outcomes
    group by segment_type, segment_value

),

final as (

    select
        {{ surrogate_key(['segment_type', 'segment_value']) }} as metric_row_id,
        segment_type,
        segment_value,
        cast(customers as integer) as customers,
        {%- for outcome in ['repeat', 'lapse', 'referral'] %}
        {%- set successes = {'repeat': 'repeat_customers', 'lapse': 'lapsed_customers', 'referral': 'referring_customers'}[outcome] %}
        cast({{ successes }} as integer) as {{ successes }},
        cast(100.0 * {{ successes }} / customers as {{ type_double() }}) as {{ outcome }}_rate,
        cast(
            greatest(0.0, 100.0 * {{ wilson_lower(successes, 'customers') }}) as {{ type_double() }}
        ) as {{ outcome }}_rate_lower_95,
        cast(
            least(100.0, 100.0 * {{ wilson_upper(successes, 'customers') }}) as {{ type_double() }}
        ) as {{ outcome }}_rate_upper_95,
        {%- endfor %}
        cast(customers_with_90_days as integer) as customers_with_90_days,
        cast(average_90_day_value as numeric(18, 2)) as average_90_day_value,
        cast(customers_with_365_days as integer) as customers_with_365_days,
        cast(average_365_day_value as numeric(18, 2)) as average_365_day_value,
        customers < {{ var('small_sample_min') }} as is_small_sample
    from cell_counts

)

select * from final
