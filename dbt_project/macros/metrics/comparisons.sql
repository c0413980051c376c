{#- Where a value with its 95% interval stands against a fixed reference (a target, a
    published benchmark): the good label when the whole interval is on the good side of
    it, the bad label when the whole interval is on the other side, otherwise
    not_distinguishable (the reference lies inside the interval, or there is none). -#}
{% macro compare_interval_with(ci_lower, ci_upper, reference, higher_is_better, good_label, bad_label) -%}
    case
        when ({{ ci_lower }}) is null or ({{ ci_upper }}) is null then 'not_distinguishable'
        when ({{ higher_is_better }}) and ({{ ci_lower }}) > ({{ reference }}) then '{{ good_label }}'
        when ({{ higher_is_better }}) and ({{ ci_upper }}) < ({{ reference }}) then '{{ bad_label }}'
        when not ({{ higher_is_better }}) and ({{ ci_upper }}) < ({{ reference }}) then '{{ good_label }}'
        when not ({{ higher_is_better }}) and ({{ ci_lower }}) > ({{ reference }}) then '{{ bad_label }}'
        else 'not_distinguishable'
    end
{%- endmacro %}

{#- Mean and sample standard deviation of 1..5 star ratings from the count per star. -#}
{% macro star_sum(one, two, three, four, five) -%}
    (1.0 * ({{ one }}) + 2.0 * ({{ two }}) + 3.0 * ({{ three }}) + 4.0 * ({{ four }}) + 5.0 * ({{ five }}))
{%- endmacro %}

{% macro star_sum_of_squares(one, two, three, four, five) -%}
    (1.0 * ({{ one }}) + 4.0 * ({{ two }}) + 9.0 * ({{ three }}) + 16.0 * ({{ four }}) + 25.0 * ({{ five }}))
{%- endmacro %}

{#- Sample standard deviation from n, the sum and the sum of squares; null below 2. -#}
{% macro standard_deviation_from_sums(n, value_sum, sum_of_squares) -%}
    case
        when ({{ n }}) > 1 then sqrt(greatest(
            (({{ sum_of_squares }}) - ({{ value_sum }}) * ({{ value_sum }}) / ({{ n }})) / (({{ n }}) - 1.0),
            0.0
        ))
    end
{%- endmacro %}
