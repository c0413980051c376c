{#- Fails for every row whose value lies outside its own [lower_column, upper_column]
    interval; rows where any of the three is null pass. -#}
{% test value_within_interval(model, column_name, lower_column, upper_column) %}

select *
from {{ model }}
where {{ column_name }} < {{ lower_column }}
    or {{ column_name }} > {{ upper_column }}

{% endtest %}
