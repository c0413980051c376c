{#- One row per action on a follow-up case, typed. An action is the same action when
    its case, name, actor and time are: delivered again (an export of all actions to
    date), it keeps the row of the latest load. Notes are masked for emails and phone
    numbers. -#}
with

source as (

    select * from {{ published_rows(source('followup', 'case_actions')) }}

),

typed as (

    select
        trim(case_id) as case_id,
        lower(trim(action)) as action,
        coalesce(nullif(trim(actor), ''), 'unknown') as actor,
        {{ utc_from_iso_text('acted_at') }} as acted_at,
        nullif(trim(note), '') as note,
        _source,
        _file_name,
        _load_id,
        _loaded_at,
        _row_number
    from source

),

latest_load as (

    select
        *,
        row_number() over (
            partition by case_id, action, actor, acted_at
            order by _loaded_at desc, _load_id desc, _row_number desc
        ) as load_recency_rank
    from typed
    where case_id is not null
        and acted_at is not null

),

final as (

    select
        {{ surrogate_key(['case_id', 'action', 'actor', 'acted_at']) }} as case_action_id,
        case_id,
        action,
        actor,
        acted_at,
        {{ mask_pii('note') }} as note,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
