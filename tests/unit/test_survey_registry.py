"""The survey kind and duplicate window in the registry: parsed, refused with the survey
named when wrong, and written to raw.survey_registry, also in a warehouse created before
those columns existed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion.surveys.registry import RegistryError, parse_registry, write_registry_table
from ingestion.warehouse import ensure_raw_schema

LOADED_AT = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def _registry(**survey: object) -> dict[str, object]:
    return {
        "surveys": [
            {
                "survey_id": "support",
                "items": [{"item_id": "Q1", "instrument": "csat", "scale": [1, 5]}],
                **survey,
            }
        ]
    }


def test_kind_defaults_to_relationship_without_a_window_of_its_own() -> None:
    [survey] = parse_registry(_registry()).surveys
    assert (survey.kind, survey.duplicate_window_days) == ("relationship", None)


def test_transactional_survey_with_its_own_window() -> None:
    document = yaml.safe_load(
        "surveys:\n"
        "  - survey_id: support\n"
        "    kind: transactional\n"
        "    duplicate_window_days: 7\n"
        "    items: [{item_id: Q1, instrument: csat, scale: [1, 5]}]\n"
    )
    [survey] = parse_registry(document).surveys
    assert (survey.kind, survey.duplicate_window_days) == ("transactional", 7)


def test_unknown_kind_is_refused_with_the_survey_named() -> None:
    with pytest.raises(RegistryError, match=r"survey 'support': kind must be one of"):
        parse_registry(_registry(kind="post_purchase"))


@pytest.mark.parametrize("days", [-1, 3661, 1.5, "7", True])
def test_window_must_be_whole_days(days: object) -> None:
    with pytest.raises(RegistryError, match=r"survey 'support': duplicate_window_days must be"):
        parse_registry(_registry(duplicate_window_days=days))


def test_older_warehouse_gains_the_columns_and_the_values(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        # raw.survey_registry as created before surveys had a kind, with one stale item.
        conn.execute("create schema raw")
        conn.execute(
            "create table raw.survey_registry (survey_id varchar not null,"
            " item_id varchar not null, instrument varchar not null, item_name varchar,"
            " scale_min integer, scale_max integer, direction varchar, question_text varchar,"
            " vendor varchar, channel varchar, touchpoint varchar, timezone varchar,"
            " _loaded_at timestamptz not null)"
        )
        conn.execute(
            "insert into raw.survey_registry (survey_id, item_id, instrument, _loaded_at)"
            " values ('support', 'Q1', 'csat', now())"
        )
        ensure_raw_schema(conn)
        registry = parse_registry(_registry(kind="transactional", duplicate_window_days=7))
        assert write_registry_table(conn, registry, LOADED_AT) == 1
        stored = conn.execute(
            "select survey_id, item_id, survey_kind, duplicate_window_days, _loaded_at"
            " from raw.survey_registry"
        ).fetchall()
        assert stored == [("support", "Q1", "transactional", 7, LOADED_AT)]

        # The same registry again leaves the table and its load time alone.
        assert write_registry_table(conn, registry, datetime(2025, 7, 1, tzinfo=UTC)) == 1
        [(loaded_at,)] = conn.execute("select _loaded_at from raw.survey_registry").fetchall()
        assert loaded_at == LOADED_AT
