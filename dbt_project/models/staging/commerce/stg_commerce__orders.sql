{#- Stored, not a view: several models and a dozen tests read it, and a view would
    redo its work for each of them (on a million rows, seconds every time).
    Incremental on the load id, like the survey staging models (staged_rows_cte). -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='order_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{{ delete_rows_of_loads_left_raw(published_rows(source('commerce', 'orders'))) }}"
        ]
    )
}}

with

source as {{ not_materialized() }} (

    {#- Read several times below: as a materialised CTE DuckDB would hold every raw row
        in memory (at 10M rows, more than a 2 GB cap), where a scan is cheap to repeat. -#}
    select * from {{ published_rows(source('commerce', 'orders')) }}

),

{{ staged_rows_cte('candidates', 'source', published_rows(source('commerce', 'orders')), ['order_id']) }},

latest_load as (

    {#- An order redelivered by a later file (for example refunded) keeps the latest load. -#}
    {{ rows_of_latest_load('candidates', ['order_id']) }}

),

final as (

    select
        order_id,
        customer_id,
        {{ utc_from_iso_text('ordered_at') }} as ordered_at,
        lower(trim(status)) as status,
        upper(trim(currency)) as currency,
        {{ dbt.safe_cast('gross_amount', 'numeric(18, 2)') }} as gross_amount,
        coalesce({{ dbt.safe_cast('discount_amount', 'numeric(18, 2)') }}, 0) as discount_amount,
        {{ dbt.safe_cast('net_amount', 'numeric(18, 2)') }} as net_amount,
        lower(trim(status)) = 'completed' as is_completed,
        channel,
        location,
        product_category,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load

)

select * from final
