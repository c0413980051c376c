"""The short report `pulse run` prints: what was loaded, and the headline metrics."""

from __future__ import annotations

from pathlib import Path

from ingestion.warehouse import connect

SQL_DIR = Path(__file__).resolve().parent / "sql"


def _query(
    path: Path, name: str, params: dict[str, object] | None = None
) -> tuple[list[str], list[tuple[object, ...]]]:
    conn = connect(path, read_only=True)
    try:
        cursor = conn.execute((SQL_DIR / name).read_text(encoding="utf-8"), params or {})
        columns = [column[0] for column in cursor.description or []]
        return columns, cursor.fetchall()
    finally:
        conn.close()


def _fmt(value: object, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def render_summary(warehouse: Path, run_id: str) -> str:
    """The ledger per source, what the run `run_id` loaded itself, the headline."""
    _, this_run = _query(warehouse, "summary_this_run.sql", {"run_id": run_id})
    files_loaded, rows_loaded, rows_quarantined, files_failed, files_held = this_run[0]
    _, sources = _query(warehouse, "summary_sources.sql")
    _, held = _query(warehouse, "summary_held.sql")
    lines = [
        f"This run: {files_loaded} new files loaded ({rows_loaded} rows,"
        f" {rows_quarantined} quarantined), {files_held} held; {files_failed} files failing"
        " (`pulse status`); files already in the ledger were not loaded again.",
        "Loaded per source (all runs):",
        f"  {'source':<22}{'files':>7}{'failed':>8}{'held':>6}{'rows':>10}{'quarantined':>13}",
    ]
    for source, files, failed, rows, quarantined, held_files in sources:
        lines.append(
            f"  {source!s:<22}{files:>7}{failed:>8}{held_files:>6}{rows:>10}{quarantined:>13}"
        )
    _, headline_rows = _query(warehouse, "summary_headline.sql")
    nps, nps_n, csat, csat_n, ces, ces_n, repeat_rate, customers = headline_rows[0]
    lines += [
        "Headline (all time, all segments):",
        f"  NPS                   {_fmt(nps):>8}   (n = {_fmt(nps_n)})",
        f"  CSAT (top-2-box %)    {_fmt(csat):>8}   (n = {_fmt(csat_n)})",
        f"  CES (mean, 1..7)      {_fmt(ces, 2):>8}   (n = {_fmt(ces_n)})",
        f"  Repeat purchase rate  {_fmt(repeat_rate):>8}%  (customers = {_fmt(customers)})",
    ]
    if held:
        lines.append(
            f"{len(held)} loads held back from the marts (`pulse status` lists them;"
            " `pulse release LOAD_ID` after a fix, `pulse drop LOAD_ID` to remove one):"
        )
        lines += [f"  held {load_id}: {reason}" for load_id, _, _, reason in held]
    return "\n".join(lines)
