{#- Post-hook of the staging models incremental on the load id: after the insert, rows
    whose load is no longer in `raw_relation` (a corrected re-delivery replaced it) and
    whose key no load delivers any more are the only ones still carrying such a load. -#}
{% macro delete_rows_of_loads_left_raw(raw_relation) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where load_id not in (select distinct _load_id from {{ raw_relation }})
    {%- endif -%}
{%- endmacro %}
