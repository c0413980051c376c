"""Microsoft Forms: recognised so its exports are refused with the reason, not misread.

Its export starts with ID, Start time, Completion time; it carries no item ids a registry
could name reliably, and Customer Pulse does not read it.
"""

from __future__ import annotations

from ingestion.vendors.base import CSV, XLSX, Sample, Vendor
from ingestion.vendors.formats import refusal

HEADERS = ("id", "start time", "completion time")


def _is_export(sample: Sample) -> str | None:
    if tuple(header.strip().lower() for header in sample.headers[:3]) == HEADERS:
        return "Microsoft Forms export (ID, Start time, Completion time): not supported"
    return None


VENDOR = Vendor(
    name="microsoft_forms",
    family="surveys",
    description="Microsoft Forms exports: recognised and refused.",
    refusals=(refusal("microsoft_forms_export", _is_export, frozenset({CSV, XLSX}), "surveys"),),
)
