"""Every model, mart and source carries its gates, including ones added later: read from
the parsed dbt manifest, so a new model without a tested key fails here by name."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from orchestration.project import dbt_project

# Tests whose failures are wanted as warnings: each flagged row carries a reason.
WARNING_TESTS = {
    "survey_speeders",
    "survey_straight_liners",
    "survey_duplicate_respondents",
    "survey_partial_responses",
    "review_rating_spikes",
}


@cache
def manifest() -> dict[str, Any]:
    path = dbt_project().manifest_path
    return dict(json.loads(path.read_text(encoding="utf-8")))


def project_nodes(resource_type: str) -> list[dict[str, Any]]:
    return [
        node
        for node in manifest()["nodes"].values()
        if node["resource_type"] == resource_type and node["package_name"] == "customer_pulse"
    ]


def columns_tested_by(model_id: str, test_name: str) -> set[str]:
    return {
        node["column_name"]
        for node in project_nodes("test")
        if node.get("test_metadata", {}).get("name") == test_name
        and node.get("attached_node") == model_id
        and node.get("column_name")
    }


def test_every_model_has_a_unique_not_null_key() -> None:
    missing = [
        model["name"]
        for model in project_nodes("model")
        if not columns_tested_by(model["unique_id"], "unique")
        & columns_tested_by(model["unique_id"], "not_null")
    ]
    assert not missing, f"models without a column tested unique and not_null: {missing}"


def test_every_mart_has_an_enforced_contract_with_a_key() -> None:
    """A primary_key constraint, or for a large fact (meta key_enforced_by: unique_test)
    a not_null constraint on a key the unique test covers; a fact served as a view, which
    holds no constraints, a key tested unique and not_null."""
    marts = [model for model in project_nodes("model") if model["fqn"][1] == "marts"]
    assert len(marts) >= 17
    problems = []
    for mart in marts:
        if not mart["config"]["contract"]["enforced"]:
            problems.append(f"{mart['name']}: contract not enforced")
            continue
        columns = mart["columns"].values()
        if any(not column.get("data_type") for column in columns):
            problems.append(f"{mart['name']}: a column without data_type")
        if mart["config"]["materialized"] == "view":
            if any(column["constraints"] for column in columns):
                problems.append(f"{mart['name']}: constraints on a view are not enforced")
            # Its key, tested unique and not_null, is already required of every model.
            continue
        if mart["config"]["meta"].get("key_enforced_by") == "unique_test":
            # A large fact: its key is a not_null constraint plus a unique test.
            constrained = {
                column["name"]
                for column in columns
                if any(constraint["type"] == "not_null" for constraint in column["constraints"])
            }
            if not constrained & columns_tested_by(mart["unique_id"], "unique"):
                problems.append(f"{mart['name']}: no not_null key column tested unique")
            continue
        primary_keys = [
            column["name"]
            for column in columns
            if any(constraint["type"] == "primary_key" for constraint in column["constraints"])
        ]
        if len(primary_keys) != 1:
            problems.append(f"{mart['name']}: primary key columns {primary_keys}")
    assert not problems, problems


def test_no_not_null_test_repeats_an_enforced_constraint() -> None:
    """A table mart's not_null constraint refuses the null at write time (the contract test
    in test_dbt_gates.py proves it), so a not_null test on that column cannot fail and
    only costs a query per run. The key keeps its test: every model's key is tested."""
    repeated = []
    for mart in project_nodes("model"):
        if not mart["config"]["contract"]["enforced"] or mart["config"]["materialized"] == "view":
            continue
        keys = columns_tested_by(mart["unique_id"], "unique")
        for column in columns_tested_by(mart["unique_id"], "not_null") - keys:
            constraints = mart["columns"].get(column, {}).get("constraints", [])
            if any(constraint["type"] in ("not_null", "primary_key") for constraint in constraints):
                repeated.append(f"{mart['name']}.{column}")
    assert not repeated, f"not_null tests on columns constrained not null: {repeated}"


def test_every_source_declares_freshness_on_a_load_time() -> None:
    # Reference data (the vendor registry's list of sources) is rewritten on a change only.
    sources = [
        source
        for source in manifest()["sources"].values()
        if source["package_name"] == "customer_pulse" and not source["meta"].get("reference_data")
    ]
    assert sources
    for source in sources:
        freshness = source["freshness"] or {}
        assert source["loaded_at_field"], source["unique_id"]
        assert (freshness.get("warn_after") or {}).get("count"), source["unique_id"]
        assert (freshness.get("error_after") or {}).get("count"), source["unique_id"]


@pytest.mark.parametrize("test_name", sorted(WARNING_TESTS))
def test_survey_and_review_checks_only_warn(test_name: str) -> None:
    instances = [
        node
        for node in project_nodes("test")
        if node.get("test_metadata", {}).get("name") == test_name
    ]
    assert instances, f"{test_name} is applied to no model"
    assert {node["config"]["severity"].lower() for node in instances} == {"warn"}
