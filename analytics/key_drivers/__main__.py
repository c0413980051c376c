"""`python -m analytics.key_drivers [--postgres]`: build marts.metrics_key_drivers in the
DuckDB warehouse (PULSE_WAREHOUSE), or in PostgreSQL (PULSE_PG_*) after its `dbt build`."""

from __future__ import annotations

import argparse

import duckdb
import psycopg

from analytics.key_drivers.build import KeyDriverResult, build_key_drivers


def _print(result: KeyDriverResult) -> None:
    print(
        f"metrics_key_drivers: {result.rows} rows, {result.cells} cells"
        f" ({result.fitted_cells} fitted, {result.small_sample_cells} small samples)"
        f" in {result.seconds:.1f} s"
    )
    for outcome, drivers in sorted(result.top_drivers.items()):
        ranked = ", ".join(f"{name} {share:.0%}" for name, share in drivers)
        print(f"  {outcome} (all time, overall): {ranked}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m analytics.key_drivers", description=__doc__)
    parser.add_argument(
        "--postgres", action="store_true", help="build in PostgreSQL (PULSE_PG_*) instead"
    )
    options = parser.parse_args(argv)
    try:
        if options.postgres:
            from analytics.key_drivers.postgres import build_key_drivers_on_postgres

            result = build_key_drivers_on_postgres()
        else:
            from ingestion.settings import warehouse_path

            result = build_key_drivers(warehouse_path())
    except (duckdb.Error, psycopg.Error) as error:
        raise SystemExit(f"key drivers failed: {error}") from error
    _print(result)


if __name__ == "__main__":
    main()
