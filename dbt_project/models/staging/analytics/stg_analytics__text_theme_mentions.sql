with

source as {{ not_materialized() }} (

    select * from {{ source('analytics', 'text_theme_mentions') }}

),

final as (

    select
        {{ surrogate_key(['feedback_item_id', 'theme']) }} as text_theme_id,
        feedback_item_id,
        theme,
        dictionary_version,
        scored_at
    from source

)

select * from final
