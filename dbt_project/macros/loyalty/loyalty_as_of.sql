{#- The body of the as-of CTE every loyalty model starts from: one row, as_of_date, which
    is var as_of_date when set, otherwise the latest order_date of `orders` (macro
    loyalty_as_of_date). Pass the model's CTE of orders and, when it has no order_date
    column, the expression giving an order's date.

    A macro, not a model of its own: the daily repeat-purchase history asks dbt for
    metrics_repeat_purchase as of each day (`dbt show --vars '{as_of_date: ...}'`), and
    only SQL compiled with those vars sees them; a table built by the last run would not. -#}
{% macro loyalty_as_of(orders, order_date='order_date') -%}
    {#- The max() sits in a subquery: with the var set, a select of the constant straight
        from the orders would give one row per order. -#}
    select {{ loyalty_as_of_date('latest_order.latest_order_date') }} as as_of_date
    from (
        select max({{ order_date }}) as latest_order_date
        from {{ orders }}
    ) as latest_order
{%- endmacro %}
