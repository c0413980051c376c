with

source as {{ not_materialized() }} (

    select * from {{ source('vendors', 'feedback_sources') }}

),

final as (

    select
        source,
        family,
        channel,
        scale_min,
        scale_max
    from source

)

select * from final
