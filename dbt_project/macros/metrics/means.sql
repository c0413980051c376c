{#- Means from running sums, so a cell's mean and the mean of its complement (the cell
    less a subset) come from subtracting sums. -#}

{#- Sample standard deviation from the sum, the sum of squares and n; null below n = 2. -#}
{% macro sample_sd(value_sum, square_sum, n) -%}
    case
        when ({{ n }}) > 1 then sqrt(greatest(
            (({{ square_sum }}) - ({{ value_sum }}) * ({{ value_sum }}) / ({{ n }})) / (({{ n }}) - 1.0),
            0
        ))
    end
{%- endmacro %}

{#- Half-width of the normal 95% interval of a mean: 1.96 x sd / sqrt(n). -#}
{% macro mean_margin(value_sum, square_sum, n) -%}
    (1.96 * {{ sample_sd(value_sum, square_sum, n) }} / sqrt(nullif({{ n }}, 0)))
{%- endmacro %}
