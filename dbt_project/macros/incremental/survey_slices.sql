{#- A full build of int_feedback_items joins every survey answer to its response in one
    hash join. On DuckDB, past a few million responses that join's hash table outgrows the
    memory cap, and DuckDB spills both sides to temporary files: at 10M responses under a
    4 GB cap, 28 GB of them and 157 s in the join, against 11 s when it fits. A full build
    that large is written in slices of responses instead, one statement per slice, each
    with a hash table that fits: the model's own statement writes slice 0 and its post-hook
    the others, from the model's compiled SQL with another slice number. Incremental runs
    score few answers and are never sliced; nor are Postgres and Spark, which size their
    own joins. docs/performance.md has the measurements. -#}

{#- How many slices this build takes: 1, or on a DuckDB full build one per
    var('full_build_responses_per_slice') responses of `responses`. -#}
{% macro survey_slice_count(responses) -%}
    {{ return(adapter.dispatch('survey_slice_count')(responses)) }}
{%- endmacro %}

{% macro default__survey_slice_count(responses) -%}
    {{ return(1) }}
{%- endmacro %}

{% macro duckdb__survey_slice_count(responses) -%}
    {#- A unit test's inputs are CTEs of its own statement, which a count cannot read. -#}
    {%- if not execute or is_incremental() or model.resource_type == 'unit_test' -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set per_slice = var('full_build_responses_per_slice') | int -%}
    {%- if per_slice < 1 -%}
        {{ exceptions.raise_compiler_error("var full_build_responses_per_slice must be a positive number, got: " ~ per_slice) }}
    {%- endif -%}
    {#- Not built yet (`dbt compile` of an empty warehouse): nothing to slice. -#}
    {%- if adapter.get_relation(responses.database, responses.schema, responses.identifier) is none -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set counted = run_query('select count(*) from ' ~ responses) -%}
    {%- set responses_count = counted.columns[0].values()[0] | int -%}
    {{ return([1, (responses_count + per_slice - 1) // per_slice] | max) }}
{%- endmacro %}

{#- The condition that keeps slice 0 of `slices` (by `key`), or true when there is one.
    The comment in it marks the slice number for insert_remaining_survey_slices. -#}
{% macro survey_slice_filter(key, slices) -%}
    {%- if slices > 1 -%}
        hash({{ key }}) % {{ slices }} = /* survey slice of {{ slices }} */ 0
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: insert the survey rows of slices 1 to n-1 when the model's statement wrote
    slice 0 of n; nothing when it was not sliced. The compiled SQL is the statement that
    just ran, so every slice has the same run stamp and the same columns in order. -#}
{% macro insert_remaining_survey_slices() -%}
    {%- set compiled = model.compiled_code or '' -%}
    {%- set marker = modules.re.search('/\* survey slice of ([0-9]+) \*/ 0', compiled) -%}
    {%- if marker -%}
        {%- set slices = marker.group(1) | int -%}
        {%- for slice in range(1, slices) %}
    insert into {{ this }}
    select * from (
        {{ compiled | replace('/* survey slice of ' ~ slices ~ ' */ 0', '/* survey slice of ' ~ slices ~ ' */ ' ~ slice) }}
    ) as survey_slice
    where channel = 'survey';
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
