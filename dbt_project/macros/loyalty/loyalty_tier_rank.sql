{#- Order of the loyalty tiers (bronze 1 .. platinum 4), to tell an upgrade from a downgrade. -#}
{% macro loyalty_tier_rank(loyalty_tier) -%}
    case {{ loyalty_tier }}
        when 'bronze' then 1
        when 'silver' then 2
        when 'gold' then 3
        when 'platinum' then 4
    end
{%- endmacro %}
