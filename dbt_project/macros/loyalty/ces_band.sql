{#- CES band of one answer, after a lower_is_better item (CES 1.0) is turned around:
    easy above the scale's midpoint, neutral on it, difficult below. On the CES 2.0
    1..7 agreement scale this is easy 5-7 (the share agreeing), neutral 4, difficult 1-3. -#}
{% macro ces_band(score_value, scale_min, scale_max, direction) -%}
    case
        when {{ score_value }} is null or {{ scale_min }} is null or {{ scale_max }} is null then null
        when 2 * (
            case when {{ direction }} = 'lower_is_better'
                then {{ scale_min }} + {{ scale_max }} - {{ score_value }}
                else {{ score_value }}
            end
        ) > {{ scale_min }} + {{ scale_max }} then 'easy'
        when 2 * (
            case when {{ direction }} = 'lower_is_better'
                then {{ scale_min }} + {{ scale_max }} - {{ score_value }}
                else {{ score_value }}
            end
        ) = {{ scale_min }} + {{ scale_max }} then 'neutral'
        else 'difficult'
    end
{%- endmacro %}
