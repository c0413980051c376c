"""The raw-layer expectation suites, declared once and written into this GX file context.

Run `uv run --frozen python expectations/suites.py` after editing a rule: it rewrites the
suite JSON files under `gx/expectations/`, which are the versioned files the pipeline
validates with (see orchestration/defs/quality/gx_runner.py). Raw keeps text as received,
so ratings, amounts and time stamps are checked as text here and typed in staging.
"""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.data_context.types.base import ProgressBarsConfig

CONTEXT_ROOT = Path(__file__).resolve().parent

# ISO-8601 date with optional time, fraction and offset: 2024-03-01, 2024-03-01T10:15:00Z,
# 2024-03-01 10:15:00.123+02:00.
ISO_8601 = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
DECIMAL = r"^-?\d+(\.\d+)?$"

REVIEW_PLATFORMS = ["trustpilot", "google", "app_store", "google_play", "yelp"]
ORDER_STATUSES = ["completed", "refunded", "cancelled"]
SURVEY_SOURCES = ["qualtrics", "google_forms"]


def _raw_reviews() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="review_id"),
        # A platform's review id is unique within one export file; the same review may
        # legitimately reappear in a later export, so uniqueness is per file.
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["_file_name", "review_id"]),
        gxe.ExpectColumnValuesToBeInSet(column="rating", value_set=["1", "2", "3", "4", "5"]),
        gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=REVIEW_PLATFORMS),
        gxe.ExpectColumnValuesToMatchRegex(column="created_at", regex=ISO_8601),
        gxe.ExpectColumnValuesToNotBeNull(column="_file_name"),
        gxe.ExpectColumnValuesToNotBeNull(column="_load_id"),
    ]


def _raw_orders() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="order_id"),
        gxe.ExpectColumnValuesToBeUnique(column="order_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="customer_id"),
        gxe.ExpectColumnValuesToMatchRegex(column="net_amount", regex=DECIMAL),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=ORDER_STATUSES),
    ]


def _raw_survey_responses() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToNotBeNull(column="response_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="survey_id"),
        gxe.ExpectColumnValuesToBeInSet(column="_source", value_set=SURVEY_SOURCES),
    ]


# suite name -> (table it validates, its expectations)
SUITES = {
    "raw_reviews": ("raw.reviews", _raw_reviews),
    "raw_orders": ("raw.orders", _raw_orders),
    "raw_survey_responses": ("raw.survey_responses", _raw_survey_responses),
}


def write_suites(context_root: Path = CONTEXT_ROOT) -> list[Path]:
    """Write every suite into the file context at `context_root`; returns the JSON files."""
    context = gx.get_context(mode="file", project_root_dir=context_root)
    context.variables.config.analytics_enabled = False
    context.variables.config.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    written = []
    for name, (table, build) in SUITES.items():
        suite = gx.ExpectationSuite(name=name, meta={"table": table})
        for expectation in build():
            suite.add_expectation(expectation)
        context.suites.add_or_update(suite)
        written.append(context_root / "gx" / "expectations" / f"{name}.json")
    return written


if __name__ == "__main__":
    for path in write_suites():
        print(path.relative_to(CONTEXT_ROOT))
