"""Overview: NPS, CSAT, CES and the average star rating over time (metrics_scorecard), with
their 95% intervals, n, small cells, significant changes and targets (metrics_vs_target)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    HEADLINES,
    OVERVIEW_METRICS,
    SCORECARD_CHOICES,
    SCORECARD_DATES,
    TARGET_LINES,
    TRENDS,
)

LABELS = {
    "nps": ("NPS", ".1f", "NPS (-100..100)"),
    "csat": ("CSAT", ".1f", "CSAT (top-two-box %)"),
    "ces": ("CES", ".2f", "CES (mean, 1..7)"),
    "average_rating": ("Average rating", ".2f", "Average star rating (1..5)"),
}
metrics = list(OVERVIEW_METRICS)

st.title("Overview")
choices = widgets.require(SCORECARD_CHOICES, {"metrics": metrics})

with st.sidebar:
    st.subheader("Filters")
    grain = widgets.pick_grain(
        "Period",
        [grain for grain in choices["grain"] if grain != "all_time"],
        default="month",
        key="overview_grain",
    )
    dates = widgets.require(SCORECARD_DATES, {"metrics": metrics, "grain": grain})
    first_period, last_period = widgets.pick_dates(
        dates["first_period"].iloc[0].date(),
        dates["last_period"].iloc[0].date(),
        key=f"overview_dates_{grain}",
    )
    segment_type, segment_value = widgets.pick_segment(
        choices[choices["grain"] == grain], key="overview_segment"
    )

segment = {"segment_type": segment_type, "segment_value": segment_value}
where = "all customers" if segment_type == "overall" else f"{segment_type} {segment_value}"

headlines = widgets.require(HEADLINES, {"metrics": metrics, **segment})
st.caption(f"All time, {where}.")
columns = st.columns(len(metrics))
for column, metric in zip(columns, metrics, strict=True):
    label, number_format, _ = LABELS[metric]
    rows = headlines[headlines["metric"] == metric]
    with column:
        if rows.empty:
            st.metric(label, "n/a")
            st.caption("no all-time cell for this segment")
            continue
        row = rows.iloc[0]
        st.metric(label, widgets.number(row["value"], number_format))
        st.caption(widgets.interval_caption(row, number_format))

period_range = {"first_period": first_period, "last_period": last_period}
trends = widgets.require(TRENDS, {"metrics": metrics, "grain": grain, **segment, **period_range})
targets = widgets.load(
    TARGET_LINES, {"metrics": metrics, "grain": grain, **segment, **period_range}
)

for metric in metrics:
    label, number_format, y_title = LABELS[metric]
    st.subheader(f"{label} by {widgets.GRAIN_LABELS[grain].lower()}")
    rows = trends[trends["metric"] == metric].drop(columns="metric")
    if rows.empty:
        st.info(f"No {label} cells for {where} at this grain.")
        continue
    metric_targets = None
    download = rows
    notes = [widgets.SMALL_SAMPLE_NOTE]
    if targets is not None and (targets["metric"] == metric).any():
        metric_targets = targets[targets["metric"] == metric].drop(columns="metric")
        download = rows.merge(metric_targets, on="period", how="left")
        notes.append("Dashed orange: the target (metrics_vs_target).")
    widgets.chart(
        f"{metric}_{grain}_{widgets.slug(where)}",
        charts.trend(rows, y_title=y_title, number_format=number_format, targets=metric_targets),
        download,
        caption=" ".join(notes),
    )
