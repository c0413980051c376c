"""No dbt model reads a later layer (staging -> intermediate -> marts), read from the
parsed manifest, so a new ref() that points the wrong way fails here by name."""

from __future__ import annotations

from tests.quality.test_dbt_gate_coverage import manifest, project_nodes

LAYERS = ("staging", "intermediate", "marts")


def layer_of(node: dict[str, object]) -> str:
    """The layer a model sits in: the first folder of its path under models/."""
    folder = str(node["path"]).split("/")[0]
    assert folder in LAYERS, f"{node['name']} sits outside the layers: models/{node['path']}"
    return folder


def refs_by_layer() -> list[tuple[str, str, str, str]]:
    """(model, its layer, model it reads, that model's layer) for every ref() between models."""
    nodes = manifest()["nodes"]
    pairs = []
    for node in project_nodes("model"):
        for parent_id in node["depends_on"]["nodes"]:
            parent = nodes.get(parent_id)
            if parent is None or parent["resource_type"] != "model":
                continue  # sources and seeds come before every layer
            pairs.append((node["name"], layer_of(node), parent["name"], layer_of(parent)))
    return pairs


def test_no_model_reads_a_later_layer() -> None:
    pairs = refs_by_layer()
    assert {layer for pair in pairs for layer in pair[1::2]} == set(LAYERS)
    upward = [
        f"{model} ({layer}) reads {parent} ({parent_layer})"
        for model, layer, parent, parent_layer in pairs
        if LAYERS.index(parent_layer) > LAYERS.index(layer)
    ]
    assert upward == []


MART_PREFIXES = ("fct_", "dim_", "metrics_")


def test_every_mart_is_named_by_its_grain() -> None:
    """fct_ (one row per event), dim_ (per entity) or metrics_ (aggregates): the one naming
    rule of dbt_project/README.md, Marts."""
    marts = [
        node["name"]
        for node in project_nodes("model")
        if str(node["path"]).split("/")[0] == "marts"
    ]
    assert marts
    unprefixed = [name for name in marts if not name.startswith(MART_PREFIXES)]
    assert unprefixed == []
