{#- dbt's listagg on Spark ignores its `order by` (with a warning) and joins the values in
    whatever order collect_list met them. Here the values are sorted by the ordering
    columns first, then by the value: collect the (ordering columns..., value) structs,
    sort them, keep the values. Nulls are left out, as listagg does elsewhere. Only
    ascending ordering columns are supported, which is all the project uses. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set order_columns = [] -%}
    {%- if order_by_clause -%}
        {%- set columns_text = order_by_clause | trim -%}
        {%- if columns_text[:8] | lower != 'order by' -%}
            {{ exceptions.raise_compiler_error("listagg on Spark: expected 'order by ...', got " ~ order_by_clause) }}
        {%- endif -%}
        {%- for column in columns_text[8:].split(',') -%}
            {%- if (column | trim | lower).endswith(' desc') -%}
                {{ exceptions.raise_compiler_error("listagg on Spark sorts ascending only: " ~ order_by_clause) }}
            {%- endif -%}
            {%- do order_columns.append(column | trim) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for column in order_columns -%}
        {%- do fields.append("'ordering_" ~ loop.index ~ "', " ~ column) -%}
    {%- endfor -%}
    {%- do fields.append("'listed_value', " ~ measure) -%}
    {%- set sorted_values -%}
        transform(
            array_sort(collect_list(case when {{ measure }} is not null then named_struct({{ fields | join(', ') }}) end)),
            listed -> listed.listed_value
        )
    {%- endset -%}
    array_join({{ 'slice(' ~ sorted_values ~ ', 1, ' ~ limit_num ~ ')' if limit_num else sorted_values }}, {{ delimiter_text }})
{%- endmacro %}
