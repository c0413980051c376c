{#- Time stamp parsing for staging. Text that does not parse becomes null instead of
    failing the view, so not_null tests in staging make the bad rows visible. -#}

{#- Vendor layouts of local wall-clock time stamps, by name:
      iso_local          '2025-03-04 10:11:12'      (Qualtrics; spreadsheet datetimes)
      us_slash           '3/4/2025 9:05:07'         (Google Forms, no zero padding)
      us_slash_minutes   '3/4/2025 9:05'            (Google Forms without seconds)
      ymd_slash          '2025/03/04 9:05:07'       (Google Forms, other Sheet locales)
      ymd_slash_minutes  '2025/03/04 9:05'
      us_slash_12h       '03/04/2025 09:05:07 AM'   (SurveyMonkey) -#}
{% macro local_timestamp_format(layout) -%}
    {{ return(adapter.dispatch('local_timestamp_format')(layout)) }}
{%- endmacro %}

{% macro default__local_timestamp_format(layout) -%}
    {%- set formats = {
        'iso_local': 'YYYY-MM-DD HH24:MI:SS',
        'us_slash': 'FMMM/FMDD/YYYY FMHH24:MI:SS',
        'us_slash_minutes': 'FMMM/FMDD/YYYY FMHH24:MI',
        'ymd_slash': 'YYYY/FMMM/FMDD FMHH24:MI:SS',
        'ymd_slash_minutes': 'YYYY/FMMM/FMDD FMHH24:MI',
        'us_slash_12h': 'FMMM/FMDD/YYYY FMHH12:MI:SS AM',
    } -%}
    {{ return(formats[layout]) }}
{%- endmacro %}

{% macro duckdb__local_timestamp_format(layout) -%}
    {%- set formats = {
        'iso_local': '%Y-%m-%d %H:%M:%S',
        'us_slash': '%m/%d/%Y %H:%M:%S',
        'us_slash_minutes': '%m/%d/%Y %H:%M',
        'ymd_slash': '%Y/%m/%d %H:%M:%S',
        'ymd_slash_minutes': '%Y/%m/%d %H:%M',
        'us_slash_12h': '%m/%d/%Y %I:%M:%S %p',
    } -%}
    {{ return(formats[layout]) }}
{%- endmacro %}

{#- Java DateTimeFormatter patterns: one letter parses one or two digits. -#}
{% macro spark__local_timestamp_format(layout) -%}
    {%- set formats = {
        'iso_local': 'yyyy-MM-dd HH:mm:ss',
        'us_slash': 'M/d/yyyy H:mm:ss',
        'us_slash_minutes': 'M/d/yyyy H:mm',
        'ymd_slash': 'yyyy/M/d H:mm:ss',
        'ymd_slash_minutes': 'yyyy/M/d H:mm',
        'us_slash_12h': 'M/d/yyyy h:mm:ss a',
    } -%}
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

{#- Text that does not parse is null (the profile sets the corrected parser policy). -#}
{% macro spark__parse_local_timestamp(column, layout) -%}
    to_timestamp({{ column }}, '{{ local_timestamp_format(layout) }}')
{%- endmacro %}

{#- Local wall-clock text in the first of several layouts it fits. Each layout is tried
    only on text of its own shape, so engines whose parser raises on a mismatch
    (Postgres to_timestamp) never see text of another layout. -#}
{% macro parse_local_timestamp_any(column, layouts) -%}
    {%- set shapes = {
        'iso_local': '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$',
        'us_slash': '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2}$',
        'us_slash_minutes': '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}$',
        'ymd_slash': '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}:[0-9]{2}$',
        'ymd_slash_minutes': '^[0-9]{4}/[0-9]{1,2}/[0-9]{1,2} [0-9]{1,2}:[0-9]{2}$',
        'us_slash_12h': '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4} [0-9]{1,2}:[0-9]{2}:[0-9]{2} ?[AaPp][Mm]$',
    } -%}
    case
    {%- for layout in layouts %}
        when {{ matches_pattern('trim(' ~ column ~ ')', shapes[layout]) }}
            then {{ parse_local_timestamp('trim(' ~ column ~ ')', layout) }}
    {%- endfor %}
    end
{%- endmacro %}

{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike {{ spark_string_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{#- A naive local timestamp in the IANA zone named by timezone_expression, as naive UTC.
    known_zones (from source_time_zones) are written out as literals: DuckDB looks a zone
    named by a column up again on every row, five times the cost of a literal zone (about
    4 s per million responses). Any other zone takes the general expression. -#}
{% macro local_to_utc(timestamp_expression, timezone_expression, known_zones=[]) -%}
    {%- if known_zones %}
    case {{ timezone_expression }}
        {%- for zone in known_zones %}
        when '{{ zone }}' then {{ _local_to_utc_in(timestamp_expression, "'" ~ zone ~ "'") }}
        {%- endfor %}
        else {{ _local_to_utc_in(timestamp_expression, timezone_expression) }}
    end
    {%- else -%}
    {{ _local_to_utc_in(timestamp_expression, timezone_expression) }}
    {%- endif %}
{%- endmacro %}

{% macro _local_to_utc_in(timestamp_expression, zone_expression) -%}
    {{ return(adapter.dispatch('local_to_utc_in')(timestamp_expression, zone_expression)) }}
{%- endmacro %}

{% macro default__local_to_utc_in(timestamp_expression, zone_expression) -%}
    cast((({{ timestamp_expression }}) at time zone ({{ zone_expression }})) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Where a wall-clock time is ambiguous (clocks set back: 02:30 happens twice) Spark
    takes the offset before the change, DuckDB and Postgres the one after it; for a time
    the change skipped (clocks set forward) all take the offset before it. Reading the
    time an hour later and taking the hour off again gives the offset after an overlap;
    the later of the two readings is the one DuckDB and Postgres give, for clock changes
    of up to an hour (every zone but Antarctica/Troll). -#}
{% macro spark__local_to_utc_in(timestamp_expression, zone_expression) -%}
    cast(greatest(
        to_utc_timestamp({{ timestamp_expression }}, {{ zone_expression }}),
        to_utc_timestamp({{ timestamp_expression }} + interval 1 hour, {{ zone_expression }}) - interval 1 hour
    ) as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The distinct time zone names in a column of a relation, for local_to_utc's known_zones:
    queried when the model runs (empty while parsing). Only plain IANA names (letters,
    digits, '_', '+', '-', '/') are returned, since they are written into the SQL; any
    other value, and zones beyond the first `most`, take the general expression. -#}
{% macro source_time_zones(relation, column, most=20) -%}
    {#- Nothing to query while parsing, nor in a unit test (its input fixture is a
        relation without a schema), nor before the source table exists. -#}
    {%- set existing = load_relation(relation) if execute and relation.schema else none -%}
    {%- if existing is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select distinct {{ column }} as zone
        from {{ existing }}
        where {{ matches_pattern(column, '^[A-Za-z][A-Za-z0-9_+/-]*$') }}
        order by zone
        limit {{ most }}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{#- ISO 8601 text with Z or an offset ('2025-03-04T10:11:12Z') as naive UTC. -#}
{% macro utc_from_iso_text(column) -%}
    {{ return(adapter.dispatch('utc_from_iso_text')(column)) }}
{%- endmacro %}

{% macro default__utc_from_iso_text(column) -%}
    cast(({{ dbt.safe_cast(column, 'timestamp with time zone') }}) at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Spark reads the offset into an instant (timestamp_ltz), shown in the session's zone,
    which the profile sets to UTC; text that does not parse is null. -#}
{% macro spark__utc_from_iso_text(column) -%}
    cast(try_cast({{ column }} as timestamp_ltz) as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- A time stamp with time zone (the raw layer's _loaded_at) as naive UTC. -#}
{% macro utc_wall_clock(column) -%}
    {{ return(adapter.dispatch('utc_wall_clock')(column)) }}
{%- endmacro %}

{% macro default__utc_wall_clock(column) -%}
    cast({{ column }} at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- Parquet stores the instant; Spark's session zone (UTC, in the profile) gives its
    wall clock. -#}
{% macro spark__utc_wall_clock(column) -%}
    cast({{ column }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
