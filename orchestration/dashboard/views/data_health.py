"""Data health: the load ledger (files, rows, quarantined, held loads and why), the latest
result of every check, and freshness per source, from the published copy's pipeline
schema (orchestration/defs/serving)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    CHECK_ROWS,
    CHECK_SUMMARY,
    FRESHNESS_ROWS,
    HELD_LOAD_ROWS,
    LEDGER_BY_SOURCE,
    LEDGER_FILES,
    LEDGER_TOTALS,
    PUBLICATION_SUMMARY,
)

OUTCOMES = charts.alt.Scale(
    domain=["passed", "warned", "failed", "did_not_complete", "pending", "never_run"],
    range=[charts.GREEN, charts.ORANGE, charts.RED, "#9467bd", "#17becf", charts.GREY],
)

st.title("Data health")
publication = widgets.load(PUBLICATION_SUMMARY)
if publication is not None:
    row = publication.iloc[0]
    st.caption(
        f"Published copy built by run {row['build_id']} at"
        f" {widgets.timestamp(row['published_at'])}: {int(row['tables'])} tables,"
        f" {int(row['rows']):,} rows."
    )

st.subheader("Load ledger")
by_source = widgets.load(LEDGER_BY_SOURCE)
totals = widgets.load(LEDGER_TOTALS)
if by_source is not None and totals is not None:
    total = totals.iloc[0]
    columns = st.columns(5)
    for column, (label, field) in zip(
        columns,
        [
            ("Files loaded", "files_loaded"),
            ("Rows loaded", "rows_loaded"),
            ("Rows quarantined", "rows_quarantined"),
            ("Files held", "files_held"),
            ("Files failed", "files_failed"),
        ],
        strict=True,
    ):
        column.metric(label, f"{int(total[field]):,}")
    rows = by_source.melt(
        id_vars=["source", "status"],
        value_vars=["rows_loaded", "rows_quarantined"],
        var_name="rows",
        value_name="count",
    )
    widgets.chart(
        "ledger_rows_by_source",
        charts.counts(
            rows[rows["count"] > 0],
            category="source",
            count="count",
            count_title="rows",
            stack_by="rows",
        ),
        by_source,
        caption="Rows of every load per source: loaded, or quarantined with a reason.",
    )
    with st.expander("Every file"):
        files = widgets.load(LEDGER_FILES)
        if files is not None:
            widgets.table("load_ledger", files)

st.subheader("Held loads")
held = widgets.load(HELD_LOAD_ROWS)
if held is not None:
    if held.empty:
        st.success("No load is held back from the marts.")
    else:
        loads = (
            "1 load failed its raw gate and is"
            if len(held) == 1
            else f"{len(held)} loads failed their raw gate and are"
        )
        st.warning(
            f"{loads} held back from the marts: `pulse release LOAD_ID` after a fix,"
            " `pulse drop LOAD_ID` to remove one."
        )
        widgets.table("held_loads", held)

st.subheader("Checks, latest result")
summary = widgets.load(CHECK_SUMMARY)
if summary is not None:
    if summary.empty:
        st.info("No check results in this copy yet: the next `pulse run` publishes them.")
    else:
        widgets.chart(
            "checks_by_layer",
            charts.counts(
                summary,
                category="layer",
                count="checks",
                count_title="checks",
                stack_by="outcome",
                scale=OUTCOMES,
            ),
            summary,
            caption="Every asset check's latest evaluation when the copy was published"
            " (Great Expectations suites, dbt tests, ledger reconciliation, model checks).",
        )
        checks = widgets.require(CHECK_ROWS)
        attention = checks[checks["outcome"] != "passed"]
        if not attention.empty:
            st.caption(f"{len(attention)} checks did not pass:")
            widgets.table("checks_not_passed", attention)
        with st.expander("Every check"):
            widgets.table("check_results", checks)

st.subheader("Freshness per source")
freshness = widgets.load(FRESHNESS_ROWS)
if freshness is not None:
    if freshness.empty:
        st.info("No load has reached staging yet.")
    else:
        widgets.chart(
            "source_freshness",
            charts.freshness_bars(freshness),
            freshness,
            caption="Hours from each source's latest load to the publication; dashed: the"
            " warn and fail windows of the raw tables' freshness policy.",
        )
