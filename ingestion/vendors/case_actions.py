"""Case actions: what a team did about a follow-up case, landed like any source.

Customer Pulse's own file (`case_id, action, actor, at, note`), written by `pulse followup
close` or by any tool a team keeps its cases in; see ingestion/followup for how actions on
unknown cases are quarantined.
"""

from __future__ import annotations

from ingestion.followup.layout import CASE_ACTIONS_CSV
from ingestion.followup.load import load_case_actions_csv
from ingestion.vendors.base import CSV, FileFormat, Sample, Vendor


def _is_case_actions(sample: Sample) -> str | None:
    if sample.headers and not CASE_ACTIONS_CSV.missing_required(sample.headers):
        return "header matches case_actions_csv"
    return None


VENDOR = Vendor(
    name="case_actions",
    family="followup",
    description="Actions taken on follow-up cases (case_id, action, actor, at, note).",
    formats=(
        FileFormat(
            name=CASE_ACTIONS_CSV.name,
            family="followup",
            target=CASE_ACTIONS_CSV.shape,
            containers=frozenset({CSV}),
            recognise=_is_case_actions,
            load=load_case_actions_csv,
            description=CASE_ACTIONS_CSV.description,
            stages_before_writing=True,
        ),
    ),
)
