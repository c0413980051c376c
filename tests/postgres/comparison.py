"""Compare query results from two engines: same columns, same rows, numbers within a tolerance."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-6


def normalise(value: Any) -> Any:
    """One Python value per SQL value, whichever driver returned it."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def row_key(row: Sequence[Any]) -> tuple[tuple[bool, str], ...]:
    """Sort key from the non-float values, so float noise cannot reorder rows."""
    return tuple((value is None, str(value)) for value in row if not isinstance(value, float))


def values_match(left: Any, right: Any) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(
            float(left), float(right), rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE
        )
    return bool(left == right)


def table_differences(
    name: str,
    columns: tuple[list[str], list[str]],
    rows: tuple[Sequence[Sequence[Any]], Sequence[Sequence[Any]]],
    engines: tuple[str, str] = ("duckdb", "postgres"),
    limit: int = 5,
) -> list[str]:
    """Human-readable differences between two results of the same table (empty: equal)."""
    left_columns, right_columns = columns
    if left_columns != right_columns:
        return [
            f"{name}: columns differ: {engines[0]} {left_columns}, {engines[1]} {right_columns}"
        ]
    left_rows, right_rows = (
        sorted(([normalise(value) for value in row] for row in side), key=row_key) for side in rows
    )
    if len(left_rows) != len(right_rows):
        return [f"{name}: {len(left_rows)} rows in {engines[0]}, {len(right_rows)} in {engines[1]}"]
    differences = []
    for left, right in zip(left_rows, right_rows, strict=True):
        for column, left_value, right_value in zip(left_columns, left, right, strict=True):
            if not values_match(left_value, right_value):
                differences.append(
                    f"{name}.{column} (row {left[0]!r}): {engines[0]} {left_value!r},"
                    f" {engines[1]} {right_value!r}"
                )
                if len(differences) >= limit:
                    return differences
    return differences
