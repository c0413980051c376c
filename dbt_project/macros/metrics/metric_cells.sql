{#- Every metric table reports each item in every (period_grain, period_start,
    segment_type, segment_value) cell it belongs to. These macros build that fan-out
    once, so NPS, CSAT and CES cut periods and segments the same way. -#}

{% macro metric_period_grains() -%}
    {{ return(['day', 'week', 'month', 'all_time']) }}
{%- endmacro %}

{% macro metric_segment_types() -%}
    {{ return(['overall', 'channel', 'touchpoint', 'product', 'location', 'source']) }}
{%- endmacro %}

{#- One row per item, grain and segment. `items` is a relation or CTE with occurred_at,
    a column for each of segment_types (default metric_segment_types(): channel,
    touchpoint, product, location, source) and the columns in measure_columns.
    period_grains defaults to metric_period_grains(); any grain dbt.date_trunc knows
    (quarter, say) or all_time may be given. all_time cells start on the first day with
    data for this metric; items without a value for a segment are left out of that
    segment. -#}
{% macro metric_cells(items, measure_columns, segment_types=none, period_grains=none) -%}
    {%- set segment_types = segment_types if segment_types is not none else metric_segment_types() -%}
    {%- set period_grains = period_grains if period_grains is not none else metric_period_grains() -%}
    {%- for grain in period_grains %}
        {%- for segment_type in segment_types %}
    select
        '{{ grain }}' as period_grain,
        {% if grain == 'all_time' -%}
        (select min(cast(first_item.occurred_at as date)) from {{ items }} as first_item)
        {%- else -%}
        cast({{ dbt.date_trunc(grain, 'occurred_at') }} as date)
        {%- endif %} as period_start,
        '{{ segment_type }}' as segment_type,
        {% if segment_type == 'overall' -%}
        'all'
        {%- else -%}
        cast({{ segment_type }} as {{ dbt.type_string() }})
        {%- endif %} as segment_value,
        {%- for column in measure_columns %}
        {{ column }},
        {%- endfor %}
        occurred_at
    from {{ items }}
    {%- if segment_type != 'overall' %}
    where {{ segment_type }} is not null
    {%- endif %}
            {%- if not loop.last %}
    union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The start of the period before period_start for the same grain; null for all_time. -#}
{% macro previous_period_start(period_grain, period_start) -%}
    case {{ period_grain }}
        when 'day' then cast({{ dbt.dateadd('day', -1, period_start) }} as date)
        when 'week' then cast({{ dbt.dateadd('week', -1, period_start) }} as date)
        when 'month' then cast({{ dbt.dateadd('month', -1, period_start) }} as date)
        when 'quarter' then cast({{ dbt.dateadd('month', -3, period_start) }} as date)
        when 'year' then cast({{ dbt.dateadd('year', -1, period_start) }} as date)
    end
{%- endmacro %}
