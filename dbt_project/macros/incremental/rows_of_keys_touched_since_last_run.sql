{#- For the staging models incremental on the load id: every raw row in `source_cte` of
    the keys a run must redo, i.e. keys that a load this model has not stored yet
    delivers, and stored keys whose load has left raw (a corrected re-delivery replaced
    it). Their winners are then recomputed over every load. `raw_keys` are the key
    expressions over the raw rows of `raw_relation`, `stored_keys` the same keys as this
    model stores them (by default the same names). The join leaves the key expressions
    unqualified: they read raw columns, and the touched keys have names of their own.

    Raw tables grow by whole loads, so a raw row group holds rows of one load. The loads
    are therefore looked up first and written into the SQL as literals: DuckDB then skips
    the row groups of every other load instead of reading all history, list columns
    included, into the join. -#}
{% macro rows_of_keys_touched_since_last_run(source_cte, raw_relation, raw_keys, stored_keys=none) -%}
    {%- set stored_keys = stored_keys or raw_keys -%}
    {%- set new_loads = load_ids(
        "select distinct _load_id from " ~ raw_relation
        ~ " where _load_id not in (select distinct load_id from " ~ this ~ ")"
    ) -%}
    {%- set left_loads = load_ids(
        "select distinct load_id from " ~ this
        ~ " where load_id not in (select distinct _load_id from " ~ raw_relation ~ ")"
    ) -%}
    {%- set touched_keys -%}
        {{ keys_of_loads(raw_keys, raw_relation, '_load_id', new_loads) }}

        union

        {{ keys_of_loads(stored_keys, this, 'load_id', left_loads) }}
    {%- endset -%}
    {%- set key_match -%}
        {% for key in raw_keys -%}
        {{ key }} = touched_keys.touched_key_{{ loop.index }}{{ ' and ' if not loop.last }}
        {%- endfor %}
    {%- endset -%}
    {%- set loads_of_touched_keys = load_ids(
        "select distinct _load_id from " ~ raw_relation ~ " where exists (select 1 from ("
        ~ touched_keys ~ ") as touched_keys where " ~ key_match ~ ")"
    ) if new_loads or left_loads else [] -%}
    select {{ source_cte }}.*
    from {{ source_cte }}
    inner join ({{ touched_keys }}) as touched_keys
        on {{ key_match }}
    where {{ source_cte }}._load_id in ({{ load_id_literals(loads_of_touched_keys) }})
{%- endmacro %}


{#- The distinct `keys` of the rows of `relation` whose `load_column` is one of `loads`,
    named touched_key_1, touched_key_2, ... -#}
{% macro keys_of_loads(keys, relation, load_column, loads) -%}
    select distinct
        {%- for key in keys %}
        {{ key }} as touched_key_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where {{ load_column }} in ({{ load_id_literals(loads) }})
{%- endmacro %}


{#- The load ids a query returns, sorted; none while dbt only parses. -#}
{% macro load_ids(query) -%}
    {%- if execute -%}
        {{ return(run_query(query ~ " order by 1").columns[0].values() | list) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}


{#- Load ids as a list of SQL string literals for `in (...)`; `null` (no row) when none. -#}
{% macro load_id_literals(loads) -%}
    {{- string_literals(loads) if loads else 'null' -}}
{%- endmacro %}


{#- Text values as a comma-separated list of SQL string literals. -#}
{% macro string_literals(values) -%}
    {%- for value in values -%}
        '{{ value | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}


{#- The CTE `cte_name` of the raw rows a staging model works on: on an incremental run,
    the rows of the keys it must redo (above); on a full build, every raw row, not
    materialised, so each reader streams the raw table again rather than DuckDB holding
    all of it in memory. -#}
{% macro staged_rows_cte(cte_name, source_cte, raw_relation, raw_keys, stored_keys=none) -%}
    {%- if is_incremental() -%}
{{ cte_name }} as (

    {{ rows_of_keys_touched_since_last_run(source_cte, raw_relation, raw_keys, stored_keys) }}

)
    {%- else -%}
{{ cte_name }} as {{ not_materialized() }} (

    select * from {{ source_cte }}

)
    {%- endif -%}
{%- endmacro %}
