"""Loyalty: the repeat-purchase rate over time (metrics_scorecard), retention cohorts
(metrics_retention_cohorts), RFM segments (dim_customer_rfm), customers at risk
(dim_customers_at_risk) and the bridge between satisfaction and loyalty
(metrics_satisfaction_loyalty)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    BRIDGE_TYPES,
    CUSTOMERS_AT_RISK,
    CUSTOMERS_AT_RISK_COUNT,
    REPEAT_PURCHASE_METRIC,
    RETENTION_COHORTS,
    RFM_SEGMENTS,
    SATISFACTION_LOYALTY_BRIDGE,
    SCORECARD_CHOICES,
    SCORECARD_DATES,
    TRENDS,
)

AT_RISK_SHOWN = 25
BRIDGE_LABELS = {
    "nps_group": "NPS group",
    "csat_band": "CSAT band",
    "ces_band": "CES band",
    "review_rating": "review stars",
}

st.title("Loyalty")

st.subheader("Repeat-purchase rate")
metrics = [REPEAT_PURCHASE_METRIC]
choices = widgets.load(SCORECARD_CHOICES, {"metrics": metrics})
if choices is not None and not choices.empty:
    left, right = st.columns(2)
    grain = widgets.pick_grain(
        "Period",
        [grain for grain in choices["grain"] if grain != "all_time"],
        default="month",
        key="loyalty_grain",
        container=left,
    )
    with right:
        segment_type, segment_value = widgets.pick_segment(
            choices[choices["grain"] == grain], key="loyalty_segment"
        )
    dates = widgets.require(SCORECARD_DATES, {"metrics": metrics, "grain": grain})
    trend = widgets.require(
        TRENDS,
        {
            "metrics": metrics,
            "grain": grain,
            "segment_type": segment_type,
            "segment_value": segment_value,
            "first_period": dates["first_period"].iloc[0].date(),
            "last_period": dates["last_period"].iloc[0].date(),
        },
    ).drop(columns="metric")
    widgets.chart(
        f"repeat_purchase_{grain}_{widgets.slug(segment_type + ' ' + segment_value)}",
        charts.trend(trend, y_title="customers with 2+ orders in the window %"),
        trend,
        caption="Wilson 95% intervals. " + widgets.SMALL_SAMPLE_NOTE,
    )

st.subheader("Retention by cohort")
cohorts = widgets.load(RETENTION_COHORTS)
if cohorts is not None:
    widgets.chart(
        "retention_cohorts",
        charts.cohort_heatmap(cohorts),
        cohorts,
        caption="Share of each first-order month's customers ordering again in each later"
        " month. Faded: small cohorts.",
    )

left, right = st.columns(2)
with left:
    st.subheader("RFM segments")
    segments = widgets.load(RFM_SEGMENTS)
    if segments is not None:
        widgets.chart(
            "rfm_segments",
            charts.counts(segments, category="segment", count="customers", count_title="customers"),
            segments,
        )
with right:
    st.subheader("Customers at risk")
    at_risk_count = widgets.load(CUSTOMERS_AT_RISK_COUNT)
    at_risk = widgets.load(CUSTOMERS_AT_RISK, {"limit": AT_RISK_SHOWN})
    if at_risk_count is not None and at_risk is not None:
        st.metric("Lapsed customers worth contacting", f"{int(at_risk_count['customers'][0]):,}")
        st.caption(f"The {AT_RISK_SHOWN} to contact first (pseudonymous customer keys).")
        widgets.table("dim_customers_at_risk", at_risk)

st.subheader("Satisfaction and loyalty")
types = widgets.load(BRIDGE_TYPES)
if types is not None:
    segment_types = list(types["segment_type"])
    bridge_type = st.radio(
        "Customers grouped by their latest",
        segment_types,
        index=segment_types.index("nps_group") if "nps_group" in segment_types else 0,
        format_func=lambda value: BRIDGE_LABELS.get(value, value),
        horizontal=True,
        key="loyalty_bridge",
    )
    bridge = widgets.require(SATISFACTION_LOYALTY_BRIDGE, {"segment_type": bridge_type})
    left, right = st.columns(2)
    with left:
        widgets.chart(
            f"repeat_rate_by_{bridge_type}",
            charts.grouped_rates(
                bridge,
                category="satisfaction_group",
                value="repeat_rate",
                interval=("repeat_rate_ci_lower", "repeat_rate_ci_upper"),
                value_title="repeat customers %",
            ),
            bridge,
            caption="Wilson 95% intervals; grey: small groups.",
        )
    with right:
        widgets.chart(
            f"value_by_{bridge_type}",
            charts.ranked_bars(
                bridge.assign(n=bridge["customers_with_90_days"]),
                category="satisfaction_group",
                value="average_90_day_value",
                value_title="average spend in the 90 days after the feedback",
            ),
            bridge,
            caption="The mart gives no interval for spend; n is in the tooltip.",
        )
