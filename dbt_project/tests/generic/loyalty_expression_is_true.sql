{#- Fails for every row where the boolean SQL expression is not true (null counts as a
    failure), e.g. cross-column rules such as repeat_customers <= customers. -#}
{% test loyalty_expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce(({{ expression }}), false)

{% endtest %}
