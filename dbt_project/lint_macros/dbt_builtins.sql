{#- Lint only (sqlfluff's jinja templater, dbt_project/.sqlfluff): stand-ins for the
    macros of dbt-core and dbt-duckdb that the project calls as `dbt.<name>(...)`, with
    their signatures and the SQL they compile to on DuckDB. dbt never loads this folder
    (it is not in macro-paths). -#}

{% macro default__type_string() %}varchar{% endmacro %}
{% macro default__type_bigint() %}bigint{% endmacro %}
{% macro default__type_int() %}integer{% endmacro %}
{% macro default__type_float() %}float{% endmacro %}
{% macro default__type_numeric() %}numeric(28, 6){% endmacro %}
{% macro default__type_timestamp() %}timestamp{% endmacro %}

{% macro default__concat(fields) -%}
    {{ fields | join(' || ') }}
{%- endmacro %}

{% macro default__hash(field) -%}
    md5(cast({{ field }} as varchar))
{%- endmacro %}

{% macro default__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{% macro duckdb__dateadd(datepart, interval, from_date_or_timestamp) -%}
    date_add({{ from_date_or_timestamp }}, interval ({{ interval }}) {{ datepart }})
{%- endmacro %}

{% macro duckdb__datediff(first_date, second_date, datepart) -%}
    date_diff('{{ datepart }}', {{ first_date }}::timestamp, {{ second_date }}::timestamp)
{%- endmacro %}

{% macro default__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    string_agg({{ measure }}, {{ delimiter_text }} {{ order_by_clause or '' }})
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) -%}
    select cast(range as date) as date_{{ datepart }}
    from range({{ start_date }}, {{ end_date }}, interval 1 {{ datepart }})
{%- endmacro %}

{#- The project's own dispatched macros whose DuckDB SQL sqlfluff cannot parse. -#}

{#- `name as not materialized (...)`: sqlfluff's DuckDB dialect has no CTE
    materialisation hint, so the CTE is linted without it. -#}
{% macro lint__not_materialized() -%}
{%- endmacro %}
