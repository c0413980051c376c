{#- Fails for every row whose text still holds something shaped like an email address. -#}
{% test has_no_email_address(model, column_name) %}

select *
from {{ model }}
where {{ regex_contains(column_name, '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}') }}

{% endtest %}
