{#- dbt's `get_where_subquery`, which hands a generic test the relation it checks, taught
    to hand over only the rows no passing run has checked, when the model says which.

    A model declares, under `meta.tested_batch`, the column that stamps each row with the
    run that (re)wrote it (`column`, e.g. transformed_at) and, when it is built with
    delete+insert, its `unique_key`. Then the row-level tests below read the rows stamped
    after the model's mark (tested_batches.sql): every row of a full build, the new and
    rewritten rows of an incremental one, and the rows of earlier runs whose tests did not
    pass. So the daily run's tests grow with the new data, not with history.

    `unique` is batch-scoped only on the model's unique key: delete+insert replaces every
    stored row whose key the batch carries, so a key unique within the batch is unique in
    the table. A test's own `where` still applies. Tests comparing rows with each other
    (speeders, duplicate respondents, ...) and tests on other models read every row. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [config.get('where', ''), unchecked_rows_filter(relation)] | select | list -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where ({{ conditions | join(') and (') }})) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{#- Generic tests whose verdict on a row needs no other row of the model (its parent
    row aside), and straight-lining, which compares the answers of one response: a run
    rewrites every answer of a response it touches. -#}
{% macro batch_scoped_tests() -%}
    {%- do return([
        'not_null', 'accepted_values', 'relationships', 'value_between',
        'value_within_interval', 'answer_within_registered_scale', 'has_no_email_address',
        'survey_straight_liners',
    ]) -%}
{%- endmacro %}


{#- The filter on the unchecked rows of the model a generic test checks, or '' to read
    every row. Known only at execution, when the graph is there to read its meta. Spark
    keeps no marks (tested_batches.sql): every row there is from the current run. -#}
{% macro unchecked_rows_filter(relation) -%}
    {%- if not execute or model.resource_type != 'test' or not model.attached_node
        or target.type == 'spark' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.attached_node) -%}
    {%- if not tested or not tested_batch_column(tested) or not is_batch_scoped(model, tested) -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set column = tested_batch_column(tested) -%}
    {%- do return(column ~ ' > ' ~ tested_through_timestamp(tested.unique_id)) -%}
{%- endmacro %}


{% macro tested_batch_column(node) -%}
    {%- do return(((node.config.meta or {}).get('tested_batch') or {}).get('column')) -%}
{%- endmacro %}


{% macro is_batch_scoped(test_node, tested) -%}
    {%- set test_name = test_node.test_metadata.name -%}
    {%- set column_name = test_node.test_metadata.kwargs.get('column_name') -%}
    {%- set unique_key = tested.config.meta.tested_batch.get('unique_key') -%}
    {%- do return(
        test_name in batch_scoped_tests()
        or (test_name == 'unique' and column_name == unique_key)
    ) -%}
{%- endmacro %}
