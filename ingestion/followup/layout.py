"""The case-actions file: one action a team took on a follow-up case per row."""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.staged import CASE_ACTIONS

CASE_ACTIONS_TABLE = CASE_ACTIONS.raw_table

CASE_ACTIONS_CSV = TableLayout(
    name="case_actions_csv",
    shape=CASE_ACTIONS,
    columns={
        "case_id": ("case_id",),
        "action": ("action",),
        "actor": ("actor", "owner", "agent"),
        # `at` is the documented header; staged under a name that reads well in SQL.
        "acted_at": ("at", "acted_at", "action_at"),
        "note": ("note", "comment"),
    },
    required=frozenset({"case_id", "action", "acted_at"}),
    # A case has several actions: the case id repeats.
    unique_key=False,
    description=(
        "Case actions CSV: case_id, action (see dbt_project/seeds/case_action_types.csv),"
        " actor, at (ISO 8601; without a zone the configured default zone applies), note."
        " One row per action taken on a case of marts.fct_follow_up_cases."
    ),
    local_time_columns=("acted_at",),
)
