{#- Everything that deserves an alert as of this build (docs/follow-up.md, Alerts); the
    alert sensor reads it from the published copy and sends each alert_id once.
    - metric_drop: a significant change for the worse against the previous period
      (metrics_scorecard), in the latest var alert_recent_periods periods of its grain;
    - review_spike: a day of 1-2 star reviews of our own on one platform above var
      review_spike_multiplier times its trailing daily mean (macro
      review_rating_spike_days), in the latest var alert_recent_periods days;
    - target_missed: a target missed (metrics_vs_target) in one of its latest var
      alert_recent_periods periods;
    - follow_up_past_due: a follow-up case still open without a response after its due
      time. -#}
{%- set recent = var('alert_recent_periods') -%}

with

scorecard as {{ not_materialized() }} (

    select * from {{ ref('metrics_scorecard') }}

),

targets as {{ not_materialized() }} (

    select * from {{ ref('metrics_vs_target') }}

),

cases as {{ not_materialized() }} (

    select * from {{ ref('fct_follow_up_cases') }}

),

star_ratings as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}
    where instrument = 'star_rating'

),

own_reviews as (

    select
        source as platform,
        score_value as rating,
        occurred_at
    from star_ratings

),

recent_scorecard as (

    select
        *,
        dense_rank() over (
            partition by metric, period_grain
            order by period_start desc
        ) as period_recency
    from scorecard
    where period_grain <> 'all_time'

),

metric_drops as (

    select
        {{ dbt.concat([
            "'metric_drop|'", "metric", "'|'", "period_grain", "'|'",
            "cast(period_start as " ~ dbt.type_string() ~ ")", "'|'", "segment_type", "'|'", "segment_value",
        ]) }} as alert_key,
        'metric_drop' as alert_kind,
        metric,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        metric_value,
        ci_lower,
        ci_upper,
        previous_value as reference_value,
        metric_change,
        change_z,
        cast(null as {{ dbt.type_string() }}) as subject_id,
        cast(null as integer) as priority_rank
    from recent_scorecard
    where period_recency <= {{ recent }}
        and is_change_significant
        and ((higher_is_better and metric_change < 0) or (not higher_is_better and metric_change > 0))

),

spike_days as (

    {{ review_rating_spike_days(
        'own_reviews', 'rating', 'platform', 'occurred_at',
        var('review_spike_multiplier'), var('review_spike_min_count'), var('review_spike_trailing_days')
    ) }}

),

latest_review_day as (

    select max(cast(occurred_at as date)) as latest_day
    from own_reviews

),

review_spikes as (

    select
        {{ dbt.concat([
            "'review_spike|'", "spike_days.platform", "'|'",
            "cast(spike_days.review_date as " ~ dbt.type_string() ~ ")",
        ]) }} as alert_key,
        'review_spike' as alert_kind,
        'low_rating_reviews' as metric,
        'day' as period_grain,
        spike_days.review_date as period_start,
        'platform' as segment_type,
        spike_days.platform as segment_value,
        cast(spike_days.review_count as {{ dbt.type_bigint() }}) as n,
        cast(spike_days.review_count as {{ type_double() }}) as metric_value,
        cast(null as {{ type_double() }}) as ci_lower,
        cast(null as {{ type_double() }}) as ci_upper,
        cast(spike_days.trailing_daily_mean as {{ type_double() }}) as reference_value,
        cast(spike_days.review_count - spike_days.trailing_daily_mean as {{ type_double() }}) as metric_change,
        cast(null as {{ type_double() }}) as change_z,
        cast(null as {{ dbt.type_string() }}) as subject_id,
        cast(null as integer) as priority_rank
    from spike_days
    cross join latest_review_day
    where spike_days.rating_band = 'low (1-2 stars)'
        and spike_days.review_date > cast({{ dbt.dateadd('day', -recent, 'latest_review_day.latest_day') }} as date)

),

missed_targets as (

    select
        {{ dbt.concat([
            "'target_missed|'", "target_id", "'|'", "cast(period_start as " ~ dbt.type_string() ~ ")",
        ]) }} as alert_key,
        'target_missed' as alert_kind,
        metric,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        n,
        metric_value,
        ci_lower,
        ci_upper,
        target_value as reference_value,
        gap as metric_change,
        cast(null as {{ type_double() }}) as change_z,
        target_id as subject_id,
        cast(null as integer) as priority_rank
    from targets
    where status = 'missed'
        and period_recency <= {{ recent }}

),

past_due_cases as (

    select
        {{ dbt.concat(["'follow_up_past_due|'", "case_id"]) }} as alert_key,
        'follow_up_past_due' as alert_kind,
        primary_instrument as metric,
        cast(null as {{ dbt.type_string() }}) as period_grain,
        cast(due_at as date) as period_start,
        'channel' as segment_type,
        channel as segment_value,
        cast(1 as {{ dbt.type_bigint() }}) as n,
        primary_score as metric_value,
        cast(null as {{ type_double() }}) as ci_lower,
        cast(null as {{ type_double() }}) as ci_upper,
        cast(response_target_hours as {{ type_double() }}) as reference_value,
        cast(null as {{ type_double() }}) as metric_change,
        cast(null as {{ type_double() }}) as change_z,
        case_id as subject_id,
        priority_rank
    from cases
    where is_past_due

),

unioned as (

    select * from metric_drops
    union all
    select * from review_spikes
    union all
    select * from missed_targets
    union all
    select * from past_due_cases

),

final as (

    select
        {{ dbt.hash('alert_key') }} as alert_id,
        alert_key,
        alert_kind,
        metric,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        cast(n as {{ dbt.type_bigint() }}) as n,
        {{ round_metric('metric_value') }} as metric_value,
        {{ round_metric('ci_lower') }} as ci_lower,
        {{ round_metric('ci_upper') }} as ci_upper,
        {{ round_metric('reference_value') }} as reference_value,
        {{ round_metric('metric_change') }} as metric_change,
        {{ round_metric('change_z') }} as change_z,
        subject_id,
        priority_rank
    from unioned

)

select * from final
