"""Altair (Vega-Lite) charts of mart rows. They draw the columns marts.py names; they
compute nothing that is reported as a number (the quadrant lines of the key-driver chart
are drawn at the cell's medians, where the mart draws its quadrants)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

ChartLike = alt.Chart | alt.LayerChart | alt.FacetChart

BLUE = "#1f77b4"
GREY = "#b0b0b0"
GREEN = "#2ca02c"
RED = "#d62728"
ORANGE = "#ff7f0e"
# A significant change: for the better or the worse, or (where neither applies) a change;
# its colour and its shape.
CHANGES = {
    "better": (GREEN, "triangle-up"),
    "worse": (RED, "triangle-down"),
    "changed": ("#333333", "diamond"),
}
QUADRANTS = alt.Scale(
    domain=["fix_first", "keep_up", "possible_overkill", "secondary"],
    range=[RED, GREEN, ORANGE, GREY],
)
SENTIMENTS = alt.Scale(domain=["negative", "neutral", "positive"], range=[RED, GREY, GREEN])
# Beyond this many periods the n labels would overlap: n stays in the tooltip.
MAX_N_LABELS = 40
HEIGHT = 320


def _tooltip_number(field: str, title: str, number_format: str) -> alt.Tooltip:
    return alt.Tooltip(f"{field}:Q", title=title, format=number_format)


def _changes(frame: pd.DataFrame, part: int) -> alt.Scale:
    """Colours (part 0) or shapes (1) of the kinds of change in `frame`, for the legend."""
    present = [kind for kind in CHANGES if (frame["significant_change"] == kind).any()]
    present = present or ["better", "worse"]
    return alt.Scale(domain=present, range=[CHANGES[kind][part] for kind in present])


def trend(
    frame: pd.DataFrame,
    *,
    y_title: str,
    number_format: str = ".1f",
    targets: pd.DataFrame | None = None,
) -> ChartLike:
    """A metric over time: its 95% interval as a band, small cells grey, n under each
    point, significant changes as triangles (green better, red worse), targets dashed.

    `frame`: period, value, ci_lower, ci_upper (null: no band), n, is_small_sample,
    change, significant_change. `targets`: period, target, target_value, target_status.
    """
    # The frame goes on the layer, not on each mark: Altair would otherwise hash it once
    # per mark to find they share it (a fifth of the Overview's time on the server).
    base = alt.Chart().encode(x=alt.X("period:T", title=None))
    tooltip = [
        alt.Tooltip("period:T", title="period"),
        _tooltip_number("value", y_title, number_format),
        _tooltip_number("ci_lower", "95% interval from", number_format),
        _tooltip_number("ci_upper", "95% interval to", number_format),
        alt.Tooltip("n:Q", title="n", format=","),
        alt.Tooltip("is_small_sample:N", title="small sample"),
        _tooltip_number("change", "change", number_format),
        alt.Tooltip("significant_change:N", title="significant change"),
    ]
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    layers: list[ChartLike] = []
    if frame["ci_lower"].notna().any():
        layers.append(
            base.mark_area(opacity=0.18, color=BLUE).encode(y=alt.Y("ci_lower:Q"), y2="ci_upper:Q")
        )
    layers += [
        base.mark_line(color=BLUE, strokeWidth=1.5).encode(y=y),
        base.mark_circle(size=42, opacity=1).encode(
            y=y,
            color=alt.condition("datum.is_small_sample", alt.value(GREY), alt.value(BLUE)),
            tooltip=tooltip,
        ),
        base.transform_filter("isValid(datum.significant_change)")
        .mark_point(size=150, filled=True, opacity=0.9)
        .encode(
            y=y,
            shape=alt.Shape("significant_change:N", scale=_changes(frame, 1), legend=None),
            color=alt.Color(
                "significant_change:N",
                scale=_changes(frame, 0),
                legend=alt.Legend(title="significant change", orient="bottom"),
            ),
            tooltip=tooltip,
        ),
    ]
    if len(frame) <= MAX_N_LABELS:
        layers.append(
            base.mark_text(dy=13, fontSize=9, color="#666666").encode(
                y=y, text=alt.Text("n:Q", format=",")
            )
        )
    if targets is not None and not targets.empty:
        layers.append(
            alt.Chart(targets)
            .mark_line(color=ORANGE, strokeDash=[6, 4], strokeWidth=2)
            .encode(
                x="period:T",
                y=alt.Y("target_value:Q"),
                detail="target:N",
                tooltip=[
                    alt.Tooltip("target:N"),
                    alt.Tooltip("period:T"),
                    _tooltip_number("target_value", "target", number_format),
                    alt.Tooltip("target_status:N", title="status"),
                ],
            )
        )
    return alt.layer(*layers, data=frame).properties(height=HEIGHT)


def trends_by(
    frame: pd.DataFrame,
    series: str,
    *,
    y_title: str,
    number_format: str = ".2f",
    band: bool = True,
) -> ChartLike:
    """Several series over time (one line per value of `series`), with their intervals
    as bands when `band`, small cells grey. Columns: period, value, n, is_small_sample,
    and ci_lower, ci_upper when `band`."""
    base = alt.Chart().encode(
        x=alt.X("period:T", title=None),
        color=alt.Color(f"{series}:N", legend=alt.Legend(orient="bottom")),
    )
    y = alt.Y("value:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip = [
        alt.Tooltip(f"{series}:N"),
        alt.Tooltip("period:T"),
        _tooltip_number("value", y_title, number_format),
        alt.Tooltip("n:Q", format=","),
        alt.Tooltip("is_small_sample:N", title="small sample"),
    ]
    layers: list[ChartLike] = []
    if band:
        layers.append(base.mark_area(opacity=0.12).encode(y=alt.Y("ci_lower:Q"), y2="ci_upper:Q"))
    layers += [
        base.mark_line(strokeWidth=1.5).encode(y=y),
        base.transform_filter("!datum.is_small_sample")
        .mark_circle(size=30, opacity=1)
        .encode(y=y, tooltip=tooltip),
        base.transform_filter("datum.is_small_sample")
        .mark_circle(size=30, opacity=1, color=GREY)
        .encode(y=y, color=alt.value(GREY), tooltip=tooltip),
    ]
    return alt.layer(*layers, data=frame).properties(height=HEIGHT)


def importance_performance(frame: pd.DataFrame) -> ChartLike:
    """Key drivers: importance (relative weight, with its bootstrap interval) against
    performance (mean 0..1 score), coloured by the mart's quadrant; dashed lines at the
    cell's medians, which bound the quadrants."""
    fitted = frame[frame["importance"].notna()]
    base = alt.Chart(fitted).encode(
        x=alt.X(
            "performance:Q",
            title="performance (mean score, 0 worst to 1 best)",
            scale=alt.Scale(zero=False),
        )
    )
    tooltip = [
        alt.Tooltip("driver:N"),
        alt.Tooltip("quadrant:N"),
        _tooltip_number("importance", "relative weight", ".3f"),
        _tooltip_number("importance_ci_lower", "95% interval from", ".3f"),
        _tooltip_number("importance_ci_upper", "95% interval to", ".3f"),
        _tooltip_number("importance_share", "share of R²", ".0%"),
        _tooltip_number("performance", "performance", ".3f"),
        _tooltip_number("correlation", "correlation", ".2f"),
        alt.Tooltip("n:Q", title="complete responses", format=","),
    ]
    y = alt.Y("importance:Q", title="importance (relative weight)")
    return alt.layer(
        base.mark_rule(strokeWidth=2, opacity=0.5).encode(
            y=alt.Y("importance_ci_lower:Q"), y2="importance_ci_upper:Q", color=quadrant_colour()
        ),
        base.mark_circle(size=140, opacity=1).encode(y=y, color=quadrant_colour(), tooltip=tooltip),
        base.mark_text(align="left", dx=9, fontSize=11).encode(y=y, text="driver:N"),
        alt.Chart(fitted)
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(x=alt.X("median(performance):Q")),
        alt.Chart(fitted)
        .mark_rule(strokeDash=[4, 4], color="#888888")
        .encode(y=alt.Y("median(importance):Q")),
    ).properties(height=360)


def quadrant_colour(legend: bool = True) -> alt.Color:
    """The mart's quadrant as a colour."""
    return alt.Color(
        "quadrant:N", scale=QUADRANTS, legend=alt.Legend(orient="bottom") if legend else None
    )


def ranked_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    value_title: str,
    interval: tuple[str, str] | None = None,
    colour: alt.Color | None = None,
    number_format: str = ".2f",
) -> ChartLike:
    """Horizontal bars, largest first, with an interval as a black rule when given."""
    order = list(frame.sort_values(value, ascending=False)[category])
    base = alt.Chart(frame).encode(y=alt.Y(f"{category}:N", title=None, sort=order))
    tooltip = [alt.Tooltip(f"{category}:N"), _tooltip_number(value, value_title, number_format)]
    if "n" in frame.columns:
        tooltip.append(alt.Tooltip("n:Q", format=","))
    if interval is not None:
        tooltip += [
            _tooltip_number(interval[0], "95% interval from", number_format),
            _tooltip_number(interval[1], "95% interval to", number_format),
        ]
    bars = base.mark_bar().encode(
        x=alt.X(f"{value}:Q", title=value_title),
        color=colour if colour is not None else alt.value(BLUE),
        tooltip=tooltip,
    )
    layers: list[ChartLike] = [bars]
    if interval is not None:
        layers.append(
            base.mark_rule(color="black").encode(x=f"{interval[0]}:Q", x2=f"{interval[1]}:Q")
        )
    return alt.layer(*layers).properties(height=alt.Step(28))


def grouped_rates(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    interval: tuple[str, str],
    value_title: str,
) -> ChartLike:
    """A rate per group (vertical bars in the groups' own order) with its 95% interval;
    small groups grey."""
    base = alt.Chart(frame).encode(
        x=alt.X(f"{category}:N", title=None, sort=None, axis=alt.Axis(labelAngle=0))
    )
    return alt.layer(
        base.mark_bar(opacity=0.85).encode(
            y=alt.Y(f"{value}:Q", title=value_title),
            color=alt.condition("datum.is_small_sample", alt.value(GREY), alt.value(BLUE)),
            tooltip=[
                alt.Tooltip(f"{category}:N"),
                _tooltip_number(value, value_title, ".1f"),
                _tooltip_number(interval[0], "95% interval from", ".1f"),
                _tooltip_number(interval[1], "95% interval to", ".1f"),
                alt.Tooltip("n:Q", title="customers", format=","),
                alt.Tooltip("is_small_sample:N", title="small sample"),
            ],
        ),
        base.mark_rule(color="black", strokeWidth=2).encode(
            y=f"{interval[0]}:Q", y2=f"{interval[1]}:Q"
        ),
    ).properties(height=HEIGHT)


def counts(
    frame: pd.DataFrame,
    *,
    category: str,
    count: str,
    count_title: str,
    stack_by: str | None = None,
    scale: alt.Scale | None = None,
) -> ChartLike:
    """Counts per category as horizontal bars, one row of `frame` per bar (or per
    stacked piece, coloured by `stack_by`)."""
    tooltip = [
        alt.Tooltip(f"{category}:N"),
        alt.Tooltip(f"{count}:Q", title=count_title, format=","),
    ]
    colour: Any = alt.value(BLUE)
    if stack_by is not None:
        colour = alt.Color(
            f"{stack_by}:N", scale=scale or alt.Undefined, legend=alt.Legend(orient="bottom")
        )
        tooltip.insert(1, alt.Tooltip(f"{stack_by}:N"))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort="-x"),
            x=alt.X(f"{count}:Q", title=count_title, stack=True),
            color=colour,
            tooltip=tooltip,
        )
        .properties(height=alt.Step(26))
    )


def star_distribution(frame: pd.DataFrame) -> ChartLike:
    """Reviews per star (1..5), red to green."""
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("stars:O", title="stars", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("reviews:Q", title="reviews"),
            color=alt.Color(
                "stars:O",
                scale=alt.Scale(domain=["1", "2", "3", "4", "5"], scheme="redyellowgreen"),
                legend=None,
            ),
            tooltip=[alt.Tooltip("stars:O"), alt.Tooltip("reviews:Q", format=",")],
        )
        .properties(height=HEIGHT)
    )


def difference_bars(frame: pd.DataFrame, *, category: str, value_title: str) -> ChartLike:
    """Differences around zero with their 95% intervals; significant ones coloured by
    sign (green above zero). Columns: difference, ci_lower, ci_upper, is_significant, n."""
    base = alt.Chart(frame).encode(y=alt.Y(f"{category}:N", title=None))
    colour = alt.condition(
        "datum.is_significant",
        alt.Color(
            "sign:N", scale=alt.Scale(domain=["higher", "lower"], range=[GREEN, RED]), legend=None
        ),
        alt.value(GREY),
    )
    tooltip = [
        alt.Tooltip(f"{category}:N"),
        _tooltip_number("difference", value_title, ".2f"),
        _tooltip_number("ci_lower", "95% interval from", ".2f"),
        _tooltip_number("ci_upper", "95% interval to", ".2f"),
        alt.Tooltip("is_significant:N", title="significant"),
        alt.Tooltip("n:Q", format=","),
    ]
    return alt.layer(
        base.transform_calculate(sign="datum.difference >= 0 ? 'higher' : 'lower'")
        .mark_bar()
        .encode(x=alt.X("difference:Q", title=value_title), color=colour, tooltip=tooltip),
        base.mark_rule(color="black").encode(x="ci_lower:Q", x2="ci_upper:Q"),
        alt.Chart(pd.DataFrame({"zero": [0]})).mark_rule(color="#444444").encode(x="zero:Q"),
    ).properties(height=alt.Step(32))


def cohort_heatmap(frame: pd.DataFrame) -> ChartLike:
    """Retention by cohort month (rows) and months since the first order (columns);
    small cohorts faded."""
    return (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=alt.X("months_since:O", title="months since first order"),
            y=alt.Y("yearmonth(cohort_month):O", title="cohort (first order)"),
            color=alt.Color(
                "value:Q", title="retention %", scale=alt.Scale(scheme="blues", domain=[0, 100])
            ),
            opacity=alt.condition("datum.is_small_sample", alt.value(0.4), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("yearmonth(cohort_month):O", title="cohort"),
                alt.Tooltip("months_since:O", title="months since"),
                _tooltip_number("value", "retention %", ".1f"),
                _tooltip_number("ci_lower", "95% interval from", ".1f"),
                _tooltip_number("ci_upper", "95% interval to", ".1f"),
                alt.Tooltip("active_customers:Q", title="active", format=","),
                alt.Tooltip("n:Q", title="cohort customers", format=","),
            ],
        )
        .properties(height=max(200, 14 * frame["cohort_month"].nunique()))
    )


def sentiment_scatter(frame: pd.DataFrame) -> ChartLike:
    """Themes by mentions and mean sentiment (-1..1); small ones grey."""
    base = alt.Chart(frame).encode(
        x=alt.X("n:Q", title="mentions"),
        y=alt.Y("mean_sentiment:Q", title="mean sentiment", scale=alt.Scale(domain=[-1, 1])),
    )
    return alt.layer(
        base.mark_circle(opacity=0.9).encode(
            size=alt.Size("mention_share:Q", title="share of texts %"),
            color=alt.condition(
                "datum.is_small_sample",
                alt.value(GREY),
                alt.Color("mean_sentiment:Q", scale=alt.Scale(scheme="redyellowgreen")),
            ),
            tooltip=[
                alt.Tooltip("theme:N"),
                alt.Tooltip("n:Q", title="mentions", format=","),
                _tooltip_number("mention_share", "share of texts %", ".1f"),
                _tooltip_number("mean_sentiment", "mean sentiment", ".2f"),
            ],
        ),
        base.mark_text(align="left", dx=9).encode(text="theme:N"),
    ).properties(height=HEIGHT)


def age_bars(frame: pd.DataFrame) -> ChartLike:
    """Open cases by age band (oldest at the bottom), stacked by channel."""
    order = list(frame.sort_values("age_order")["age"].drop_duplicates())
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("age:N", title="age", sort=order),
            x=alt.X("cases:Q", title="open cases", stack=True),
            color=alt.Color("channel:N", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("age:N"),
                alt.Tooltip("channel:N"),
                alt.Tooltip("cases:Q", format=","),
                alt.Tooltip("past_due:Q", title="past due", format=","),
            ],
        )
        .properties(height=alt.Step(30))
    )


def freshness_bars(frame: pd.DataFrame) -> ChartLike:
    """Hours since each source's latest load, against the warn and fail windows."""
    base = alt.Chart(frame).encode(y=alt.Y("source:N", title=None, sort="-x"))
    statuses = alt.Scale(domain=["fresh", "warn", "failed"], range=[GREEN, ORANGE, RED])
    return alt.layer(
        base.mark_bar().encode(
            x=alt.X("hours_since_last_load:Q", title="hours since the latest load"),
            color=alt.Color("freshness_status:N", scale=statuses, title="freshness"),
            tooltip=[
                alt.Tooltip("source:N"),
                _tooltip_number("hours_since_last_load", "hours", ".1f"),
                alt.Tooltip("last_load_name:N", title="latest load"),
                alt.Tooltip("last_loaded_at:T", title="loaded at", format="%Y-%m-%d %H:%M"),
            ],
        ),
        _window_rule(frame, "warn_after_hours", ORANGE),
        _window_rule(frame, "fail_after_hours", RED),
    ).properties(height=alt.Step(30))


def _window_rule(frame: pd.DataFrame, column: str, colour: str) -> alt.Chart:
    """A vertical dashed line at the window every source shares."""
    window = frame[[column]].drop_duplicates()
    return alt.Chart(window).mark_rule(color=colour, strokeDash=[4, 4]).encode(x=f"{column}:Q")
