"""Fivetran: tables its connectors land in a warehouse, when dropped as CSV files.

The Qualtrics connector's tables are read (see the qualtrics module); any other table of a
Fivetran connector is refused with the reason: it belongs in the warehouse as a dbt source,
not in the landing folder.
"""

from __future__ import annotations

from ingestion.vendors.base import CSV, GENERIC_PRIORITY, Sample, Vendor
from ingestion.vendors.formats import refusal

SYNC_COLUMN = "_fivetran_synced"


def is_fivetran_table(sample: Sample) -> bool:
    return SYNC_COLUMN in [header.strip().lower() for header in sample.headers]


def _is_other_table(sample: Sample) -> str | None:
    if is_fivetran_table(sample):
        return (
            "a table as the Fivetran connector lands it in a warehouse, not a vendor export:"
            " declare it as a dbt source instead of dropping it in the landing folder"
        )
    return None


VENDOR = Vendor(
    name="fivetran",
    family="el_tool",
    description="Tables of Fivetran connectors other than Qualtrics: recognised and refused.",
    refusals=(
        refusal("fivetran_table", _is_other_table, frozenset({CSV}), None, GENERIC_PRIORITY - 1),
    ),
)
