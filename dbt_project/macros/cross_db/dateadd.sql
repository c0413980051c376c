{#- dbt-spark's dateadd goes through Unix seconds and to_timestamp, which gives a time
    stamp with the session's zone rather than the zone-less one it was given, and fails
    on a null. Spark's own timestampadd keeps the type and passes nulls through. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
