{#- What following up changes, as far as the data can tell: for the cases of known
    customers (all, and those with a detractor NPS answer), the NPS of the customer's next
    NPS answer and the share who ordered again, within var follow_up_outcome_window_days
    of the case opening, for contacted cases (any response) against the rest, with 95%
    intervals (adjusted Wald for NPS, Wilson for the repeat rate) and the difference
    with its interval and significance. The next answer of a contacted case is the first
    after its first response. Repeat purchase counts only cases whose whole window lies
    before the as-of date. Observational: teams choose whom to contact, so a difference
    is an association, not an effect. -#}
{%- set window_days = var('follow_up_outcome_window_days') -%}

with

follow_up_cases as {{ not_materialized() }} (

    select * from {{ ref('fct_follow_up_cases') }}

),

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

all_orders as {{ not_materialized() }} (

    select * from {{ ref('fct_orders') }}

),

cases as (

    select * from follow_up_cases
    where customer_id is not null

),

nps_answers as (

    select
        customer_id,
        occurred_at,
        nps_group
    from feedback_items
    where instrument = 'nps'
        and nps_group is not null
        and customer_id is not null

),

orders as (

    select
        customer_id,
        order_date
    from all_orders
    where is_completed

),

as_of as (

    {{ loyalty_as_of('orders') }}

),

case_groups as (

    select
        'all_cases' as case_group,
        case_id,
        customer_id,
        opened_at,
        is_responded as is_contacted,
        case when is_responded then coalesce(first_response_at, opened_at) else opened_at end
            as measured_from
    from cases
    union all
    select
        'nps_detractors' as case_group,
        case_id,
        customer_id,
        opened_at,
        is_responded as is_contacted,
        case when is_responded then coalesce(first_response_at, opened_at) else opened_at end
            as measured_from
    from cases
    where is_nps_detractor

),

later_answers as (

    select
        case_groups.case_group,
        case_groups.case_id,
        case_groups.is_contacted,
        nps_answers.nps_group,
        row_number() over (
            partition by case_groups.case_group, case_groups.case_id
            order by nps_answers.occurred_at
        ) as answer_rank
    from case_groups
    inner join nps_answers
        on case_groups.customer_id = nps_answers.customer_id
        and nps_answers.occurred_at > case_groups.measured_from
        and nps_answers.occurred_at <= {{ dbt.dateadd('day', window_days, 'case_groups.opened_at') }}

),

later_nps as (

    select
        case_group,
        'later_nps' as outcome,
        is_contacted,
        count(*) as n,
        sum(case when nps_group = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_group = 'detractor' then 1 else 0 end) as detractors
    from later_answers
    where answer_rank = 1
    group by
        case_group,
        is_contacted

),

repeat_windows as (

    select
        case_groups.case_group,
        case_groups.case_id,
        case_groups.is_contacted,
        max(case when orders.order_date is not null then 1 else 0 end) as ordered_again
    from case_groups
    cross join as_of
    left join orders
        on case_groups.customer_id = orders.customer_id
        and orders.order_date > cast(case_groups.opened_at as date)
        and orders.order_date <= cast({{ dbt.dateadd('day', window_days, 'case_groups.opened_at') }} as date)
    where cast({{ dbt.dateadd('day', window_days, 'case_groups.opened_at') }} as date) <= as_of.as_of_date
    group by
        case_groups.case_group,
        case_groups.case_id,
        case_groups.is_contacted

),

repeat_purchase as (

    select
        case_group,
        'repeat_purchase' as outcome,
        is_contacted,
        count(*) as n,
        sum(ordered_again) as repeat_customers
    from repeat_windows
    group by
        case_group,
        is_contacted

),

group_values as (

    select
        case_group,
        outcome,
        is_contacted,
        n,
        {{ nps_score('promoters', 'detractors', 'n') }} as outcome_value,
        {{ nps_standard_error('promoters', 'detractors', 'n') }} as standard_error,
        greatest({{ nps_score('promoters', 'detractors', 'n') }} - {{ nps_margin('promoters', 'detractors', 'n') }}, -100) as ci_lower,
        least({{ nps_score('promoters', 'detractors', 'n') }} + {{ nps_margin('promoters', 'detractors', 'n') }}, 100) as ci_upper
    from later_nps
    union all
    select
        case_group,
        outcome,
        is_contacted,
        n,
        100.0 * repeat_customers / n as outcome_value,
        100.0 * sqrt((repeat_customers * 1.0 / n) * (1 - repeat_customers * 1.0 / n) / n) as standard_error,
        100.0 * {{ wilson_lower('repeat_customers', 'n') }} as ci_lower,
        100.0 * {{ wilson_upper('repeat_customers', 'n') }} as ci_upper
    from repeat_purchase

),

spine as (

    {%- for case_group in ['all_cases', 'nps_detractors'] %}
        {%- for outcome in ['later_nps', 'repeat_purchase'] %}
    select '{{ case_group }}' as case_group, '{{ outcome }}' as outcome
            {%- if not loop.last %}
    union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}

),

compared as (

    select
        spine.case_group,
        spine.outcome,
        coalesce(contacted.n, 0) as contacted_n,
        contacted.outcome_value as contacted_value,
        contacted.ci_lower as contacted_ci_lower,
        contacted.ci_upper as contacted_ci_upper,
        coalesce(not_contacted.n, 0) as not_contacted_n,
        not_contacted.outcome_value as not_contacted_value,
        not_contacted.ci_lower as not_contacted_ci_lower,
        not_contacted.ci_upper as not_contacted_ci_upper,
        contacted.outcome_value - not_contacted.outcome_value as difference,
        sqrt(
            contacted.standard_error * contacted.standard_error
            + not_contacted.standard_error * not_contacted.standard_error
        ) as difference_standard_error,
        coalesce(contacted.n, 0) < {{ var('small_sample_min') }}
            or coalesce(not_contacted.n, 0) < {{ var('small_sample_min') }} as is_small_sample
    from spine
    left join group_values as contacted
        on spine.case_group = contacted.case_group
        and spine.outcome = contacted.outcome
        and contacted.is_contacted
    left join group_values as not_contacted
        on spine.case_group = not_contacted.case_group
        and spine.outcome = not_contacted.outcome
        and not not_contacted.is_contacted

),

final as (

    select
        {{ surrogate_key(['case_group', 'outcome']) }} as outcome_row_id,
        case_group,
        outcome,
        cast({{ window_days }} as integer) as window_days,
        cast(contacted_n as {{ dbt.type_bigint() }}) as contacted_n,
        {{ round_metric('contacted_value') }} as contacted_value,
        {{ round_metric('contacted_ci_lower') }} as contacted_ci_lower,
        {{ round_metric('contacted_ci_upper') }} as contacted_ci_upper,
        cast(not_contacted_n as {{ dbt.type_bigint() }}) as not_contacted_n,
        {{ round_metric('not_contacted_value') }} as not_contacted_value,
        {{ round_metric('not_contacted_ci_lower') }} as not_contacted_ci_lower,
        {{ round_metric('not_contacted_ci_upper') }} as not_contacted_ci_upper,
        {{ round_metric('difference') }} as difference,
        {{ round_metric('difference - 1.96 * difference_standard_error') }} as difference_ci_lower,
        {{ round_metric('difference + 1.96 * difference_standard_error') }} as difference_ci_upper,
        {{ round_metric('difference / nullif(difference_standard_error, 0)') }} as difference_z,
        {{ is_change_significant('difference / nullif(difference_standard_error, 0)', 'is_small_sample', 'false') }}
            as is_significant,
        is_small_sample
    from compared

)

select * from final
