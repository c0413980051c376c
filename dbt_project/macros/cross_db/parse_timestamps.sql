{#- Time stamp parsing for staging. Text that does not parse becomes null instead of
    failing the view, so not_null tests in staging make the bad rows visible. -#}

{#- Vendor layouts of local wall-clock time stamps, by name:
      iso_local  '2025-03-04 10:11:12'   (Qualtrics)
      us_slash   '3/4/2025 9:05:07'      (Google Forms, no zero padding) -#}
{% macro local_timestamp_format(layout) -%}
    {{ return(adapter.dispatch('local_timestamp_format')(layout)) }}
{%- endmacro %}

{% macro default__local_timestamp_format(layout) -%}
    {%- set formats = {'iso_local': 'YYYY-MM-DD HH24:MI:SS', 'us_slash': 'FMMM/FMDD/YYYY FMHH24:MI:SS'} -%}
    {{ return(formats[layout]) }}
{%- endmacro %}

{% macro duckdb__local_timestamp_format(layout) -%}
    {%- set formats = {'iso_local': '%Y-%m-%d %H:%M:%S', 'us_slash': '%m/%d/%Y %H:%M:%S'} -%}
    {{ return(formats[layout]) }}
{%- endmacro %}

{#- Local wall-clock text in a named layout, as a naive local timestamp. -#}
{% macro parse_local_timestamp(column, layout) -%}
    {{ return(adapter.dispatch('parse_local_timestamp')(column, layout)) }}
{%- endmacro %}

{% macro default__parse_local_timestamp(column, layout) -%}
    cast(to_timestamp({{ column }}, '{{ local_timestamp_format(layout) }}') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__parse_local_timestamp(column, layout) -%}
    try_strptime({{ column }}, '{{ local_timestamp_format(layout) }}')
{%- endmacro %}

{#- A naive local timestamp in the IANA zone named by timezone_expression, as naive UTC. -#}
{% macro local_to_utc(timestamp_expression, timezone_expression) -%}
    cast((({{ timestamp_expression }}) at time zone ({{ timezone_expression }})) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- ISO 8601 text with Z or an offset ('2025-03-04T10:11:12Z') as naive UTC. -#}
{% macro utc_from_iso_text(column) -%}
    cast(({{ dbt.safe_cast(column, 'timestamp with time zone') }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}
