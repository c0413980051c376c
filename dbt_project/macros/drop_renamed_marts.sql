{#- on-run-start: the marts renamed when every mart got a grain prefix (docs/marts.md).
    dbt never drops a model's old relation, and the published copy takes every table of
    the marts schema: without this, a warehouse built before the rename would publish the
    old tables for ever, with the rows of their last build. -#}
{% macro drop_renamed_marts() -%}
    {%- set renamed = [
        'alert_conditions', 'benchmark_industry', 'benchmark_review_ratings',
        'benchmark_review_themes', 'feedback_follow_up', 'follow_up_open_cases',
        'follow_up_outcomes', 'follow_up_performance', 'customer_engagement', 'customer_rfm',
        'customers_at_risk', 'customers_to_appreciate', 'loyalty_tier_movements',
        'text_model_card', 'text_uncategorised_phrases', 'customer_lifetime_value',
    ] -%}
    {%- if execute and adapter.check_schema_exists(target.database, 'marts') -%}
        {%- for old_name in renamed -%}
            {%- set relation = adapter.get_relation(
                database=target.database, schema='marts', identifier=old_name
            ) -%}
            {%- if relation is not none -%}
                {%- do log('dropping marts.' ~ old_name ~ ' (renamed, docs/marts.md)', info=true) -%}
                {%- do adapter.drop_relation(relation) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
