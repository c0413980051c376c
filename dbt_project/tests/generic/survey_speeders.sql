{#- Warns for every response that took less than median_fraction (var
    speeder_median_fraction, 1/3) of its survey's median duration: a speeder who likely
    did not read the questions. Each row names the response and says why. -#}
{% test survey_speeders(model, column_name, survey_column, median_fraction=none) %}
{{ config(severity='warn') }}
{%- set fraction = median_fraction if median_fraction is not none else var('speeder_median_fraction') %}

with

responses as (

    select *
    from {{ model }}
    where {{ column_name }} is not null

),

survey_medians as (

    select
        {{ survey_column }} as survey_key,
        {{ loyalty_median(column_name) }} as median_duration_seconds
    from responses
    group by {{ survey_column }}

),

final as (

    {#- The whole response row, so the warning names it in the model's own terms. -#}
    select
        responses.*,
        survey_medians.median_duration_seconds,
        {{ dbt.concat([
            "'speeder: took '",
            "cast(responses." ~ column_name ~ " as " ~ dbt.type_string() ~ ")",
            "'s, under " ~ fraction ~ " of the survey median of '",
            "cast(survey_medians.median_duration_seconds as " ~ dbt.type_string() ~ ")",
            "'s'",
        ]) }} as reason
    from responses
    inner join survey_medians
        on responses.{{ survey_column }} = survey_medians.survey_key
    where responses.{{ column_name }} < {{ fraction }} * survey_medians.median_duration_seconds

)

select * from final

{% endtest %}
