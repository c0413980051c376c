"""Drivers: what moves the outcome. Importance against performance per outcome, period and
segment (metrics_key_drivers), and each theme's impact (the theme-impact mart)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import KEY_DRIVER_CELLS, KEY_DRIVER_ROWS, THEME_IMPACT_ROWS

OUTCOMES = {"nps": "NPS (0..10 answer)", "csat": "CSAT"}
QUADRANT_NOTE = (
    "Quadrants as the mart assigns them, split at the cell's median importance and"
    " performance (dashed): fix first (important, under-performing), keep up, secondary,"
    " possible overkill. Black bars: bootstrap 95% intervals of the relative weight."
)

st.title("Drivers")
st.subheader("Importance against performance")
cells = widgets.load(KEY_DRIVER_CELLS)
if cells is not None:
    left, middle, right = st.columns(3)
    surveys = sorted(set(cells["survey"]))
    survey = left.selectbox("Survey", surveys, key="drivers_survey")
    cells = cells[cells["survey"] == survey]
    outcome = middle.selectbox(
        "Outcome",
        sorted(set(cells["outcome"])),
        format_func=lambda value: OUTCOMES.get(value, value),
        key="drivers_outcome",
    )
    cells = cells[cells["outcome"] == outcome]
    periods = (
        cells[["grain", "period"]]
        .drop_duplicates()
        .sort_values(["grain", "period"], ascending=[True, False])
    )
    labels = [
        "All time" if grain == "all_time" else f"{grain.capitalize()} from {period:%Y-%m-%d}"
        for grain, period in periods.itertuples(index=False)
    ]
    chosen = right.selectbox("Period", range(len(labels)), format_func=labels.__getitem__)
    grain, period = periods.iloc[chosen]
    cells = cells[(cells["grain"] == grain) & (cells["period"] == period)]
    segment_type, segment_value = widgets.pick_segment(cells, key="drivers_segment")

    drivers = widgets.require(
        KEY_DRIVER_ROWS,
        {
            "survey": survey,
            "outcome": outcome,
            "grain": grain,
            "period": period.date(),
            "segment_type": segment_type,
            "segment_value": segment_value,
        },
    )
    first = drivers.iloc[0]
    st.caption(
        f"{int(first['n']):,} complete responses · R² {widgets.number(first['r_squared'], '.2f')}"
        f" · model {first['model_status']}"
        + (" · small sample: read with caution" if bool(first["is_small_sample"]) else "")
    )
    if drivers["importance"].notna().any():
        name = f"key_drivers_{survey}_{outcome}_{widgets.slug(labels[chosen])}"
        name += f"_{widgets.slug(segment_type + ' ' + segment_value)}"
        widgets.chart(name, charts.importance_performance(drivers), drivers, QUADRANT_NOTE)
        widgets.chart(
            f"{name}_ranking",
            charts.ranked_bars(
                drivers[drivers["importance"].notna()],
                category="driver",
                value="importance",
                value_title="relative weight (part of R²)",
                interval=("importance_ci_lower", "importance_ci_upper"),
                colour=charts.quadrant_colour(legend=False),
                number_format=".3f",
            ),
            drivers,
        )
    else:
        st.info(f"No model for this cell: {first['model_status'].replace('_', ' ')}.")

st.subheader("Theme impact")
impact = widgets.load(THEME_IMPACT_ROWS)
if impact is not None:
    for outcome, rows in impact.groupby("outcome", sort=True):
        widgets.chart(
            f"theme_impact_{widgets.slug(str(outcome))}",
            charts.difference_bars(
                rows.rename(
                    columns={
                        "impact": "difference",
                        "impact_ci_lower": "ci_lower",
                        "impact_ci_upper": "ci_upper",
                    }
                ),
                category="theme",
                value_title=f"{outcome}: texts mentioning the theme minus the others",
            ),
            rows,
            caption="Grey: not significant, or a small sample.",
        )
