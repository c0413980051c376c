{#- The date loyalty metrics are computed as of: var as_of_date (YYYY-MM-DD) when set,
    otherwise the given expression (the latest order date in the data), so a rerun on the
    same data gives the same result. -#}
{% macro loyalty_as_of_date(latest_date_expression) -%}
    {%- set as_of_date = var('as_of_date', none) -%}
    {%- if as_of_date -%}
        {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', as_of_date | string) -%}
            {{ exceptions.raise_compiler_error("var as_of_date must be YYYY-MM-DD, got: " ~ as_of_date) }}
        {%- endif -%}
        cast('{{ as_of_date }}' as date)
    {%- else -%}
        cast({{ latest_date_expression }} as date)
    {%- endif -%}
{%- endmacro %}
