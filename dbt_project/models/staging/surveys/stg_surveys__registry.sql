with

source as {{ not_materialized() }} (

    select * from {{ source('surveys', 'survey_registry') }}

),

latest_load as (

    {#- The registry is reloaded whole; the latest entry for an item wins. -#}
    select
        *,
        row_number() over (
            partition by survey_id, item_id
            order by _loaded_at desc
        ) as load_recency_rank
    from source

),

final as (

    select
        {{ surrogate_key(['survey_id', 'item_id']) }} as survey_item_id,
        survey_id,
        item_id,
        lower(trim(instrument)) as instrument,
        lower(trim(item_name)) as item_name,
        scale_min,
        scale_max,
        coalesce(lower(trim(direction)), 'higher_is_better') as direction,
        question_text,
        vendor,
        lower(trim(channel)) as distribution_channel,
        lower(trim(touchpoint)) as default_touchpoint,
        timezone as time_zone,
        coalesce(lower(trim(survey_kind)), 'relationship') as survey_kind,
        duplicate_window_days,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
