with

source as (

    select * from {{ published_rows(source('polls', 'poll_options')) }}

),

latest_load as (

    {#- An open poll is delivered again with new counts: the latest load wins. -#}
    select
        *,
        row_number() over (
            partition by lower(platform), poll_id, option_position
            order by _loaded_at desc, _load_id desc, _row_number desc
        ) as load_recency_rank
    from source
    where poll_id is not null
        and platform is not null
        and option_position is not null

),

final as (

    select
        {{ surrogate_key(['lower(platform)', 'poll_id', 'option_position']) }} as poll_option_id,
        poll_id,
        lower(platform) as platform,
        question,
        {{ try_parse_integer('option_position') }} as option_position,
        option_label,
        {{ try_parse_integer('votes') }} as votes,
        lower(voting_status) as voting_status,
        {{ utc_from_iso_text('started_at') }} as started_at,
        {{ utc_from_iso_text('ends_at') }} as ends_at,
        topic,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
