{#- Stored, not a view: every loyalty mart joins the customers, and as a view each of
    them would rank the loads of every customer again.
    Incremental on the load id, like the survey staging models (staged_rows_cte). -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='customer_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{{ delete_rows_of_loads_left_raw(published_rows(source('commerce', 'customers'))) }}"
        ]
    )
}}

with

source as {{ not_materialized() }} (

    {#- Read several times below: as a materialised CTE DuckDB would hold every raw row
        in memory (at 10M rows, more than a 2 GB cap), where a scan is cheap to repeat. -#}
    select * from {{ published_rows(source('commerce', 'customers')) }}

),

{{ staged_rows_cte('candidates', 'source', published_rows(source('commerce', 'customers')), ['customer_id']) }},

latest_load as (

    {#- The same customer delivered by several files: the latest load wins. -#}
    {{ rows_of_latest_load('candidates', ['customer_id']) }}

),

final as (

    select
        customer_id,
        email_hash,
        phone_hash,
        name_hash,
        {{ utc_from_iso_text('signed_up_at') }} as signed_up_at,
        country,
        city,
        {{ dbt.safe_cast('birth_date', 'date') }} as birth_date,
        referred_by_customer_id,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load

)

select * from final
