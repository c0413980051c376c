"""The Dagster code location loads, and its shape is what the snapshot says.

Set UPDATE_SNAPSHOTS=1 to rewrite the snapshot after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg

from orchestration.definitions import defs

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.json"


def definitions_shape(definitions: dg.Definitions) -> dict[str, list[str]]:
    graph = definitions.resolve_asset_graph()
    return {
        "assets": sorted(key.to_user_string() for key in graph.get_all_asset_keys()),
        "asset_checks": sorted(key.to_user_string() for key in graph.asset_check_keys),
        "jobs": sorted(job.name for job in definitions.jobs or []),
        "schedules": sorted(schedule.name for schedule in definitions.schedules or []),
        "sensors": sorted(sensor.name for sensor in definitions.sensors or []),
    }


def test_definitions_load_and_match_snapshot() -> None:
    definitions = defs()
    dg.Definitions.validate_loadable(definitions)
    shape = definitions_shape(definitions)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(shape, indent=2) + "\n", encoding="utf-8")
    assert shape == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_every_warehouse_writer_is_in_the_duckdb_pool() -> None:
    definitions = defs()
    job = definitions.resolve_job_def("pulse_pipeline")
    pools = {node.name: node.definition.pool for node in job.graph.node_dict.values()}
    assert pools and set(pools.values()) == {"duckdb_writer"}, pools


def test_marts_descend_from_landing_assets() -> None:
    graph = defs().resolve_asset_graph()
    upstream = graph.get(dg.AssetKey(["marts", "metrics_nps"])).parent_keys
    ancestors: set[dg.AssetKey] = set()
    frontier = set(upstream)
    while frontier:
        key = frontier.pop()
        ancestors.add(key)
        frontier |= set(graph.get(key).parent_keys) - ancestors
    assert dg.AssetKey(["raw", "survey_answers"]) in ancestors
    assert dg.AssetKey(["raw", "survey_registry"]) in ancestors
