{#- The work list: every case not yet resolved or closed, in the order to handle them.
    VIPs and high-value customers first, then public reviews, then the rest; within a
    priority, cases past their response due time first, then the earliest due. -#}
with

cases as {{ not_materialized() }} (

    select * from {{ ref('fct_follow_up_cases') }}
    where status in ('open', 'responded')

),

final as (

    select
        case_id,
        cast(row_number() over (
            order by priority_rank asc, is_past_due desc, due_at asc, case_id asc
        ) as integer) as queue_position,
        priority,
        priority_rank,
        status,
        is_past_due,
        is_resolution_overdue,
        due_at,
        resolution_due_at,
        opened_at,
        channel,
        source,
        reason,
        themes,
        customer_id,
        is_contactable,
        contact_channel,
        owner,
        latest_action,
        latest_action_at,
        feedback_item_id,
        source_record_id,
        evaluated_at
    from cases

)

select * from final
