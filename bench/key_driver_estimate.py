"""Time the key-driver model on the M workload's survey answers without the M pipeline:
`python -m bench.key_driver_estimate [--responses 1000000]`.

The benchmark's own generator (sql/qualtrics_responses.sql) writes the responses, and
DuckDB turns them straight into the marts.fct_feedback_items rows the model reads (the
NPS, CSAT and five driver items of the sample registry, with their scales), instead of
ingesting and building a million responses first. The model then runs as the Dagster
asset runs it, and the wall and CPU seconds of the whole build are printed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb

from analytics.key_drivers import build_key_drivers
from ingestion.sample_data.surveys import DRIVERS

SQL_DIR = Path(__file__).resolve().parent / "sql"
# (item id, instrument, name, scale min, scale max) as the sample registry has them; the
# unpivot below names the same columns of the generated export.
ITEMS = [
    ("Q1", "nps", None, 0, 10),
    ("Q2", "csat", None, 1, 5),
    *((item, "driver", name, 1, 5) for item, name, _, _ in DRIVERS),
]

FEEDBACK_ITEMS = """
create table marts.fct_feedback_items as
with answers as (
    unpivot bench_responses
    on "Q1", "Q2", "Q4_1", "Q4_2", "Q4_3", "Q4_4", "Q4_5"
    into name item_id value raw_value
)
select
    'survey' as channel,
    'relationship_nps' as survey_id,
    answers."ResponseId" as source_record_id,
    answers.item_id,
    items.instrument,
    items.item_name,
    items.scale_min,
    items.scale_max,
    cast(answers.raw_value as double) as score_value,
    (cast(answers.raw_value as double) - items.scale_min) / (items.scale_max - items.scale_min)
        as normalised_score,
    case
        when items.instrument <> 'nps' then null
        when cast(answers.raw_value as double) >= 9 then 'promoter'
        when cast(answers.raw_value as double) >= 7 then 'passive'
        else 'detractor'
    end as nps_group,
    answers.touchpoint,
    answers.product,
    answers.location,
    cast(answers."StartDate" as timestamp) as occurred_at
from answers
inner join (
    select unnest($items) as item_id, unnest($instruments) as instrument,
        unnest($names) as item_name, unnest($scale_min) as scale_min,
        unnest($scale_max) as scale_max
) as items
    on answers.item_id = items.item_id
"""


def write_feedback_items(warehouse: Path, responses: int, seed: int = 7) -> int:
    """A warehouse holding only marts.fct_feedback_items for `responses` M-style responses."""
    query = (SQL_DIR / "qualtrics_responses.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(warehouse)) as conn:
        parameters = {"first_id": 1, "rows": responses, "seed": seed, "customers": 300_000}
        conn.sql(query, params=parameters).create("bench_responses")
        conn.execute("create schema marts")
        conn.execute(
            FEEDBACK_ITEMS,
            {
                "items": [item[0] for item in ITEMS],
                "instruments": [item[1] for item in ITEMS],
                "names": [item[2] for item in ITEMS],
                "scale_min": [item[3] for item in ITEMS],
                "scale_max": [item[4] for item in ITEMS],
            },
        )
        row = conn.execute("select count(*) from marts.fct_feedback_items").fetchone()
    return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.key_driver_estimate")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pulse-key-drivers-") as scratch:
        warehouse = Path(scratch) / "warehouse.duckdb"
        started = time.perf_counter()
        items = write_feedback_items(warehouse, options.responses)
        print(f"{items:,} feedback items in {time.perf_counter() - started:.1f} s")
        for _ in range(options.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            result = build_key_drivers(warehouse)
            print(
                f"key-driver model: {time.perf_counter() - wall:.1f} s wall,"
                f" {time.process_time() - cpu:.1f} s CPU; {result.cells} cells,"
                f" {result.rows} rows"
            )


if __name__ == "__main__":
    main()
