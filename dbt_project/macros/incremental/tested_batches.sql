{#- How far each batch-tested model's checks have got (see get_where_subquery.sql): every
    row stamped at or before `tested_through` passed all its batch-scoped tests. A run's
    tests read the rows stamped after the mark, and the mark moves to the run's start only
    when every one of them passed (or only warned), so the rows of a run whose tests failed
    or did not run are read again by the next run, until they pass. -#}

{% macro tested_batches_relation() -%}
    {%- do return(api.Relation.create(
        database=target.database, schema=target.schema, identifier='dbt_tested_batches'
    )) -%}
{%- endmacro %}


{#- on-run-start: the table of marks, empty on a new warehouse (every row unchecked). -#}
{% macro create_tested_batches() -%}
    {{ return(adapter.dispatch('create_tested_batches')()) }}
{%- endmacro %}

{#- Spark rebuilds every model whole (its Parquet tables cannot delete rows, see
    macros/cross_db/incremental_materialization.sql), so every row is new to every test
    and no mark is kept there. -#}
{% macro spark__create_tested_batches() -%}
{%- endmacro %}

{% macro default__create_tested_batches() -%}
    create table if not exists {{ tested_batches_relation() }} (
        model_unique_id {{ dbt.type_string() }} primary key,
        tested_through {{ dbt.type_timestamp() }} not null
    )
{%- endmacro %}


{#- The mark of one model as a scalar subquery; a model never checked has none yet. -#}
{% macro tested_through_timestamp(model_unique_id) -%}
    (select coalesce(max(tested_through), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
     from {{ tested_batches_relation() }}
     where model_unique_id = '{{ model_unique_id }}')
{%- endmacro %}


{#- on-run-end: move the mark of each model whose batch-scoped tests all ran in this
    invocation and passed or warned. -#}
{% macro advance_tested_batches(results) -%}
    {{ return(adapter.dispatch('advance_tested_batches')(results)) }}
{%- endmacro %}

{% macro spark__advance_tested_batches(results) -%}
{%- endmacro %}

{% macro default__advance_tested_batches(results) -%}
    {%- if not execute -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set finished = [] -%}
    {%- for result in results if result.status in ('pass', 'warn') -%}
        {%- do finished.append(result.node.unique_id) -%}
    {%- endfor -%}
    {%- set advanced = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and tested_batch_column(node) -%}
        {%- set tests = [] -%}
        {%- set unfinished = [] -%}
        {%- for test in graph.nodes.values()
            if test.resource_type == 'test' and test.attached_node == node.unique_id
            and is_batch_scoped(test, node) -%}
            {%- do tests.append(test.unique_id) -%}
            {%- if test.unique_id not in finished -%}
                {%- do unfinished.append(test.unique_id) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if tests and not unfinished -%}
            {%- do advanced.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not advanced -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set ids = "'" ~ advanced | join("', '") ~ "'" -%}
    delete from {{ tested_batches_relation() }} where model_unique_id in ({{ ids }});
    insert into {{ tested_batches_relation() }} (model_unique_id, tested_through)
    values
    {%- for model_unique_id in advanced %}
        ('{{ model_unique_id }}', {{ run_started_timestamp() }}){% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}
