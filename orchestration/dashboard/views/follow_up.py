"""Follow-up: open cases by age and channel (fct_follow_up_open_cases), the share answered
within target (metrics_follow_up_performance) and what following up goes with
(metrics_follow_up_outcomes)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    FOLLOW_UP_HEADLINE,
    FOLLOW_UP_OUTCOME_ROWS,
    FOLLOW_UP_TREND,
    OPEN_CASES_BY_AGE,
)

st.title("Follow-up")
headline = widgets.require(FOLLOW_UP_HEADLINE)
row = headline.iloc[0]
columns = st.columns(4)
columns[0].metric("Open cases", f"{int(row['open_cases']):,}")
columns[1].metric("Past due", f"{int(row['past_due_cases']):,}")
columns[2].metric(
    "Answered within target", f"{widgets.number(row['response_within_target_share'])}%"
)
columns[2].caption(
    f"n = {int(row['response_judged_cases']):,} · 95% interval"
    f" {widgets.number(row['response_within_target_ci_lower'])}"
    f" to {widgets.number(row['response_within_target_ci_upper'])}"
)
columns[3].metric(
    "Resolved within target", f"{widgets.number(row['resolution_within_target_share'])}%"
)
columns[3].caption(f"n = {int(row['resolution_judged_cases']):,}")

st.subheader("Open cases by age")
ages = widgets.require(OPEN_CASES_BY_AGE)
if ages.empty:
    st.success("No open cases.")
else:
    widgets.chart(
        "open_cases_by_age",
        charts.age_bars(ages),
        ages,
        caption="Age: from the feedback to the moment the queue was judged (the last build).",
    )

st.subheader("Answered within target, by month")
by = st.radio(
    "Per", ["channel", "overall"], horizontal=True, key="follow_up_by", label_visibility="collapsed"
)
trend = widgets.require(FOLLOW_UP_TREND, {"segment_type": by})
widgets.chart(
    f"answered_within_target_by_{by}",
    charts.trends_by(trend, "channel", y_title="answered within target %", number_format=".1f"),
    trend,
    caption="Share of the cases that could be judged (answered, or past due); Wilson 95%"
    " intervals as bands; grey points: small months.",
)

with st.expander("What following up goes with"):
    outcomes = widgets.load(FOLLOW_UP_OUTCOME_ROWS)
    if outcomes is not None:
        widgets.table("metrics_follow_up_outcomes", outcomes)
