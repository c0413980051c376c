{#- Numeric text as a double; anything else (free text, 'Yes') becomes null. -#}
{% macro try_parse_number(column) -%}
    {{ return(adapter.dispatch('try_parse_number')(column)) }}
{%- endmacro %}

{% macro default__try_parse_number(column) -%}
    case
        when trim({{ column }}) ~ '^[+-]?[0-9]+(\.[0-9]+)?$'
            then cast(trim({{ column }}) as {{ type_double() }})
    end
{%- endmacro %}

{% macro duckdb__try_parse_number(column) -%}
    try_cast(trim({{ column }}) as {{ type_double() }})
{%- endmacro %}

{% macro spark__try_parse_number(column) -%}
    case
        when trim({{ column }}) rlike {{ spark_string_literal('^[+-]?[0-9]+(\.[0-9]+)?$') }}
            then cast(trim({{ column }}) as {{ type_double() }})
    end
{%- endmacro %}

{#- Integer text as an integer; anything else becomes null. -#}
{% macro try_parse_integer(column) -%}
    {{ return(adapter.dispatch('try_parse_integer')(column)) }}
{%- endmacro %}

{% macro default__try_parse_integer(column) -%}
    case
        when trim({{ column }}) ~ '^[+-]?[0-9]+$'
            then cast(trim({{ column }}) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{% macro duckdb__try_parse_integer(column) -%}
    try_cast(trim({{ column }}) as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro spark__try_parse_integer(column) -%}
    case
        when trim({{ column }}) rlike '^[+-]?[0-9]+$'
            then cast(trim({{ column }}) as {{ dbt.type_bigint() }})
    end
{%- endmacro %}

{#- An 8-byte float on every engine (dbt.type_float() is 4 bytes on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}
