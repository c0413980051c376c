"""A reader of the published copy in its own process, for test_publish.py: opens the copy
read-only again and again until the stop file appears, then prints what it saw as JSON.

A plain script run by the test's interpreter, not a multiprocessing child: it imports
only DuckDB, so it starts in a moment whatever the test session has loaded."""

import json
import sys
from pathlib import Path

import duckdb

MART_TABLES = ("fct_orders", "metrics_nps", "dim_customers")


def read_publication(published: str | Path) -> tuple[set[int], dict[str, tuple[int, int]]]:
    """Builds recorded in the copy and, per mart, (rows, distinct builds in its rows)."""
    with duckdb.connect(str(published), read_only=True) as conn:
        rows = conn.execute("select build_id from pipeline.publication").fetchall()
        builds = {int(row[0]) for row in rows}
        marts = {}
        for table in MART_TABLES:
            row = conn.execute(
                f"select count(*), count(distinct build) from marts.{table}"
            ).fetchone()
            marts[table] = (int(row[0]), int(row[1])) if row else (0, 0)
        return builds, marts


def main(published: str, ready_file: str, stop_file: str) -> None:
    reads, problems, seen = 0, [], set()
    while not Path(stop_file).exists():
        try:
            builds, marts = read_publication(published)
        except Exception as error:
            problems.append(f"{type(error).__name__}: {error}")
            continue
        reads += 1
        Path(ready_file).touch()
        (build,) = builds if len(builds) == 1 else (None,)
        expected = (
            {table: (build * 1000 + index, 1) for index, table in enumerate(MART_TABLES)}
            if build is not None
            else {}
        )
        if marts != expected:
            problems.append(f"mixed state: publication builds {builds}, marts {marts}")
        elif build is not None:
            seen.add(build)
    print(json.dumps({"reads": reads, "problems": problems[:20], "seen": sorted(seen)}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
