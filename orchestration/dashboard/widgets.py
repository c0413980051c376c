"""Pieces every page uses: reading a query or saying in one line why not, a chart with its
CSV download, segment and period pickers, and number formats."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from orchestration.dashboard import data
from orchestration.dashboard.charts import ChartLike
from orchestration.dashboard.marts import Query
from orchestration.dashboard.vega_spec import vega_lite_spec

# How the pages name the grains and segment types the marts use.
GRAIN_LABELS = {
    "day": "Day",
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
    "all_time": "All time",
}
SMALL_SAMPLE_NOTE = (
    "Grey points are small cells (n below the small-sample minimum): shown, never tested"
    " for significance."
)


def load(query: Query, parameters: data.Parameters | None = None) -> pd.DataFrame | None:
    """The query's rows, or None after saying in one line what is not published yet."""
    try:
        return data.read(query, parameters)
    except data.NotPublished as reason:
        st.info(str(reason), icon=":material/hourglass_empty:")
        return None


def require(query: Query, parameters: data.Parameters | None = None) -> pd.DataFrame:
    """The query's rows; without them the page says why in one line and ends there."""
    frame = load(query, parameters)
    if frame is None:
        st.stop()
    assert frame is not None  # st.stop() does not return
    return frame


def chart(name: str, figure: ChartLike, frame: pd.DataFrame, caption: str | None = None) -> None:
    """Draw the chart and offer its rows as CSV (`name`.csv)."""
    st.vega_lite_chart(spec=vega_lite_spec(figure), width="stretch")
    left, right = st.columns([2, 1])
    if caption:
        left.caption(caption)
    right.download_button(
        "Download CSV",
        data=csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def table(name: str, frame: pd.DataFrame) -> None:
    """A table with its CSV download."""
    st.dataframe(frame, hide_index=True, width="stretch")
    st.download_button(
        "Download CSV",
        data=csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
        on_click="ignore",
        icon=":material/download:",
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def pick_grain(
    label: str, grains: Sequence[str], *, default: str, key: str, container: Any = st
) -> str:
    options = [grain for grain in GRAIN_LABELS if grain in set(grains)]
    index = options.index(default) if default in options else 0
    return str(
        container.selectbox(
            label, options, index=index, format_func=GRAIN_LABELS.__getitem__, key=key
        )
    )


def pick_segment(
    choices: pd.DataFrame, *, key: str, container: Any = st, label: str = "Segment"
) -> tuple[str, str]:
    """A segment type, then one of its values; `choices` has segment_type, segment_value.
    'overall' comes first and needs no value."""
    types = sorted(set(choices["segment_type"]), key=lambda kind: (kind != "overall", kind))
    segment_type = str(container.selectbox(label, types, key=f"{key}_type"))
    values = sorted(set(choices.loc[choices["segment_type"] == segment_type, "segment_value"]))
    if len(values) == 1:
        return segment_type, str(values[0])
    segment_value = container.selectbox(
        f"{segment_type.replace('_', ' ').capitalize()}", values, key=f"{key}_{segment_type}"
    )
    return segment_type, str(segment_value)


def pick_dates(first: date, last: date, *, key: str, container: Any = st) -> tuple[date, date]:
    """A range of period starts; a half-picked range runs to the last period."""
    picked = container.date_input(
        "Periods starting", value=(first, last), min_value=first, max_value=last, key=key
    )
    if isinstance(picked, date):
        return picked, last
    start = picked[0] if len(picked) > 0 else first
    end = picked[1] if len(picked) > 1 else last
    return start, end


def number(value: Any, number_format: str = ".1f") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "n/a"
    return format(value, number_format)


def timestamp(value: Any) -> str:
    """A time stamp in UTC, to the minute."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return f"{stamp:%Y-%m-%d %H:%M} UTC"


def interval_caption(row: pd.Series, number_format: str) -> str:
    small = " · small sample" if bool(row["is_small_sample"]) else ""
    return (
        f"n = {int(row['n']):,} · 95% interval {number(row['ci_lower'], number_format)}"
        f" to {number(row['ci_upper'], number_format)}{small}"
    )
