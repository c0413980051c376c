{#- For the staging models incremental on the load id: every raw row in `source_cte` of
    the keys a run must redo, i.e. keys that a load this model has not stored yet
    delivers, and stored keys whose load has left raw (a corrected re-delivery replaced
    it). Their winners are then recomputed over every load. `raw_keys` are the key
    expressions over the raw rows, `stored_keys` the same keys as this model stores them
    (by default the same names). The join leaves the key expressions unqualified: they
    read raw columns, and the touched keys have names of their own. -#}
{% macro rows_of_keys_touched_since_last_run(source_cte, raw_keys, stored_keys=none) -%}
    {%- set stored_keys = stored_keys or raw_keys -%}
    select {{ source_cte }}.*
    from {{ source_cte }}
    inner join (
        select distinct
            {%- for key in raw_keys %}
            {{ key }} as touched_key_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ source_cte }}
        where _load_id not in (select distinct load_id from {{ this }})

        union

        select distinct
            {%- for key in stored_keys %}
            {{ key }} as touched_key_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ this }}
        where load_id not in (select distinct _load_id from {{ source_cte }})
    ) as touched_keys
        on {% for key in raw_keys -%}
        {{ key }} = touched_keys.touched_key_{{ loop.index }}{{ ' and ' if not loop.last }}
        {%- endfor %}
{%- endmacro %}


{#- The CTE `cte_name` of the raw rows a staging model works on: on an incremental run,
    the rows of the keys it must redo (above); on a full build, every raw row, not
    materialised, so each reader streams the raw table again rather than DuckDB holding
    all of it in memory. -#}
{% macro staged_rows_cte(cte_name, source_cte, raw_keys, stored_keys=none) -%}
    {%- if is_incremental() -%}
{{ cte_name }} as (

    {{ rows_of_keys_touched_since_last_run(source_cte, raw_keys, stored_keys) }}

)
    {%- else -%}
{{ cte_name }} as not materialized (

    select * from {{ source_cte }}

)
    {%- endif -%}
{%- endmacro %}
