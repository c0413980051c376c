{#- Warns for every response the vendor marks as not finished (column_name false), with
    how far the respondent got when a progress column is given. -#}
{% test survey_partial_responses(model, column_name, progress_column=none) %}
{{ config(severity='warn') }}

{#- The whole response row, so the warning names it in the model's own terms. -#}
select
    *,
    {%- if progress_column %}
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
