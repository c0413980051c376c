{#- A customer is lapsed when the days since their last order exceed
    var lapse_gap_multiplier times their own median gap between order days, or
    var lapse_default_days when they have no gap yet (orders on one day only).
    Customers without any order (days_since_last_order null) are not lapsed. -#}
{% macro is_lapsed(days_since_last_order, median_gap_days) -%}
    case
        when {{ days_since_last_order }} is null then false
        when {{ median_gap_days }} is null
            then {{ days_since_last_order }} > {{ var('lapse_default_days') }}
        else {{ days_since_last_order }} > {{ var('lapse_gap_multiplier') }} * {{ median_gap_days }}
    end
{%- endmacro %}
