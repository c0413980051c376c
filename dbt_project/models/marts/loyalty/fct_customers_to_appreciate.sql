{#- The list a team uses for thank-you notes, gifts and early access: one row per
    customer and reason. Reasons: vip (gold or platinum tier), long_standing (a customer
    for var appreciate_min_tenure_years or more and not lapsed), upcoming_birthday (within
    var appreciate_birthday_window_days after the as-of date), top_referrer (two or more
    referred customers who bought), promoter_reviewer (latest NPS answer a promoter and a
    public review of 4 or 5 stars). -#}
with

customers as {{ not_materialized() }} (

    select * from {{ ref('dim_customers') }}

),

customer_contacts as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__customers') }}
    where birth_date is not null

),

order_summaries as {{ not_materialized() }} (

    select * from {{ ref('int_customers_orders_summarised') }}

),

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

customer_birthdays as (

    select
        customer_id,
        birth_date
    from customer_contacts

),

as_of as (

    select max(as_of_date) as as_of_date
    from order_summaries

),

birthdays_this_year as (

    {#- 29 February is celebrated on 28 February in other years. -#}
    select
        customer_birthdays.customer_id,
        as_of.as_of_date,
        cast(extract(year from as_of.as_of_date) as integer) as as_of_year,
        cast(extract(month from customer_birthdays.birth_date) as integer) as birth_month,
        case
            when extract(month from customer_birthdays.birth_date) = 2
                and extract(day from customer_birthdays.birth_date) = 29 then 28
            else cast(extract(day from customer_birthdays.birth_date) as integer)
        end as birth_day
    from customer_birthdays
    cross join as_of

),

next_birthdays as (

    select
        customer_id,
        as_of_date,
        case
            when make_date(as_of_year, birth_month, birth_day) >= as_of_date
                then make_date(as_of_year, birth_month, birth_day)
            else make_date(as_of_year + 1, birth_month, birth_day)
        end as next_birthday
    from birthdays_this_year

),

referrers as (

    select
        referred_by_customer_id as customer_id,
        count(*) as buying_referred_customers
    from customers
    where referred_by_customer_id is not null
        and order_count > 0
    group by referred_by_customer_id

),

positive_reviewers as (

    select distinct customer_id
    from feedback_items
    where instrument = 'star_rating'
        and channel = 'review'
        and score_value >= 4
        and customer_id is not null

),

reasons as (

    select
        customer_id,
        'vip' as appreciation_reason,
        loyalty_tier as reason_detail
    from customers
    where loyalty_tier in ('gold', 'platinum')
    union all
    select
        customers.customer_id,
        'long_standing' as appreciation_reason,
        {{ dbt.safe_cast(
            dbt.datediff('customers.first_order_at', 'as_of.as_of_date', 'year'),
            dbt.type_string()
        ) }} as reason_detail
    from customers
    cross join as_of
    where not customers.is_lapsed
        and {{ dbt.datediff('customers.first_order_at', 'as_of.as_of_date', 'day') }}
            >= 365 * {{ var('appreciate_min_tenure_years') }}
    union all
    select
        customer_id,
        'upcoming_birthday' as appreciation_reason,
        {{ dbt.safe_cast('next_birthday', dbt.type_string()) }} as reason_detail
    from next_birthdays
    where {{ dbt.datediff('as_of_date', 'next_birthday', 'day') }}
        <= {{ var('appreciate_birthday_window_days') }}
    union all
    select
        customer_id,
        'top_referrer' as appreciation_reason,
        {{ dbt.safe_cast('buying_referred_customers', dbt.type_string()) }} as reason_detail
    from referrers
    where buying_referred_customers >= 2
    union all
    select
        customers.customer_id,
        'promoter_reviewer' as appreciation_reason,
        'promoter' as reason_detail
    from customers
    inner join positive_reviewers
        on customers.customer_id = positive_reviewers.customer_id
    where customers.latest_nps_group = 'promoter'

),

final as (

    select
        {{ surrogate_key(['reasons.customer_id', 'reasons.appreciation_reason']) }} as appreciation_row_id,
        reasons.customer_id,
        reasons.appreciation_reason,
        cast(reasons.reason_detail as {{ dbt.type_string() }}) as reason_detail,
        customers.loyalty_tier,
        customers.net_spend,
        customers.order_count
    from reasons
    inner join customers
        on reasons.customer_id = customers.customer_id

)

select * from final
