{#- In an aggregate: `value` on the group's latest row, the row a row_number() over
    (order by the ordering columns desc) would rank first, even when `value` is null there.
    One aggregate instead of a window: no sort of every row, no second pass for rank 1.
    The ordering columns must not be null. -#}
{% macro latest_value(value, ordering_columns) -%}
    {{ return(adapter.dispatch('latest_value')(value, ordering_columns)) }}
{%- endmacro %}

{% macro default__latest_value(value, ordering_columns) -%}
    (array_agg({{ value }} order by {{ ordering_columns | join(' desc, ') }} desc))[1]
{%- endmacro %}

{% macro duckdb__latest_value(value, ordering_columns) -%}
    arg_max_null({{ value }}, row({{ ordering_columns | join(', ') }}))
{%- endmacro %}

{#- max_by keeps the value of the greatest ordering struct, null or not. -#}
{% macro spark__latest_value(value, ordering_columns) -%}
    max_by({{ value }}, struct({{ ordering_columns | join(', ') }}))
{%- endmacro %}
