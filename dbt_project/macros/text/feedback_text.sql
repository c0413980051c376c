{#- The one place the follow-up queue and the brand benchmarks read the text analytics
    marts (vars feedback_text_model and feedback_text_themes_model: fct_feedback_text and
    fct_feedback_text_themes).

    A dbt model cannot ask whether a table exists and still run the same on every
    engine, and a ref() to a model that is not in the project fails the parse; so the
    marts are named by vars, and every reader checks feedback_text_enabled(). A project
    without text analytics sets feedback_text_model to null.

    Expected of the marts: one row per text item, keyed by the feedback_item_id of
    fct_feedback_items (a review's star_rating item, a survey's open_text item), with
    sentiment_label (negative, neutral or positive) and themes (the theme names joined by
    ', '); and one row per text item and theme it mentions. Marts of another shape are
    adapted here, and only here. -#}

{% macro feedback_text_enabled() -%}
    {{ return(var('feedback_text_model', none) is not none) }}
{%- endmacro %}

{#- One row per text item: feedback_item_id, is_negative, sentiment_label, themes_text
    (the themes joined by ', ', null when none). -#}
{% macro feedback_text_signals() -%}
    select
        feedback_item_id,
        coalesce(sentiment_label = 'negative', false) as is_negative,
        sentiment_label,
        nullif(themes, '') as themes_text
    from {{ ref(var('feedback_text_model')) }}
{%- endmacro %}

{#- One row per text item and theme it mentions: feedback_item_id, sentiment_label, theme. -#}
{% macro feedback_text_themes() -%}
    select
        feedback_item_id,
        sentiment_label,
        theme
    from {{ ref(var('feedback_text_themes_model')) }}
{%- endmacro %}
