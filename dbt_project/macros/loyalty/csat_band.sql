{#- CSAT band of one answer: high = the two best values of the scale (top-two-box),
    low = the two worst, neutral = anything between. On 1..5 this is low 1-2, neutral 3,
    high 4-5. A lower_is_better item is turned around first. -#}
{% macro csat_band(score_value, scale_min, scale_max, direction) -%}
    case
        when {{ score_value }} is null or {{ scale_min }} is null or {{ scale_max }} is null then null
        when (
            case when {{ direction }} = 'lower_is_better'
                then {{ scale_min }} + {{ scale_max }} - {{ score_value }}
                else {{ score_value }}
            end
        ) >= {{ scale_max }} - 1 then 'high'
        when (
            case when {{ direction }} = 'lower_is_better'
                then {{ scale_min }} + {{ scale_max }} - {{ score_value }}
                else {{ score_value }}
            end
        ) <= {{ scale_min }} + 1 then 'low'
        else 'neutral'
    end
{%- endmacro %}
