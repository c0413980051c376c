{#- Why each follow-up case was opened (docs/follow-up.md): one row per case, with every
    trigger of the response or review, its primary trigger and the themes of its texts.
    A case is a survey response with a detractor NPS answer (0-6), a CSAT answer in the
    bottom two boxes (1-2 on 1..5), a CES answer that disagrees it was easy (1-3 on 1..7),
    or a review of our own brand with 1-2 stars; and, when the project has a text analytics
    mart (var feedback_text_model), any of them whose text reads negative. All triggers of
    one response or review make one case.
    Kept apart from fct_follow_up_cases, which adds contacts, targets and actions: none of
    this depends on the clock, so a run without new feedback does not rebuild it, and the
    two halves each fit DuckDB's memory cap at M where the whole did not (docs/performance.md). -#}
{%- set text_enabled = feedback_text_enabled() -%}

with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}
    where instrument in ('nps', 'csat', 'ces', 'star_rating', 'open_text')

),

{% if text_enabled %}
text_signals as (

    {{ feedback_text_signals() }}

),
{% endif %}

items as (

    select
        feedback_items.feedback_item_id,
        feedback_items.channel,
        feedback_items.source,
        feedback_items.survey_id,
        feedback_items.source_record_id,
        case
            when feedback_items.channel = 'survey' then feedback_items.survey_id
            else feedback_items.source
        end as case_scope,
        feedback_items.instrument,
        feedback_items.score_value,
        feedback_items.scale_min,
        feedback_items.scale_max,
        feedback_items.direction,
        feedback_items.normalised_score,
        feedback_items.nps_group,
        feedback_items.customer_id,
        feedback_items.touchpoint,
        feedback_items.product,
        feedback_items.location,
        feedback_items.language,
        feedback_items.occurred_at,
        {% if text_enabled -%}
        coalesce(text_signals.is_negative, false) as is_negative_text,
        text_signals.themes_text
        {%- else -%}
        false as is_negative_text,
        cast(null as {{ dbt.type_string() }}) as themes_text
        {%- endif %}
    from feedback_items
    {% if text_enabled -%}
    left join text_signals
        on feedback_items.feedback_item_id = text_signals.feedback_item_id
    {%- endif %}

),

triggers as (

    {#- Each item that calls for a follow-up, with how the reason names it. -#}
    select
        *,
        case
            when instrument = 'star_rating' and score_value <= 2
                then {{ dbt.concat([
                    "cast(cast(score_value as integer) as " ~ dbt.type_string() ~ ")",
                    "case when score_value = 1 then ' star' else ' stars' end",
                ]) }}
            when instrument in ('nps', 'csat', 'ces')
                then {{ dbt.concat([
                    "upper(instrument)",
                    "' '",
                    "cast(cast(score_value as integer) as " ~ dbt.type_string() ~ ")",
                    "' on '",
                    "cast(scale_min as " ~ dbt.type_string() ~ ")",
                    "'-'",
                    "cast(scale_max as " ~ dbt.type_string() ~ ")",
                ]) }}
            else 'negative text'
        end as trigger_label,
        case instrument
            when 'nps' then 1
            when 'csat' then 2
            when 'ces' then 3
            when 'star_rating' then 4
            else 5
        end as instrument_order
    from items
    where (instrument = 'nps' and nps_group = 'detractor')
        or (
            instrument = 'csat'
            and {{ oriented_score('score_value', 'scale_min', 'scale_max', 'direction') }} <= scale_min + 1
        )
        or (
            instrument = 'ces'
            and {{ ces_score_1_to_7('score_value', 'scale_min', 'scale_max', 'direction') }} < 4
        )
        or (instrument = 'star_rating' and score_value <= 2)
        or is_negative_text

),

ranked_triggers as (

    {#- The case's primary trigger: its worst score, NPS before CSAT, CES, stars, text. -#}
    select
        *,
        row_number() over (
            partition by channel, case_scope, source_record_id
            order by normalised_score nulls last, instrument_order, feedback_item_id
        ) as trigger_rank
    from triggers

),

case_triggers as (

    select
        channel,
        case_scope,
        source_record_id,
        max(source) as source,
        max(survey_id) as survey_id,
        min(occurred_at) as opened_at,
        max(customer_id) as customer_id,
        max(touchpoint) as touchpoint,
        max(product) as product,
        max(location) as location,
        max(language) as language,
        count(*) as trigger_count,
        max(case when instrument = 'nps' then 1 else 0 end) = 1 as is_nps_detractor,
        {{ sorted_string_agg('trigger_label', "'; '", ['instrument_order', 'trigger_label']) }} as reason
    from ranked_triggers
    group by
        channel,
        case_scope,
        source_record_id

),

case_themes as (

    {#- Themes of every text of the response or review, triggering or not. -#}
    select
        channel,
        case_scope,
        source_record_id,
        {{ sorted_string_agg('themes_text', "', '", ['themes_text']) }} as themes
    from items
    where themes_text is not null
    group by
        channel,
        case_scope,
        source_record_id

),

cases as (

    select
        {{ follow_up_case_id('case_triggers.channel', 'case_triggers.case_scope', 'case_triggers.source_record_id') }} as case_id,
        case_triggers.*,
        primary_triggers.feedback_item_id,
        primary_triggers.instrument as primary_instrument,
        primary_triggers.score_value as primary_score,
        primary_triggers.scale_min,
        primary_triggers.scale_max,
        case_themes.themes,
        {#- An equality of two columns to join on: a condition on one side of a left
            join, or a key computed inside it, makes the join a nested loop. -#}
        case
            when case_triggers.channel = 'survey'
                then {{ surrogate_key(['case_triggers.survey_id', 'case_triggers.source_record_id']) }}
        end as survey_response_id,
        case when case_triggers.channel = 'review' then case_triggers.source end as review_platform
    from case_triggers
    inner join ranked_triggers as primary_triggers
        on case_triggers.channel = primary_triggers.channel
        and case_triggers.case_scope = primary_triggers.case_scope
        and case_triggers.source_record_id = primary_triggers.source_record_id
        and primary_triggers.trigger_rank = 1
    left join case_themes
        on case_triggers.channel = case_themes.channel
        and case_triggers.case_scope = case_themes.case_scope
        and case_triggers.source_record_id = case_themes.source_record_id

),

final as (

    select
        case_id,
        channel,
        source,
        survey_id,
        source_record_id,
        feedback_item_id,
        primary_instrument,
        cast(primary_score as {{ type_double() }}) as primary_score,
        cast(scale_min as integer) as scale_min,
        cast(scale_max as integer) as scale_max,
        reason,
        themes,
        cast(trigger_count as integer) as trigger_count,
        is_nps_detractor,
        customer_id,
        touchpoint,
        product,
        location,
        language,
        opened_at,
        survey_response_id,
        review_platform
    from cases

)

select * from final
