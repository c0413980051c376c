"""`python -m orchestration.docs_sites` (or `make docs`): the Great Expectations Data Docs
for the warehouse, then the dbt docs site (`dbt docs generate` into the dbt target
folder). Asset checks and dbt assets link to both."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ingestion import settings
from orchestration.lib.quality.data_docs import DBT_DOCS_INDEX, build_data_docs


def generate_dbt_docs() -> Path:
    """`dbt docs generate` into the dbt target folder; returns the site's index.html."""
    from orchestration.project import dbt_project, dbt_resource

    dbt_resource().cli(["docs", "generate"], target_path=dbt_project().target_path).wait()
    return DBT_DOCS_INDEX


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Data Docs and dbt docs sites.")
    parser.add_argument("--warehouse", type=Path, default=None, help="DuckDB file to validate")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    warehouse = args.warehouse or settings.warehouse_path()
    print(f"Great Expectations Data Docs: {build_data_docs(warehouse)}")
    print(f"dbt docs: {generate_dbt_docs()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
