{#- One row per poll and option with its votes, its share of the poll's votes, whether it
    leads or won (ties give every tied option the flag) and the poll's status. Polls from
    every platform arrive in one staged shape, so nothing here depends on the platform. -#}
with

poll_options as {{ not_materialized() }} (

    select * from {{ ref('stg_polls__poll_options') }}

),

option_totals as (

    select
        *,
        sum(coalesce(votes, 0)) over (partition by platform, poll_id) as poll_votes,
        max(coalesce(votes, 0)) over (partition by platform, poll_id) as top_option_votes,
        count(*) over (partition by platform, poll_id) as option_count
    from poll_options

),

leaders as (

    select
        *,
        {#- An option leads when no option has more votes; a poll without votes has no leader. -#}
        coalesce(votes, 0) = top_option_votes and top_option_votes > 0 as is_leading
    from option_totals

),

flagged as (

    select
        *,
        sum(case when is_leading then 1 else 0 end) over (partition by platform, poll_id) as leading_option_count,
        {#- The platform's own word wins; otherwise a poll whose end had passed when its
            counts were loaded is closed, so its counts are final. -#}
        case
            when voting_status in ('open', 'closed') then voting_status
            when ends_at <= loaded_at then 'closed'
            else 'open'
        end as poll_status
    from leaders

),

final as (

    select
        poll_option_id,
        {{ surrogate_key(['platform', 'poll_id']) }} as platform_poll_id,
        poll_id,
        platform,
        question,
        cast(option_position as {{ dbt.type_int() }}) as option_position,
        option_label,
        cast(coalesce(votes, 0) as {{ dbt.type_bigint() }}) as votes,
        cast(poll_votes as {{ dbt.type_bigint() }}) as poll_votes,
        {{ round_metric(share_percent('coalesce(votes, 0)', 'poll_votes')) }} as vote_share,
        cast(option_count as {{ dbt.type_int() }}) as option_count,
        is_leading,
        is_leading and leading_option_count > 1 as is_tied,
        is_leading and poll_status = 'closed' as is_winner,
        poll_status,
        started_at,
        ends_at,
        topic,
        loaded_at as votes_counted_at
    from flagged

)

select * from final
