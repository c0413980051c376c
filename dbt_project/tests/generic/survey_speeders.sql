{#- Warns for every response that took less than median_fraction (var
    speeder_median_fraction, 1/3) of its survey's median duration: a speeder who likely
    did not read the questions. Each row names the response and says why. -#}
{% test survey_speeders(model, column_name, survey_column, key_column, median_fraction=none) %}
{{ config(severity='warn') }}
{%- set fraction = median_fraction if median_fraction is not none else var('speeder_median_fraction') %}

with

durations as (

    select
        {{ key_column }} as response_key,
        {{ survey_column }} as survey_key,
        {{ column_name }} as duration_seconds
    from {{ model }}
    where {{ column_name }} is not null

),

survey_medians as (

    select
        survey_key,
        {{ loyalty_median('duration_seconds') }} as median_duration_seconds
    from durations
    group by survey_key

),

final as (

    select
        durations.response_key,
        durations.survey_key,
        durations.duration_seconds,
        survey_medians.median_duration_seconds,
        {{ dbt.concat([
            "'speeder: took '",
            "cast(durations.duration_seconds as " ~ dbt.type_string() ~ ")",
            "'s, under " ~ fraction ~ " of the survey median of '",
            "cast(survey_medians.median_duration_seconds as " ~ dbt.type_string() ~ ")",
            "'s'",
        ]) }} as reason
    from durations
    inner join survey_medians
        on durations.survey_key = survey_medians.survey_key
    where durations.duration_seconds < {{ fraction }} * survey_medians.median_duration_seconds

)

select * from final

{% endtest %}
