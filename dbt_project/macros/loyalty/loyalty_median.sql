{#- Median of a numeric column as an aggregate (continuous: the mean of the two middle
    values for an even count). -#}
{% macro loyalty_median(column) -%}
    {{ return(adapter.dispatch('loyalty_median')(column)) }}
{%- endmacro %}

{% macro default__loyalty_median(column) -%}
    percentile_cont(0.5) within group (order by {{ column }})
{%- endmacro %}
