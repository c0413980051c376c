{#- How the models that replace rows by key on each run (delete+insert, with deletes in
    their hooks) are stored. DuckDB and Postgres keep them incremental. On Spark their
    tables are plain Parquet files, which cannot delete or replace single rows (that takes
    a table format such as Delta or Iceberg, with `merge`): there they are rebuilt whole
    on every run, from the same SQL as a first build, so the result is the same. -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}

{#- The CTE hint that keeps DuckDB and Postgres from materialising a CTE read several
    times (`name as {{ not_materialized() }} (...)`); Spark plans CTEs itself and has no hint. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
