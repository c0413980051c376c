{#- The project writes column types as DuckDB and Postgres spell them (contracts, seed
    column types). Spark knows most of them; these it spells differently. -#}
{% macro spark_data_type(data_type) -%}
    {%- set spelled = data_type | trim | lower -%}
    {%- set spark_names = {
        'varchar': 'string',
        'text': 'string',
        'character varying': 'string',
        'double precision': 'double',
    } -%}
    {{ return(spark_names.get(spelled, data_type)) }}
{%- endmacro %}

{#- A model contract's columns as an empty query, each type in Spark's spelling (dbt's
    own version casts to the contract's type as written). -#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set missing = [] -%}
    select
    {%- for name in columns -%}
        {%- set column = columns[name] -%}
        {%- if column['data_type'] is not defined -%}
            {%- do missing.append(column['name']) -%}
        {%- endif %}
        cast(null as {{ spark_data_type(column['data_type'] or 'string') }}) as {{ adapter.quote(column['name']) if column.get('quote') else column['name'] }}{{ ',' if not loop.last }}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.column_type_missing(column_names=missing) }}
    {%- endif -%}
{%- endmacro %}

{#- Seeds: dbt-spark's own table and insert statements, given the seed's column types in
    Spark's spelling. -#}
{% macro spark_seed_model(model) -%}
    {%- set column_types = {} -%}
    {%- for column, data_type in (model['config'].get('column_types') or {}).items() -%}
        {%- do column_types.update({column: spark_data_type(data_type)}) -%}
    {%- endfor -%}
    {%- set seed_config = model['config'].copy() -%}
    {%- do seed_config.update({'column_types': column_types}) -%}
    {%- set seed_model = model.copy() -%}
    {%- do seed_model.update({'config': seed_config}) -%}
    {{ return(seed_model) }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(spark_seed_model(model), agate_table)) }}
{%- endmacro %}

{#- dbt-spark binds seed values into its statement inside quotes without escaping them,
    so a value with an apostrophe ("customer's") breaks it: here every value is written
    as an escaped literal instead. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = spark_seed_model(model)['config']['column_types'] -%}
    {%- set types = [] -%}
    {%- for name in agate_table.column_names -%}
        {%- do types.append(column_types.get(name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {%- for row in chunk %}
            ({% for value in row -%}
                cast({{ 'null' if value is none else spark_string_literal(value | string) }} as {{ types[loop.index0] }}){{ ', ' if not loop.last }}
            {%- endfor %}){{ ',' if not loop.last }}
            {%- endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{#- Text as a Spark string literal: Spark reads backslash escapes in literals, so a
    backslash (in a regular expression, say) and a quote are escaped. -#}
{% macro spark_string_literal(text) -%}
    {{ return("'" ~ text | replace('\\', '\\\\') | replace("'", "\\'") ~ "'") }}
{%- endmacro %}
