"""Scored answers typed at the gate: a whole number on the item's registered scale.

An answer to a scored item (nps, csat, ces, driver, intent) that is not a whole number
on the scale the registry gives it would otherwise slip into the metrics wrongly (an NPS
answer of 9.5 counted a promoter, `1e1` read as 10) or drop out of n unseen (`abc`). The
response holding it is quarantined as received, with a reason naming the item, its scale
and the value, and the rest of the file loads; the raw suite and dbt's
`answer_within_registered_scale` test hold the same rule. `7.0` is the whole number 7.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.loaders.context import LoadContext
from ingestion.surveys.registry import SCORED_INSTRUMENTS, SurveyDefinition
from ingestion.warehouse import execute_sql_file, quote_identifier

# A whole number, written as such or with a zero fraction (7, 07, 7.0).
WHOLE_NUMBER = r"[0-9]{1,9}(\.0+)?"


@dataclass(frozen=True)
class ScoredColumn:
    staged_name: str  # the loader's name for the column, never a header
    item_id: str
    instrument: str
    scale_min: int
    scale_max: int


def scored_columns(
    survey: SurveyDefinition | None, columns: Sequence[tuple[str, str | None]]
) -> list[ScoredColumn]:
    """The staged columns (staged name, item id) whose item the registry scores."""
    if survey is None:
        return []
    items = {item.item_id: item for item in survey.items}
    scored = []
    for staged_name, item_id in columns:
        item = items.get(item_id or "")
        if (
            item is None
            or item.instrument not in SCORED_INSTRUMENTS
            or item.scale_min is None
            or item.scale_max is None
        ):
            continue
        scored.append(
            ScoredColumn(staged_name, item.item_id, item.instrument, item.scale_min, item.scale_max)
        )
    return scored


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quarantine_invalid_scores(
    ctx: LoadContext, survey_id: str, scored: list[ScoredColumn], target_table: str
) -> int:
    """Move staged responses with a scored answer that is not a whole number on its scale
    into the quarantine; returns how many. An answer decoded through the survey definition
    (`staged_decodings`) is judged by its decoded value."""
    if not scored:
        return 0
    conn = ctx.conn
    # Staged names and item ids come from the loader and the registry, never from the
    # file's cells; the registry's ids and instrument names are quoted as literals.
    checks = []
    for column in scored:
        cell = f"trim(staged.{quote_identifier(column.staged_name)})"
        checks.append(
            f"select * from (select staged._row_number, {_literal(column.item_id)} as item_id,"
            f" {_literal(column.instrument)} as instrument,"
            f" {column.scale_min} as scale_min, {column.scale_max} as scale_max,"
            f" coalesce(decoded.decoded_value, {cell}) as value"
            " from staged left join staged_decodings as decoded"
            f" on decoded.item_column = {_literal(column.staged_name)}"
            f" and decoded.exported_value = {cell})"
            " where coalesce(value, '') <> ''"
            f" and not (regexp_full_match(value, '{WHOLE_NUMBER}')"
            # try_cast: DuckDB may evaluate the cast on rows the pattern already refused
            " and try_cast(regexp_extract(value, '^[0-9]+') as bigint)"
            f" between {column.scale_min} and {column.scale_max})"
        )
    conn.execute("drop table if exists staged_invalid_scores")
    conn.execute(
        "create temp table staged_invalid_scores as select _row_number,"
        " arg_min(item_id, item_id) as item_id, arg_min(instrument, item_id) as instrument,"
        " arg_min(scale_min, item_id) as scale_min, arg_min(scale_max, item_id) as scale_max,"
        " arg_min(value, item_id) as value from ("
        + " union all ".join(checks)
        + ") group by _row_number"
    )
    row = conn.execute("select count(*) from staged_invalid_scores").fetchone()
    invalid = int(row[0]) if row else 0
    if not invalid:
        return 0
    execute_sql_file(
        conn,
        "quarantine_invalid_scores.sql",
        {**ctx.lineage(), "target_table": target_table, "survey_id": survey_id},
    )
    conn.execute(
        "delete from staged where _row_number in (select _row_number from staged_invalid_scores)"
    )
    return invalid
