{#- Loyalty tier from net spend over the trailing 365 days up to the as-of date.
    Thresholds (vars, defaults in the currency of the orders):
      platinum >= var loyalty_tier_platinum_min_spend (2500)
      gold     >= var loyalty_tier_gold_min_spend (1000)
      silver   >= var loyalty_tier_silver_min_spend (250)
      bronze   otherwise, also customers without any order in the period -#}
{% macro loyalty_tier(trailing_365_day_net_spend) -%}
    case
        when {{ trailing_365_day_net_spend }} >= {{ var('loyalty_tier_platinum_min_spend', 2500) }} then 'platinum'
        when {{ trailing_365_day_net_spend }} >= {{ var('loyalty_tier_gold_min_spend', 1000) }} then 'gold'
        when {{ trailing_365_day_net_spend }} >= {{ var('loyalty_tier_silver_min_spend', 250) }} then 'silver'
        else 'bronze'
    end
{%- endmacro %}
