"""The vocabulary of case actions, read from the dbt seed that dbt's tests also read."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ingestion.settings import DBT_PROJECT_DIR

ACTION_TYPES_SEED = DBT_PROJECT_DIR / "seeds" / "case_action_types.csv"


@dataclass(frozen=True)
class ActionType:
    action: str
    is_response: bool
    closes_case: bool
    reopens_case: bool
    description: str


def _flag(value: str) -> bool:
    return value.strip().lower() == "true"


@cache
def action_types(seed: Path = ACTION_TYPES_SEED) -> tuple[ActionType, ...]:
    """Every action a case-actions file may name, in the seed's order."""
    with seed.open(encoding="utf-8", newline="") as handle:
        return tuple(
            ActionType(
                action=row["action"].strip(),
                is_response=_flag(row["is_response"]),
                closes_case=_flag(row["closes_case"]),
                reopens_case=_flag(row["reopens_case"]),
                description=row["description"].strip(),
            )
            for row in csv.DictReader(handle)
        )


def action_names() -> list[str]:
    return [action_type.action for action_type in action_types()]


def closing_actions() -> list[str]:
    return [action_type.action for action_type in action_types() if action_type.closes_case]
