{#- The calendar window (month, quarter, year) an order date falls in; `all_time` is one
    window starting at the column `all_time_start`. -#}
{% macro order_window_start(grain, date_column) -%}
    {%- if grain == 'all_time' -%}
        all_time_start
    {%- else -%}
        cast({{ dbt.date_trunc(grain, date_column) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- True when the customer's earlier order on `previous_column` (null: none) lies in an
    earlier window than this order: this order is the customer's first in its window. -#}
{% macro opens_order_window(grain, previous_column) -%}
    ({{ previous_column }} is null
        or {{ order_window_start(grain, previous_column) }} < {{ order_window_start(grain, 'order_date') }})
{%- endmacro %}

{#- One expression per window grain, chosen by the grain in `grain_column`: lets one pass
    over the orders, cross joined with the grains, count every grain at once.
    `expression_macro(grain, column)` is order_window_start or opens_order_window. -#}
{% macro case_per_window_grain(grain_column, grains, expression_macro, column) -%}
    case {{ grain_column }}
    {%- for grain in grains %}
        when '{{ grain }}' then {{ expression_macro(grain, column) }}
    {%- endfor %}
    end
{%- endmacro %}
