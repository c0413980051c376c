{#- NPS and its adjusted-Wald interval (METRICS.md; MeasuringU after Rocks 2016).
    All results are in NPS points (-100..100). -#}

{% macro nps_score(promoters, detractors, n) -%}
    (100.0 * (({{ promoters }}) - ({{ detractors }})) / nullif({{ n }}, 0))
{%- endmacro %}

{#- var = pP + pD - (pP - pD)^2 with p = (x + 3/4) / (n + 3). -#}
{% macro nps_adjusted_variance(promoters, detractors, n) -%}
    (
        (({{ promoters }}) + 0.75) / (({{ n }}) + 3.0)
        + (({{ detractors }}) + 0.75) / (({{ n }}) + 3.0)
        - (
            (({{ promoters }}) + 0.75) / (({{ n }}) + 3.0)
            - (({{ detractors }}) + 0.75) / (({{ n }}) + 3.0)
        ) * (
            (({{ promoters }}) + 0.75) / (({{ n }}) + 3.0)
            - (({{ detractors }}) + 0.75) / (({{ n }}) + 3.0)
        )
    )
{%- endmacro %}

{#- Standard error in points: sqrt(var / n') * 100. -#}
{% macro nps_standard_error(promoters, detractors, n) -%}
    case
        when ({{ n }}) > 0
            then sqrt({{ nps_adjusted_variance(promoters, detractors, n) }} / (({{ n }}) + 3.0)) * 100
    end
{%- endmacro %}

{% macro nps_margin(promoters, detractors, n) -%}
    (1.96 * {{ nps_standard_error(promoters, detractors, n) }})
{%- endmacro %}
