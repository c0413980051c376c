"""Load a case-actions file into raw.case_actions, quarantining what cannot be applied."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.followup.actions import action_names
from ingestion.followup.layout import CASE_ACTIONS_CSV, CASE_ACTIONS_TABLE
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import stage_csv, staged_count
from ingestion.loaders.mojibake import quarantine_mojibake
from ingestion.loaders.staging import add_missing_columns, insert_staged, promote_staged
from ingestion.loaders.tables import MissingColumnsError, apply_layout_rules, staged_names_for
from ingestion.sniff import read_head
from ingestion.warehouse import execute_sql, table_exists

SQL_DIR = Path(__file__).resolve().parent / "sql"
# The follow-up queue as the last dbt build left it: the cases an action may name.
QUEUE_SCHEMA, QUEUE_TABLE = "marts", "fct_follow_up_cases"


def run_sql_file(
    conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]
) -> duckdb.DuckDBPyConnection:
    """Run a statement file of this package with the named parameters it uses."""
    sql = (SQL_DIR / name).read_text(encoding="utf-8")
    return execute_sql(conn, sql, params)


def stage_known_cases(conn: duckdb.DuckDBPyConnection) -> None:
    """Temp table known_cases: every case id of the queue; empty before its first build."""
    conn.execute("drop table if exists known_cases")
    conn.execute("create temp table known_cases (case_id varchar)")
    if table_exists(conn, QUEUE_SCHEMA, QUEUE_TABLE):
        # Fixed names from this module, not from input.
        conn.execute(f"insert into known_cases select case_id from {QUEUE_SCHEMA}.{QUEUE_TABLE}")


def load_case_actions_csv(ctx: LoadContext) -> LoadCounts:
    layout = CASE_ACTIONS_CSV
    headers = read_head(ctx.path, max_records=1).records[0]
    missing = layout.missing_required(headers)
    if missing:
        raise MissingColumnsError(f"{layout.name}: required columns missing: {', '.join(missing)}")
    rejected = stage_csv(
        ctx, staged_names_for(layout, headers), header_rows=1, target_table=CASE_ACTIONS_TABLE
    )
    add_missing_columns(ctx.conn, "staged", list(layout.shape.columns))
    apply_layout_rules(ctx, layout)
    staged = staged_count(ctx)
    garbled = quarantine_mojibake(ctx, list(layout.columns), CASE_ACTIONS_TABLE)
    invalid = _quarantine_invalid_actions(ctx)
    promote_staged(ctx.conn, layout.shape)
    insert_staged(ctx.conn, layout.shape, ctx.lineage())
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - garbled - invalid,
        rows_quarantined=rejected + garbled + invalid,
        target_table=CASE_ACTIONS_TABLE,
    )


def _quarantine_invalid_actions(ctx: LoadContext) -> int:
    conn = ctx.conn
    stage_known_cases(conn)
    conn.execute("drop table if exists staged_invalid_actions")
    run_sql_file(conn, "find_invalid_case_actions.sql", {"actions": action_names()})
    run_sql_file(
        conn,
        "quarantine_invalid_case_actions.sql",
        {**ctx.lineage(), "target_table": CASE_ACTIONS_TABLE},
    )
    conn.execute(
        "delete from staged where _row_number in (select _row_number from staged_invalid_actions)"
    )
    row = conn.execute("select count(*) from staged_invalid_actions").fetchone()
    return int(row[0]) if row else 0
