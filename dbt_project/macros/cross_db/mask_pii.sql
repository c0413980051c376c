{#- Free text with email addresses and phone numbers replaced by placeholders. The phone
    pattern needs at least three digit groups ending in three or four digits, so dates
    such as 2025-03-04 and short numbers stay readable. The regular expressions use only
    syntax that RE2 (DuckDB), Postgres and Java (Spark) share.
    Text under six characters is passed through untouched: the shortest email (a@b.cd)
    has six and the shortest phone number seven digits, so no match is lost, and the
    millions of scale answers ('7', '10') skip both regular expressions. -#}
{% macro mask_pii(text_expression) -%}
    {%- set emails_masked = replace_every_match(
        text_expression,
        '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}',
        '[email]'
    ) -%}
    case
        when length({{ text_expression }}) < 6 then {{ text_expression }}
        else {{ replace_every_match(
            emails_masked,
            '(\+[0-9]{1,3}[ .-]?)?(\(?[0-9]{2,4}\)?[ .-]?){2,4}[0-9]{3,4}',
            '[phone]'
        ) }}
    end
{%- endmacro %}

{#- Every match of the regular expression replaced (Spark's regexp_replace replaces every
    match and takes no flags). -#}
{% macro replace_every_match(text_expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_every_match')(text_expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_every_match(text_expression, pattern, replacement) -%}
    regexp_replace({{ text_expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__replace_every_match(text_expression, pattern, replacement) -%}
    regexp_replace({{ text_expression }}, {{ spark_string_literal(pattern) }}, {{ spark_string_literal(replacement) }})
{%- endmacro %}

{#- True when the text matches the regular expression anywhere. -#}
{% macro regex_contains(text_expression, pattern) -%}
    {{ return(adapter.dispatch('regex_contains')(text_expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_contains(text_expression, pattern) -%}
    ({{ text_expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_contains(text_expression, pattern) -%}
    regexp_matches({{ text_expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_contains(text_expression, pattern) -%}
    ({{ text_expression }} rlike {{ spark_string_literal(pattern) }})
{%- endmacro %}
