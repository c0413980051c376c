{#- Review-rating helpers (METRICS.md, Review ratings). -#}

{#- Bayesian (smoothed) average: the cell's mean shrunk toward a prior mean with a prior
    weight counted as that many extra reviews, (sum + weight * prior) / (n + weight).
    A cell with few reviews sits near the prior; a large one near its own mean. -#}
{% macro smoothed_average(value_sum, n, prior_mean, prior_weight) -%}
    (
        (({{ value_sum }}) + ({{ prior_weight }}) * ({{ prior_mean }}))
        / nullif(({{ n }}) + ({{ prior_weight }}), 0)
    )
{%- endmacro %}

{#- part as a share of whole times 100; null when whole is 0 or null. -#}
{% macro share_percent(part, whole) -%}
    (100.0 * ({{ part }}) / nullif({{ whole }}, 0))
{%- endmacro %}
