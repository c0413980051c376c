"""Every table and column of the published copy the dashboard reads, and nothing else.

Each query names the tables it needs and renames the marts' columns to the few names the
charts use (`period`, `value`, `ci_lower`, `ci_upper`, `n`, ...), so renaming a mart or a
column is a change to this file only. The queries select and filter; every number on
screen is a mart's own value. The few counts below (`count(*)`) count a mart's rows
(customers in a segment, open cases by age), which no mart aggregates for us.

Parameters are bound (`$name`); no value is ever formatted into the SQL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    name: str
    tables: tuple[str, ...]  # "schema.table" of every relation the SQL reads
    sql: str


# The four headline metrics of the Overview, as metrics_scorecard names them, in order.
OVERVIEW_METRICS = ("nps", "csat", "ces", "average_rating")
REPEAT_PURCHASE_METRIC = "repeat_purchase_rate"
ALL_TIME = "all_time"
OVERALL = ("overall", "all")  # segment_type, segment_value of the whole population

# ---------------------------------------------------------------------------------------
# Overview: metrics_scorecard (every headline metric in one long table) and its targets.
# ---------------------------------------------------------------------------------------
SCORECARD = "marts.metrics_scorecard"
TARGETS = "marts.metrics_vs_target"

SCORECARD_CHOICES = Query(
    "scorecard_choices",
    (SCORECARD,),
    """
    select distinct period_grain as grain, segment_type, segment_value
    from marts.metrics_scorecard
    where list_contains($metrics, metric)
    order by grain, segment_type, segment_value
    """,
)

SCORECARD_DATES = Query(
    "scorecard_dates",
    (SCORECARD,),
    """
    select min(period_start) as first_period, max(period_start) as last_period
    from marts.metrics_scorecard
    where list_contains($metrics, metric) and period_grain = $grain
    """,
)

HEADLINES = Query(
    "headlines",
    (SCORECARD,),
    """
    select
        metric,
        metric_value as value,
        ci_lower,
        ci_upper,
        n,
        is_small_sample,
        period_start as since
    from marts.metrics_scorecard
    where list_contains($metrics, metric)
        and period_grain = 'all_time'
        and segment_type = $segment_type
        and segment_value = $segment_value
    """,
)

# One row per metric and period; significant_change says whether the change against the
# previous period is significant, and for the better or the worse.
TRENDS = Query(
    "trends",
    (SCORECARD,),
    """
    select
        metric,
        period_start as period,
        metric_value as value,
        ci_lower,
        ci_upper,
        n,
        is_small_sample,
        previous_value,
        metric_change as change,
        case
            when not is_change_significant then null
            when (metric_change > 0) = higher_is_better then 'better'
            else 'worse'
        end as significant_change
    from marts.metrics_scorecard
    where list_contains($metrics, metric)
        and period_grain = $grain
        and segment_type = $segment_type
        and segment_value = $segment_value
        and period_start between $first_period and $last_period
    order by metric, period
    """,
)

TARGET_LINES = Query(
    "target_lines",
    (TARGETS,),
    """
    select
        metric,
        target_id as target,
        period_start as period,
        target_value,
        status as target_status
    from marts.metrics_vs_target
    where list_contains($metrics, metric)
        and period_grain = $grain
        and segment_type = $segment_type
        and segment_value = $segment_value
        and period_start between $first_period and $last_period
    order by metric, target, period
    """,
)

# ---------------------------------------------------------------------------------------
# Drivers: metrics_key_drivers (importance against performance per cell).
# ---------------------------------------------------------------------------------------
KEY_DRIVERS = "marts.metrics_key_drivers"

KEY_DRIVER_CELLS = Query(
    "key_driver_cells",
    (KEY_DRIVERS,),
    """
    select distinct
        survey_id as survey,
        outcome,
        period_grain as grain,
        period_start as period,
        segment_type,
        segment_value
    from marts.metrics_key_drivers
    order by survey, outcome, grain, period desc, segment_type, segment_value
    """,
)

KEY_DRIVER_ROWS = Query(
    "key_driver_rows",
    (KEY_DRIVERS,),
    """
    select
        coalesce(driver_name, driver_item_id) as driver,
        importance_weight as importance,
        importance_ci_lower,
        importance_ci_upper,
        importance_share,
        importance_rank,
        correlation,
        performance_mean as performance,
        top_two_box_share,
        top_two_box_ci_lower,
        top_two_box_ci_upper,
        quadrant,
        complete_responses as n,
        is_small_sample,
        model_status,
        r_squared
    from marts.metrics_key_drivers
    where survey_id = $survey
        and outcome = $outcome
        and period_grain = $grain
        and period_start = $period
        and segment_type = $segment_type
        and segment_value = $segment_value
    order by importance_rank nulls last, driver
    """,
)

# ---------------------------------------------------------------------------------------
# Text analytics marts (dbt_project/models/marts/text): names and columns as their
# _text__models.yml documents them.
# ---------------------------------------------------------------------------------------
FEEDBACK_TEXT = "marts.fct_feedback_text"
FEEDBACK_TEXT_THEMES = "marts.fct_feedback_text_themes"
THEMES = "marts.metrics_themes"
THEME_IMPACT = "marts.metrics_theme_impact"
TEXT_MODEL_CARD = "marts.metrics_text_model_card"

# All time, all feedback: the mart also holds quarters and segments.
THEME_IMPACT_ROWS = Query(
    "theme_impact_rows",
    (THEME_IMPACT,),
    """
    select
        theme,
        outcome,
        mentioning as n,
        impact,
        impact_ci_lower,
        impact_ci_upper,
        share_of_unhappy as share_of_negative,
        is_impact_significant as is_significant,
        is_small_sample
    from marts.metrics_theme_impact
    where period_grain = 'all_time'
        and segment_type = 'overall'
    order by outcome, impact
    """,
)

THEME_CHOICES = Query(
    "theme_choices",
    (THEMES,),
    """
    select distinct theme, period_grain as grain
    from marts.metrics_themes
    order by theme, grain
    """,
)

THEME_TOTALS = Query(
    "theme_totals",
    (THEMES,),
    """
    select
        theme,
        mentions as n,
        share_of_texts as mention_share,
        mean_sentiment,
        is_small_sample
    from marts.metrics_themes
    where period_grain = 'all_time'
        and segment_type = 'overall'
    order by mentions desc, theme
    """,
)

THEME_TREND = Query(
    "theme_trend",
    (THEMES,),
    """
    select
        period_start as period,
        mentions as n,
        share_of_texts as mention_share,
        share_ci_lower,
        share_ci_upper,
        mean_sentiment,
        mean_sentiment_ci_lower,
        mean_sentiment_ci_upper,
        is_small_sample,
        is_share_change_significant as is_change_significant
    from marts.metrics_themes
    where theme = $theme
        and period_grain = $grain
        and segment_type = 'overall'
    order by period
    """,
)

TEXT_LANGUAGES = Query(
    "text_languages",
    (FEEDBACK_TEXT,),
    """
    select
        coalesce(language, 'und') as language,
        sentiment_label,
        count(*) as texts
    from marts.fct_feedback_text
    group by all
    order by language, sentiment_label
    """,
)

# Masked text only: fct_feedback_text.text_value has e-mails and phone numbers masked; one
# row per text, so the examples never scan every feedback item.
THEME_EXAMPLES = Query(
    "theme_examples",
    (FEEDBACK_TEXT_THEMES, FEEDBACK_TEXT),
    """
    select
        mentions.occurred_at,
        mentions.source,
        mentions.language,
        mentions.sentiment_score,
        mentions.sentiment_label,
        texts.text_value as comment
    from marts.fct_feedback_text_themes as mentions
    inner join marts.fct_feedback_text as texts
        on mentions.feedback_item_id = texts.feedback_item_id
    where mentions.theme = $theme
        and mentions.sentiment_label = $sentiment_label
    order by mentions.occurred_at desc, mentions.feedback_item_id
    limit $limit
    """,
)

TEXT_MODELS = Query(
    "text_models",
    (TEXT_MODEL_CARD,),
    """
    select *
    from marts.metrics_text_model_card
    """,
)

# ---------------------------------------------------------------------------------------
# Reviews: metrics_review_ratings (own brand) and metrics_benchmark_review_ratings (competitors).
# ---------------------------------------------------------------------------------------
REVIEW_RATINGS = "marts.metrics_review_ratings"
BRAND_BENCHMARK = "marts.metrics_benchmark_review_ratings"

REVIEW_CHOICES = Query(
    "review_choices",
    (REVIEW_RATINGS,),
    """
    select distinct period_grain as grain, platform, segment_type, segment_value
    from marts.metrics_review_ratings
    order by grain, platform, segment_type, segment_value
    """,
)

RATING_DISTRIBUTION = Query(
    "rating_distribution",
    (REVIEW_RATINGS,),
    """
    select stars, reviews
    from (
        unpivot (
            select
                one_star_count as "1",
                two_star_count as "2",
                three_star_count as "3",
                four_star_count as "4",
                five_star_count as "5"
            from marts.metrics_review_ratings
            where period_grain = 'all_time'
                and platform = $platform
                and segment_type = $segment_type
                and segment_value = $segment_value
        )
        on "1", "2", "3", "4", "5"
        into name stars value reviews
    )
    order by stars
    """,
)

RATING_TREND = Query(
    "rating_trend",
    (REVIEW_RATINGS,),
    """
    select
        period_start as period,
        platform,
        smoothed_average_rating as value,
        average_rating,
        n,
        is_small_sample
    from marts.metrics_review_ratings
    where period_grain = $grain
        and segment_type = $segment_type
        and segment_value = $segment_value
    order by platform, period
    """,
)

RATINGS_BY_LOCATION = Query(
    "ratings_by_location",
    (REVIEW_RATINGS,),
    """
    select
        segment_value as location,
        smoothed_average_rating as value,
        average_rating,
        high_rating_share,
        n,
        is_small_sample
    from marts.metrics_review_ratings
    where period_grain = 'all_time'
        and platform = $platform
        and segment_type = 'location'
    order by value desc, location
    """,
)

BRAND_GRAINS = Query(
    "brand_grains",
    (BRAND_BENCHMARK,),
    """
    select distinct period_grain as grain, platform
    from marts.metrics_benchmark_review_ratings
    order by grain, platform
    """,
)

BRAND_TREND = Query(
    "brand_trend",
    (BRAND_BENCHMARK,),
    """
    select
        period_start as period,
        brand,
        is_own_brand,
        smoothed_average_rating as value,
        average_rating,
        n,
        is_small_sample
    from marts.metrics_benchmark_review_ratings
    where period_grain = $grain and platform = $platform
    order by brand, period
    """,
)

BRAND_COMPARISON = Query(
    "brand_comparison",
    (BRAND_BENCHMARK,),
    """
    select
        brand,
        n,
        average_rating,
        own_average_rating,
        rating_difference as difference,
        rating_difference_ci_lower as ci_lower,
        rating_difference_ci_upper as ci_upper,
        is_rating_difference_significant as is_significant,
        is_small_sample
    from marts.metrics_benchmark_review_ratings
    where period_grain = 'all_time' and platform = $platform and not is_own_brand
    order by difference
    """,
)

# ---------------------------------------------------------------------------------------
# Loyalty.
# ---------------------------------------------------------------------------------------
RETENTION = "marts.metrics_retention_cohorts"
RFM = "marts.dim_customer_rfm"
AT_RISK = "marts.dim_customers_at_risk"
SATISFACTION_LOYALTY = "marts.metrics_satisfaction_loyalty"

RETENTION_COHORTS = Query(
    "retention_cohorts",
    (RETENTION,),
    """
    select
        cohort_month,
        months_since_first_order as months_since,
        retention_rate as value,
        retention_rate_lower_95 as ci_lower,
        retention_rate_upper_95 as ci_upper,
        active_customers,
        cohort_customers as n,
        is_small_sample
    from marts.metrics_retention_cohorts
    order by cohort_month, months_since
    """,
)

RFM_SEGMENTS = Query(
    "rfm_segments",
    (RFM,),
    """
    select rfm_segment as segment, count(*) as customers
    from marts.dim_customer_rfm
    group by rfm_segment
    order by customers desc, segment
    """,
)

CUSTOMERS_AT_RISK = Query(
    "dim_customers_at_risk",
    (AT_RISK,),
    """
    select
        contact_priority,
        customer_id,
        loyalty_tier,
        rfm_segment,
        latest_nps_group,
        net_spend,
        order_count,
        days_since_last_order,
        days_overdue
    from marts.dim_customers_at_risk
    order by contact_priority
    limit $limit
    """,
)

CUSTOMERS_AT_RISK_COUNT = Query(
    "customers_at_risk_count",
    (AT_RISK,),
    "select count(*) as customers from marts.dim_customers_at_risk",
)

BRIDGE_TYPES = Query(
    "bridge_types",
    (SATISFACTION_LOYALTY,),
    """
    select distinct segment_type
    from marts.metrics_satisfaction_loyalty
    order by segment_type
    """,
)

SATISFACTION_LOYALTY_BRIDGE = Query(
    "satisfaction_loyalty_bridge",
    (SATISFACTION_LOYALTY,),
    """
    select
        segment_value as satisfaction_group,
        customers as n,
        repeat_rate,
        repeat_rate_lower_95 as repeat_rate_ci_lower,
        repeat_rate_upper_95 as repeat_rate_ci_upper,
        lapse_rate,
        lapse_rate_lower_95 as lapse_rate_ci_lower,
        lapse_rate_upper_95 as lapse_rate_ci_upper,
        average_90_day_value,
        customers_with_90_days,
        average_365_day_value,
        customers_with_365_days,
        is_small_sample
    from marts.metrics_satisfaction_loyalty
    where segment_type = $segment_type
    order by satisfaction_group
    """,
)

# ---------------------------------------------------------------------------------------
# Follow-up queue.
# ---------------------------------------------------------------------------------------
OPEN_CASES = "marts.fct_follow_up_open_cases"
FOLLOW_UP_PERFORMANCE = "marts.metrics_follow_up_performance"
FOLLOW_UP_OUTCOMES = "marts.metrics_follow_up_outcomes"

# A case's age is the time from opened_at to the moment the mart judged due times.
OPEN_CASES_BY_AGE = Query(
    "open_cases_by_age",
    (OPEN_CASES,),
    """
    with ages as (
        select
            channel,
            is_past_due,
            date_diff('hour', opened_at, evaluated_at) as age_hours
        from marts.fct_follow_up_open_cases
    )

    select
        channel,
        case
            when age_hours < 24 then 1
            when age_hours < 72 then 2
            when age_hours < 168 then 3
            when age_hours < 720 then 4
            when age_hours < 2160 then 5
            when age_hours < 8760 then 6
            else 7
        end as age_order,
        case
            when age_hours < 24 then 'under 1 day'
            when age_hours < 72 then '1-3 days'
            when age_hours < 168 then '3-7 days'
            when age_hours < 720 then '1-4 weeks'
            when age_hours < 2160 then '1-3 months'
            when age_hours < 8760 then '3-12 months'
            else 'over a year'
        end as age,
        count(*) as cases,
        count(*) filter (where is_past_due) as past_due
    from ages
    group by all
    order by age_order, channel
    """,
)

FOLLOW_UP_HEADLINE = Query(
    "follow_up_headline",
    (FOLLOW_UP_PERFORMANCE,),
    """
    select
        cases,
        open_cases,
        past_due_cases,
        response_within_target_share,
        response_within_target_ci_lower,
        response_within_target_ci_upper,
        response_judged_cases,
        resolution_within_target_share,
        resolution_judged_cases,
        median_hours_to_first_response
    from marts.metrics_follow_up_performance
    where period_grain = 'all_time' and segment_type = 'overall'
    """,
)

FOLLOW_UP_TREND = Query(
    "follow_up_trend",
    (FOLLOW_UP_PERFORMANCE,),
    """
    select
        period_start as period,
        segment_value as channel,
        response_within_target_share as value,
        response_within_target_ci_lower as ci_lower,
        response_within_target_ci_upper as ci_upper,
        response_judged_cases as n,
        is_small_sample
    from marts.metrics_follow_up_performance
    where period_grain = 'month' and segment_type = $segment_type
    order by channel, period
    """,
)

FOLLOW_UP_OUTCOME_ROWS = Query(
    "follow_up_outcome_rows",
    (FOLLOW_UP_OUTCOMES,),
    """
    select
        case_group,
        outcome,
        window_days,
        contacted_n,
        contacted_value,
        not_contacted_n,
        not_contacted_value,
        difference,
        difference_ci_lower,
        difference_ci_upper,
        is_significant,
        is_small_sample
    from marts.metrics_follow_up_outcomes
    order by case_group, outcome
    """,
)

# ---------------------------------------------------------------------------------------
# Data health: the pipeline schema of the published copy (orchestration/defs/serving).
# ---------------------------------------------------------------------------------------
PUBLICATION = "pipeline.publication"
LOAD_LEDGER = "pipeline.load_ledger"
HELD_LOADS = "pipeline.held_loads"
CHECK_RESULTS = "pipeline.check_results"
SOURCE_FRESHNESS = "pipeline.source_freshness"

PUBLICATION_SUMMARY = Query(
    "publication_summary",
    (PUBLICATION,),
    """
    select
        any_value(build_id) as build_id,
        max(published_at) as published_at,
        count(*) as tables,
        sum(row_count) as rows
    from pipeline.publication
    """,
)

LEDGER_BY_SOURCE = Query(
    "ledger_by_source",
    (LOAD_LEDGER,),
    """
    select
        coalesce(source, format, 'unknown') as source,
        status,
        count(*) as files,
        coalesce(sum(rows_in), 0) as rows_in,
        coalesce(sum(rows_loaded), 0) as rows_loaded,
        coalesce(sum(rows_quarantined), 0) as rows_quarantined
    from pipeline.load_ledger
    group by all
    order by source, status
    """,
)

LEDGER_TOTALS = Query(
    "ledger_totals",
    (LOAD_LEDGER,),
    """
    select
        count(*) filter (where status in ('loaded', 'held')) as files_loaded,
        coalesce(sum(rows_loaded) filter (where status in ('loaded', 'held')), 0)
            as rows_loaded,
        coalesce(sum(rows_quarantined) filter (where status in ('loaded', 'held')), 0)
            as rows_quarantined,
        count(*) filter (where status = 'held') as files_held,
        count(*) filter (where status = 'failed') as files_failed
    from pipeline.load_ledger
    """,
)

LEDGER_FILES = Query(
    "ledger_files",
    (LOAD_LEDGER,),
    """
    select
        file_name,
        source,
        format,
        target_table,
        status,
        rows_in,
        rows_loaded,
        rows_quarantined,
        started_at
    from pipeline.load_ledger
    order by started_at desc, file_name
    """,
)

HELD_LOAD_ROWS = Query(
    "held_load_rows",
    (HELD_LOADS,),
    """
    select
        load_id,
        file_name,
        source,
        held_by,
        expectation,
        column_name,
        failing_rows,
        failed_expectations,
        held_at
    from pipeline.held_loads
    order by held_at desc, file_name
    """,
)

CHECK_SUMMARY = Query(
    "check_summary",
    (CHECK_RESULTS,),
    """
    select
        split_part(asset_key, '/', 1) as layer,
        outcome,
        count(*) as checks
    from pipeline.check_results
    group by all
    order by layer, outcome
    """,
)

CHECK_ROWS = Query(
    "check_rows",
    (CHECK_RESULTS,),
    """
    select
        asset_key,
        check_name,
        outcome,
        is_blocking,
        failed_rows,
        description,
        evaluated_at
    from pipeline.check_results
    order by
        case outcome when 'failed' then 1 when 'did_not_complete' then 2
            when 'warned' then 3 when 'pending' then 4 when 'never_run' then 5 else 6 end,
        asset_key,
        check_name
    """,
)

FRESHNESS_ROWS = Query(
    "freshness_rows",
    (SOURCE_FRESHNESS,),
    """
    select
        source,
        freshness_status,
        hours_since_last_load,
        warn_after_hours,
        fail_after_hours,
        last_loaded_at,
        last_load_name,
        loads,
        rows_loaded
    from pipeline.source_freshness
    order by hours_since_last_load desc, source
    """,
)

# The headline NPS of the Overview, read from metrics_nps itself: tests and the benchmark
# compare the page with it.
NPS = "marts.metrics_nps"
NPS_ALL_TIME_OVERALL = Query(
    "nps_all_time_overall",
    (NPS,),
    """
    select nps as value, n
    from marts.metrics_nps
    where period_grain = 'all_time' and segment_type = 'overall'
    """,
)
