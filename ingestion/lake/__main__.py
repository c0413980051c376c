"""`python -m ingestion.lake`: bring the lake in line with the warehouse's raw schema."""

from __future__ import annotations

from ingestion import settings
from ingestion.lake import open_lake, sync_lake
from ingestion.warehouse import connect


def main() -> None:
    lake = open_lake()
    if lake is None:
        raise SystemExit("no lake: set PULSE_LAKE_URL (or PULSE_TARGET=spark)")
    conn = connect(settings.warehouse_path())
    try:
        result = sync_lake(conn, lake)
    finally:
        conn.close()
    print(
        f"{lake.url}: {result.files_written} files written ({result.rows_written} load rows),"
        f" {result.files_removed} removed, {result.files_recovered} recovered"
    )


if __name__ == "__main__":
    main()
