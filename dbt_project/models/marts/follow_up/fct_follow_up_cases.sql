{#- The follow-up queue: one row per case to handle, with its state from the actions
    taken on it (docs/follow-up.md). Which responses and reviews are cases, and why, is
    fct_follow_up_case_triggers; this adds who can be contacted, how, by when, and what
    has been done. Due times are judged against the clock, so every run rebuilds it. -#}
with

cases as {{ not_materialized() }} (

    select * from {{ ref('fct_follow_up_case_triggers') }}

),

reviews as {{ not_materialized() }} (

    select * from {{ ref('int_reviews_resolved') }}

),

survey_responses as {{ not_materialized() }} (

    select * from {{ ref('stg_surveys__responses') }}
    where respondent_email_hash is not null

),

customers as {{ not_materialized() }} (

    select * from {{ ref('dim_customers') }}

),

customer_contacts as {{ not_materialized() }} (

    select * from {{ ref('stg_commerce__customers') }}

),

appreciated_customers as {{ not_materialized() }} (

    select * from {{ ref('fct_customers_to_appreciate') }}
    where appreciation_reason = 'vip'

),

response_targets as {{ not_materialized() }} (

    select * from {{ ref('follow_up_response_targets') }}

),

actions as {{ not_materialized() }} (

    select * from {{ ref('stg_followup__case_actions') }}

),

action_types as {{ not_materialized() }} (

    select * from {{ ref('case_action_types') }}

),

vip_customers as (

    select distinct customer_id
    from appreciated_customers

),

high_value as (

    {#- Net spend to date (historic lifetime value) in the top share of buying customers. -#}
    select
        percentile_cont({{ 1 - var('follow_up_high_value_share') }}) within group (order by net_spend)
            as net_spend_floor
    from customers
    where order_count > 0

),

case_actions as (

    select
        actions.*,
        action_types.is_response,
        action_types.closes_case,
        action_types.reopens_case
    from actions
    inner join action_types
        on actions.action = action_types.action
    inner join cases
        on actions.case_id = cases.case_id

),

ranked_actions as (

    select
        *,
        row_number() over (
            partition by case_id
            order by acted_at, loaded_at, case_action_id
        ) as first_rank,
        case when is_response then row_number() over (
            partition by case_id, is_response
            order by acted_at, loaded_at, case_action_id
        ) end as response_rank,
        case when action = 'assigned' then row_number() over (
            partition by case_id, action
            order by acted_at desc, loaded_at desc, case_action_id desc
        ) end as assignment_recency_rank,
        case when closes_case or reopens_case then row_number() over (
            partition by case_id, closes_case or reopens_case
            order by acted_at desc, loaded_at desc, case_action_id desc
        ) end as state_recency_rank
    from case_actions

),

action_summary as (

    select
        case_id,
        count(*) as action_count,
        max(case when response_rank = 1 then acted_at end) as first_action_response_at,
        max(case when response_rank = 1 then actor end) as first_responder,
        max(case when assignment_recency_rank = 1 then actor end) as assignee,
        max(case when first_rank = 1 then actor end) as first_actor,
        max(case when state_recency_rank = 1 and closes_case then action end) as closing_action,
        max(case when state_recency_rank = 1 and closes_case then acted_at end) as closed_at,
        max(acted_at) as latest_action_at,
        {{ latest_value('action', ['acted_at', 'loaded_at', 'case_action_id']) }} as latest_action,
        {{ latest_value('note', ['acted_at', 'loaded_at', 'case_action_id']) }} as latest_note
    from ranked_actions
    group by case_id

),

enriched as (

    select
        cases.*,
        {{ follow_up_evaluated_at() }} as evaluated_at,
        coalesce(customer_contacts.email_hash, survey_responses.respondent_email_hash) is not null
            or customer_contacts.phone_hash is not null as is_contactable,
        case
            when customer_contacts.email_hash is not null then 'email'
            when customer_contacts.phone_hash is not null then 'phone'
            when survey_responses.respondent_email_hash is not null then 'email'
            when cases.channel = 'review' then 'platform_reply'
        end as contact_channel,
        vip_customers.customer_id is not null as is_vip,
        coalesce(customers.net_spend >= high_value.net_spend_floor and customers.order_count > 0, false)
            as is_high_value,
        response_targets.response_target_hours,
        response_targets.resolution_target_hours,
        {{ dbt.dateadd('hour', 'response_targets.response_target_hours', 'cases.opened_at') }} as due_at,
        {{ dbt.dateadd('hour', 'response_targets.resolution_target_hours', 'cases.opened_at') }} as resolution_due_at,
        reviews.reply_body is not null as is_replied_on_platform,
        reviews.replied_at,
        action_summary.action_count,
        action_summary.first_action_response_at,
        action_summary.first_responder,
        action_summary.assignee,
        action_summary.first_actor,
        action_summary.closing_action,
        action_summary.closed_at,
        action_summary.latest_action,
        action_summary.latest_action_at,
        action_summary.latest_note
    from cases
    cross join high_value
    inner join response_targets
        on cases.channel = response_targets.channel
    left join customers
        on cases.customer_id = customers.customer_id
    left join customer_contacts
        on cases.customer_id = customer_contacts.customer_id
    left join vip_customers
        on cases.customer_id = vip_customers.customer_id
    left join survey_responses
        on cases.survey_response_id = survey_responses.survey_response_id
    left join reviews
        on cases.review_platform = reviews.platform
        and cases.source_record_id = reviews.review_id
    left join action_summary
        on cases.case_id = action_summary.case_id

),

stated as (

    select
        *,
        {#- least() skips nulls on both engines: the earlier of the two responses. -#}
        least(first_action_response_at, replied_at) as first_response_at,
        first_action_response_at is not null or is_replied_on_platform as is_responded,
        case
            when closing_action = 'resolved' then 'resolved'
            when closing_action is not null then {{ dbt.concat(["'closed_'", 'closing_action']) }}
            when first_action_response_at is not null or is_replied_on_platform then 'responded'
            else 'open'
        end as status
    from enriched

),

final as (

    select
        case_id,
        channel,
        source,
        survey_id,
        source_record_id,
        feedback_item_id,
        primary_instrument,
        cast(primary_score as {{ type_double() }}) as primary_score,
        cast(scale_min as integer) as scale_min,
        cast(scale_max as integer) as scale_max,
        reason,
        themes,
        cast(trigger_count as integer) as trigger_count,
        is_nps_detractor,
        customer_id,
        is_contactable,
        contact_channel,
        is_vip,
        is_high_value,
        case
            when is_vip then 'vip'
            when is_high_value then 'high_value'
            when channel = 'review' then 'public_review'
            else 'standard'
        end as priority,
        cast(case
            when is_vip then 1
            when is_high_value then 2
            when channel = 'review' then 3
            else 4
        end as integer) as priority_rank,
        touchpoint,
        product,
        location,
        language,
        opened_at,
        cast(response_target_hours as integer) as response_target_hours,
        cast(due_at as {{ dbt.type_timestamp() }}) as due_at,
        cast(resolution_due_at as {{ dbt.type_timestamp() }}) as resolution_due_at,
        status,
        coalesce(
            assignee,
            first_actor,
            case when is_replied_on_platform then 'platform_reply' end,
            'unassigned'
        ) as owner,
        is_responded,
        first_response_at,
        case
            when first_action_response_at is not null
                and (replied_at is null or first_action_response_at <= replied_at)
                then first_responder
            when is_replied_on_platform then 'platform_reply'
        end as first_response_by,
        is_replied_on_platform,
        case when status in ('resolved', 'closed_no_action') then closed_at end as closed_at,
        cast(coalesce(action_count, 0) as integer) as action_count,
        latest_action,
        latest_action_at,
        latest_note,
        cast({{ round_metric(hours_between('opened_at', 'first_response_at'), 2) }} as {{ type_double() }})
            as hours_to_first_response,
        case
            when status = 'resolved'
                then cast({{ round_metric(hours_between('opened_at', 'closed_at'), 2) }} as {{ type_double() }})
        end as hours_to_resolution,
        case when first_response_at is not null then first_response_at <= due_at end
            as is_response_within_target,
        case when status = 'resolved' then closed_at <= resolution_due_at end
            as is_resolution_within_target,
        status = 'open' and due_at < evaluated_at as is_past_due,
        status in ('open', 'responded') and resolution_due_at < evaluated_at as is_resolution_overdue,
        evaluated_at
    from stated

)

select * from final
