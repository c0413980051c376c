"""Raw tables, marts and the published copy carry the daily freshness policy."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs
from orchestration.freshness import DAILY_FRESHNESS


def test_raw_tables_marts_and_the_published_copy_must_be_at_most_a_day_old() -> None:
    graph = defs().resolve_asset_graph()
    policies = {key: graph.get(key).freshness_policy for key in graph.get_all_asset_keys()}
    layers = {"raw", "marts", "serving"}
    expected = {
        key for key in policies if key.path[0] in layers and graph.get(key).is_materializable
    }
    assert dg.AssetKey(["marts", "metrics_nps"]) in expected
    assert dg.AssetKey(["marts", "dim_customer_lifetime_value"]) in expected
    assert dg.AssetKey(["raw", "reviews"]) in expected
    missing = sorted(key.to_user_string() for key in expected if policies[key] != DAILY_FRESHNESS)
    assert not missing
    # staging and intermediate are views rebuilt with the marts: no policy of their own
    assert all(policy is None for key, policy in policies.items() if key.path[0] == "staging")
