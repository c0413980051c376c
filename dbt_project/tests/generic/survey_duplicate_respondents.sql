{#- Warns for every response whose respondent (respondent_key, an SQL expression such as
    a customer reference or a keyed email hash) already answered the same survey shortly
    before. "Shortly" depends on what the survey asks about:
    - relationship surveys (the relationship as a whole, a few times a year): a repeat
      within var duplicate_respondent_window_days (30) days;
    - transactional surveys (after one order or support contact, answered again with every
      new one): a repeat on the same day (var duplicate_respondent_transactional_window_days,
      0), which is a double submission rather than a second order;
    - a survey whose registry entry sets duplicate_window_days: that many days.
    Days are calendar days in UTC between the two submissions, so 0 means the same day.
    The kind and window come from `registry` (stg_surveys__registry); a survey missing
    there counts as relationship. window_days, when given, applies to every survey.
    One window function over the responses, no self-join. -#}
{% test survey_duplicate_respondents(model, column_name, survey_column, key_column, respondent_key, registry=none, window_days=none) %}
{{ config(severity='warn') }}
{%- set relationship_days = var('duplicate_respondent_window_days') %}
{%- set transactional_days = var('duplicate_respondent_transactional_window_days') %}

with

{% if registry is not none -%}
survey_windows as (

    {#- One row per survey: kind and window are written on each of its items. -#}
    select
        survey_id,
        max(survey_kind) as survey_kind,
        max(duplicate_window_days) as duplicate_window_days
    from {{ registry }}
    group by survey_id

),
{%- endif %}

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

repeats as (

    select
        ordered.*,
        {% if registry is not none -%}
        coalesce(survey_windows.survey_kind, 'relationship') as survey_kind,
        {% else -%}
        'relationship' as survey_kind,
        {% endif -%}
        {% if window_days is not none -%}
        {{ window_days }} as duplicate_window_days
        {%- elif registry is not none -%}
        coalesce(
            survey_windows.duplicate_window_days,
            case
                when survey_windows.survey_kind = 'transactional' then {{ transactional_days }}
                else {{ relationship_days }}
            end
        ) as duplicate_window_days
        {%- else -%}
        {{ relationship_days }} as duplicate_window_days
        {%- endif %}
    from ordered
    {% if registry is not none -%}
    left join survey_windows
        on ordered.{{ survey_column }} = survey_windows.survey_id
    {% endif -%}
    where ordered.previous_answered_at is not null

),

final as (

    select
        *,
        {{ dbt.concat([
            "'duplicate respondent: answered this survey before in response '",
            "cast(previous_response_key as " ~ dbt.type_string() ~ ")",
            "' at '",
            "cast(previous_answered_at as " ~ dbt.type_string() ~ ")",
            "case when duplicate_window_days = 0 then ', on the same day' else "
                ~ dbt.concat(["', within '", "cast(duplicate_window_days as " ~ dbt.type_string() ~ ")", "' days'"])
                ~ " end",
            "' ('",
            "survey_kind",
            "' survey)'",
        ]) }} as reason
    from repeats
    where {{ dbt.datediff('previous_answered_at', column_name, 'day') }} <= duplicate_window_days

)

select * from final

{% endtest %}
