{#- Wilson 95% score interval for a proportion, as a share 0..1:
    (p + z^2/2n -/+ z * sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z = 1.96. -#}

{% macro wilson_lower(successes, n) -%}
    {{ _wilson_bound(successes, n, '-') }}
{%- endmacro %}

{% macro wilson_upper(successes, n) -%}
    {{ _wilson_bound(successes, n, '+') }}
{%- endmacro %}

{% macro _wilson_bound(successes, n, sign) -%}
    case
        when ({{ n }}) > 0 then (
            ({{ successes }}) * 1.0 / ({{ n }})
            + 3.8416 / (2.0 * ({{ n }}))
            {{ sign }} 1.96 * sqrt(
                (({{ successes }}) * 1.0 / ({{ n }})) * (1 - ({{ successes }}) * 1.0 / ({{ n }})) / ({{ n }})
                + 3.8416 / (4.0 * ({{ n }}) * ({{ n }}))
            )
        ) / (1 + 3.8416 / ({{ n }}))
    end
{%- endmacro %}

{#- z for the difference of two proportions (shares 0..1), unpooled standard error. -#}
{% macro two_proportion_z(p1, n1, p2, n2) -%}
    ((({{ p1 }}) - ({{ p2 }})) / nullif(sqrt(
        ({{ p1 }}) * (1 - ({{ p1 }})) / nullif({{ n1 }}, 0)
        + ({{ p2 }}) * (1 - ({{ p2 }})) / nullif({{ n2 }}, 0)
    ), 0))
{%- endmacro %}

{#- z for the difference of two means (Welch standard error). -#}
{% macro two_mean_z(mean1, sd1, n1, mean2, sd2, n2) -%}
    ((({{ mean1 }}) - ({{ mean2 }})) / nullif(sqrt(
        ({{ sd1 }}) * ({{ sd1 }}) / nullif({{ n1 }}, 0)
        + ({{ sd2 }}) * ({{ sd2 }}) / nullif({{ n2 }}, 0)
    ), 0))
{%- endmacro %}

{#- Significant change: |z| > 1.96 and neither cell is a small sample. -#}
{% macro is_change_significant(z, is_small_sample, previous_is_small_sample) -%}
    coalesce(
        abs({{ z }}) > 1.96
        and not ({{ is_small_sample }})
        and not ({{ previous_is_small_sample }}),
        false
    )
{%- endmacro %}

{#- A metric value rounded for publication (Postgres rounds only numerics). -#}
{% macro round_metric(expression, places=4) -%}
    cast(round(cast({{ expression }} as {{ dbt.type_numeric() }}), {{ places }}) as {{ type_double() }})
{%- endmacro %}
