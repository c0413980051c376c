"""Reports people can open: Great Expectations Data Docs and the dbt docs site.

`build_data_docs` validates every suite against the warehouse, stores the results in the
GX file context under `expectations/gx/uncommitted/` (git-ignored) and builds the Data
Docs static site there; `make docs` (orchestration/docs_sites.py) runs it with
`dbt docs generate`. Asset checks link to these pages.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from ingestion import settings
from ingestion.settings import EXPECTATIONS_DIR

logger = logging.getLogger(__name__)

GX_CONTEXT_DIR = EXPECTATIONS_DIR / "gx"
DATA_DOCS_DIR = GX_CONTEXT_DIR / "uncommitted" / "data_docs" / "local_site"
DATA_DOCS_INDEX = DATA_DOCS_DIR / "index.html"
DBT_DOCS_INDEX = settings.DBT_PROJECT_DIR / "target" / "index.html"


def data_docs_page(suite_name: str) -> Path:
    """The Data Docs page of one suite (it lists the suite's expectations)."""
    return DATA_DOCS_DIR / "expectations" / f"{suite_name}.html"


def dbt_docs_page(unique_id: str) -> str:
    """A file URL to one node of the dbt docs site, e.g. model.customer_pulse.metrics_nps."""
    return f"{DBT_DOCS_INDEX.as_uri()}#!/{unique_id.split('.', 1)[0]}/{unique_id}"


def build_data_docs(warehouse_path: Path, project_root: Path = EXPECTATIONS_DIR) -> Path:
    """Validate every suite whose table exists and build the Data Docs site of the file
    context under `project_root`; returns its index. A suite that cannot run is logged and
    left out; its page still lists the rules."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    from orchestration.lib.quality.gx_runner import available_suites, validation_result

    context = gx.get_context(mode="file", project_root_dir=project_root)
    run_id = RunIdentifier(run_name="pulse", run_time=datetime.now(UTC))
    for suite_name, table in sorted(available_suites().items()):
        try:
            result = validation_result(warehouse_path, suite_name)
        except Exception as error:
            logger.warning(
                "suite %s not validated: %s: %s", suite_name, type(error).__name__, error
            )
            continue
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(suite_name), run_id, table)
        context.validation_results_store.set(key, result)
    context.build_data_docs()
    return project_root / DATA_DOCS_INDEX.relative_to(EXPECTATIONS_DIR)
