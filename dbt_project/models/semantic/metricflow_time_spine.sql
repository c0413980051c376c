{#- One row per day: MetricFlow joins metrics to it for time-based aggregation.
    The range covers any feedback or order date the marts can hold. -#}
{{ config(materialized='table', schema='semantic') }}

with

days as (

    {{ dbt.date_spine('day', "cast('2000-01-01' as date)", "cast('2041-01-01' as date)") }}

),

final as (

    select cast(date_day as date) as date_day
    from days

)

select * from final
