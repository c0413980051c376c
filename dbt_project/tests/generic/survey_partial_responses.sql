{#- Warns for every response the vendor marks as not finished (column_name false), with
    how far the respondent got when a progress column is given. -#}
{% test survey_partial_responses(model, column_name, key_column, progress_column=none) %}
{{ config(severity='warn') }}

select
    {{ key_column }} as response_key,
    {%- if progress_column %}
    {{ progress_column }} as progress_percent,
    {{ dbt.concat([
        "'partial response: not finished, progress '",
        "coalesce(cast(" ~ progress_column ~ " as " ~ dbt.type_string() ~ "), 'unknown')",
        "'%'",
    ]) }} as reason
    {%- else %}
    'partial response: not finished' as reason
    {%- endif %}
from {{ model }}
where {{ column_name }} = false

{% endtest %}
