{#- Warns for every response whose respondent (respondent_key, an SQL expression such as
    a customer reference or a keyed email hash) already answered the same survey within
    window_days before (var duplicate_respondent_window_days, 30). One window function,
    no self-join. -#}
{% test survey_duplicate_respondents(model, column_name, survey_column, key_column, respondent_key, window_days=none) %}
{{ config(severity='warn') }}
{%- set days = window_days if window_days is not none else var('duplicate_respondent_window_days') %}

with

ordered as (

    {#- The whole response row, so the warning names it in the model's own terms. -#}
    select
        *,
        {{ respondent_key }} as respondent_key,
        lag({{ key_column }}) over (
            partition by {{ survey_column }}, {{ respondent_key }}
            order by {{ column_name }}, {{ key_column }}
        ) as previous_response_key,
        lag({{ column_name }}) over (
            partition by {{ survey_column }}, {{ respondent_key }}
            order by {{ column_name }}, {{ key_column }}
        ) as previous_answered_at
    from {{ model }}
    where {{ respondent_key }} is not null
        and {{ column_name }} is not null

),

final as (

    select
        *,
        {{ dbt.concat([
            "'duplicate respondent: answered this survey before in response '",
            "cast(previous_response_key as " ~ dbt.type_string() ~ ")",
            "' at '",
            "cast(previous_answered_at as " ~ dbt.type_string() ~ ")",
            "', within " ~ days ~ " days'",
        ]) }} as reason
    from ordered
    where previous_answered_at is not null
        and {{ dbt.datediff('previous_answered_at', column_name, 'day') }} <= {{ days }}

)

select * from final

{% endtest %}
