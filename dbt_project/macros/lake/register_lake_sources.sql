{#- on-run-start: the raw sources as tables over the Parquet raw layer (docs/spark.md),
    on engines that read the lake instead of a raw schema loaded into them. Elsewhere the
    raw schema is a real one (DuckDB's own, or Postgres's copy) and this does nothing. -#}
{% macro register_lake_sources() -%}
    {{ return(adapter.dispatch('register_lake_sources')()) }}
{%- endmacro %}

{% macro default__register_lake_sources() -%}
{%- endmacro %}

{#- Each raw source becomes an external table over its folder of the lake, dropped and
    created again on every run, so a column the raw layer gained is there too. Its columns
    come from the zero-row Parquet file the lake keeps per table (_schemas/<table>.parquet):
    a table with no load yet is an empty table, not a missing path. Tables of loads are
    partitioned by load date; their partitions are listed afresh (msck repair), and the
    files a load writes appear only under their final names, after the load committed.
    The text scorer's tables (the `analytics` source) are read the same way, from the
    snapshots the job writes before each build (_schemas/analytics/<table>.parquet). -#}
{% macro spark__register_lake_sources() -%}
    {%- if execute -%}
        {%- set lake = lake_url() -%}
        {%- set tables = [] -%}
        {%- for node in graph.sources.values()
            if node.schema in lake_schemas() and (node.schema, node.identifier) not in tables -%}
            {%- do tables.append((node.schema, node.identifier)) -%}
        {%- endfor -%}
        {%- for schema in lake_schemas() -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- endfor -%}
        {%- for schema, table in tables | sort -%}
            {%- set schema_folder = '/_schemas/' if schema == 'raw' else '/_schemas/' ~ schema ~ '/' -%}
            {%- set described = run_query(
                'describe query select * from parquet.`' ~ lake ~ schema_folder ~ table ~ '.parquet`'
            ) -%}
            {%- set columns = [] -%}
            {%- for row in described.rows -%}
                {#- An instant stays one (the profile makes plain `timestamp` zone-less). -#}
                {%- set data_type = 'timestamp_ltz' if row[1] == 'timestamp' else row[1] -%}
                {%- do columns.append('`' ~ row[0] ~ '` ' ~ data_type) -%}
            {%- endfor -%}
            {%- set per_load = '`_load_id` string' in columns -%}
            {%- if per_load -%}
                {%- do columns.append('`load_date` date') -%}
            {%- endif -%}
            {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
            {%- do run_query(
                'create table ' ~ schema ~ '.' ~ table ~ ' (' ~ columns | join(', ') ~ ') using parquet'
                ~ (' partitioned by (load_date)' if per_load else '')
                ~ " location '" ~ lake ~ '/' ~ schema ~ '/' ~ table ~ "'"
            ) -%}
            {%- if per_load -%}
                {%- do run_query('msck repair table ' ~ schema ~ '.' ~ table) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- Where the lake is, as this engine names it: PULSE_SPARK_LAKE_URL when the engine
    spells the store differently (s3a:// for s3://), else PULSE_LAKE_URL. -#}
{% macro lake_url() -%}
    {{ return(env_var('PULSE_SPARK_LAKE_URL', env_var('PULSE_LAKE_URL', '../data/lake')) | trim | replace("'", "") ) }}
{%- endmacro %}

{#- The source schemas the lake holds: the raw layer, and the text scorer's tables. -#}
{% macro lake_schemas() -%}
    {{ return(['raw', 'analytics']) }}
{%- endmacro %}
