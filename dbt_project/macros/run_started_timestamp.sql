{#- When this dbt invocation started, as a timestamp literal: incremental models stamp the
    rows they (re)write with it, so the models after them pick up exactly those rows. -#}
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
