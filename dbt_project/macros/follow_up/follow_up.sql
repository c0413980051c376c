{#- Helpers of the follow-up queue (docs/follow-up.md). -#}

{#- The moment due times are judged against: the end of var as_of_date when it is set
    (a rerun on old data judges as of that day), otherwise when this dbt run started. -#}
{% macro follow_up_evaluated_at() -%}
    {%- set as_of_date = var('as_of_date', none) -%}
    {%- if as_of_date -%}
        cast({{ dbt.dateadd('day', 1, loyalty_as_of_date('null')) }} as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ run_started_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{#- Hours from one timestamp to another, to the second. -#}
{% macro hours_between(start_timestamp, end_timestamp) -%}
    ({{ dbt.datediff(start_timestamp, end_timestamp, 'second') }} / 3600.0)
{%- endmacro %}

{#- The case a survey item or review belongs to: a survey response (survey and response
    id) or a review (platform and review id). Stable across runs and re-deliveries. -#}
{% macro follow_up_case_id(channel, case_scope, source_record_id) -%}
    {{ surrogate_key([channel, case_scope, source_record_id]) }}
{%- endmacro %}
