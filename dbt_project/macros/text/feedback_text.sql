{#- The one place the follow-up queue and the brand benchmarks read the text analytics
    mart, when the project has one (var feedback_text_model, e.g. fct_feedback_text).

    A dbt model cannot ask whether a table exists and still run the same on every
    engine, and a ref() to a model that is not in the project fails the parse; so the
    mart is named by a var, null by default, and every reader checks
    feedback_text_enabled(). Setting the var makes the ref (and the dependency) real.

    Expected of the mart: one row per text item, keyed by the feedback_item_id of
    fct_feedback_items (a review's star_rating item, a survey's open_text item),
    sentiment_label (negative, neutral or positive) and themes, a list of theme names
    (varchar[] on DuckDB, text[] on Postgres). A mart of another shape is adapted here,
    and only here. -#}

{% macro feedback_text_enabled() -%}
    {{ return(var('feedback_text_model', none) is not none) }}
{%- endmacro %}

{#- One row per text item: feedback_item_id, is_negative, themes_text (the themes joined
    by ', ', null when none). -#}
{% macro feedback_text_signals() -%}
    select
        feedback_item_id,
        coalesce(sentiment_label = 'negative', false) as is_negative,
        sentiment_label,
        nullif(array_to_string(themes, ', '), '') as themes_text
    from {{ ref(var('feedback_text_model')) }}
{%- endmacro %}

{#- One row per text item and theme it mentions: feedback_item_id, sentiment_label, theme. -#}
{% macro feedback_text_themes() -%}
    select
        feedback_item_id,
        sentiment_label,
        theme
    from (
        select
            feedback_item_id,
            sentiment_label,
            unnest(themes) as theme
        from {{ ref(var('feedback_text_model')) }}
    ) as item_themes
{%- endmacro %}
