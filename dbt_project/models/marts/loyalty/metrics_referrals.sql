{#- Referrals per month of the referred customer's sign-up and over all time: how many
    customers were referred, by how many referrers, and what the referred customers are
    worth against everybody else who signed up in the same window. -#}
with

customers as {{ not_materialized() }} (

    select * from {{ ref('dim_customers') }}

),

signed_up_customers as (

    select
        customer_id,
        referred_by_customer_id,
        referred_by_customer_id is not null as is_referred,
        order_count,
        net_spend,
        cast({{ dbt.date_trunc('month', 'signed_up_at') }} as date) as signup_month
    from customers
    where signed_up_at is not null

),

windowed as (

    select
        'month' as window_grain,
        signed_up_customers.signup_month as window_start,
        signed_up_customers.*
    from signed_up_customers
    union all
    select
        'all_time' as window_grain,
        min(signed_up_customers.signup_month) over () as window_start,
        signed_up_customers.*
    from signed_up_customers

),

cell_counts as (

    select
        window_grain,
        window_start,
        count(*) as signed_up_customers,
        sum(case when is_referred then 1 else 0 end) as referred_customers,
        count(distinct referred_by_customer_id) as referrers,
        sum(case when is_referred and order_count > 0 then 1 else 0 end) as referred_buying_customers,
        sum(case when is_referred then net_spend else 0 end) as referred_net_spend,
        avg(case when is_referred then net_spend end) as referred_average_net_spend,
        avg(case when not is_referred then net_spend end) as non_referred_average_net_spend
    from windowed
    group by window_grain, window_start

),

final as (

    select
        {{ surrogate_key(['window_grain', 'window_start']) }} as metric_row_id,
        window_grain,
        window_start,
        cast(signed_up_customers as integer) as signed_up_customers,
        cast(referred_customers as integer) as referred_customers,
        cast(referrers as integer) as referrers,
        cast(referred_buying_customers as integer) as referred_buying_customers,
        cast(100.0 * referred_customers / signed_up_customers as {{ type_double() }}) as referral_share,
        cast(
            greatest(0.0, 100.0 * {{ wilson_lower('referred_customers', 'signed_up_customers') }})
            as {{ type_double() }}
        ) as referral_share_lower_95,
        cast(
            least(100.0, 100.0 * {{ wilson_upper('referred_customers', 'signed_up_customers') }})
            as {{ type_double() }}
        ) as referral_share_upper_95,
        cast(referred_net_spend as numeric(18, 2)) as referred_net_spend,
        cast(referred_average_net_spend as numeric(18, 2)) as referred_average_net_spend,
        cast(non_referred_average_net_spend as numeric(18, 2)) as non_referred_average_net_spend,
        signed_up_customers < {{ var('small_sample_min') }} as is_small_sample
    from cell_counts

)

select * from final
