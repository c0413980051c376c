"""No dbt model reads a later layer (staging -> intermediate -> marts), read from the
parsed manifest, so a new ref() that points the wrong way fails here by name."""

from __future__ import annotations

import re

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


CTE = re.compile(
    r"^(\w+) as (\{\{ not_materialized\(\) \}\} )?\($(.*?)^\)", re.DOTALL | re.MULTILINE
)
COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
# An import may filter the rows it reads (`where ...`), as long as it reads nothing else.
IMPORT = re.compile(r"select \* from \{\{ (?:ref|source)\([^)]*\) \}\}(?:\s+where [^{}]*)?")
# The SQL after `with`: a model's config block before it may name a ref() in a hook.
WITH = re.compile(r"^with\s*$", re.MULTILINE)
READ = re.compile(r"\{\{ (?:ref|source)\([^)]*\) \}\}")


def import_cte_faults(sql: str) -> list[str]:
    """What breaks the import-CTE rule in a model's SQL: a ref() or source() outside a
    `name as {{ not_materialized() }} (select * from {{ ref(...) }})` CTE, one after the
    logic has begun, one read twice, or an import without the hint. DuckDB materialises a
    CTE read more than once, with every column of the table: an import read twice would
    copy the table instead of scanning the columns each reader needs."""
    faults = []
    logic_started = False
    for name, hint, body in CTE.findall(sql):
        body = COMMENT.sub("", body).strip()
        if IMPORT.fullmatch(body):
            if logic_started:
                faults.append(f"import CTE {name} after the logic")
            if not hint:
                faults.append(f"import CTE {name} without not_materialized()")
        else:
            logic_started = True
            if READ.search(body):
                faults.append(f"ref() or source() inside the logic CTE {name}")
    reads = READ.findall(COMMENT.sub("", sql))
    faults += [f"{read} read twice" for read in sorted(set(reads)) if reads.count(read) > 1]
    return faults


def test_import_cte_faults_are_found() -> None:
    hint = "{{ not_materialized() }} "
    sql = (
        f"with\n\nitems as {hint}(\n\n    select * from {{{{ ref('a') }}}}\n\n),\n\n"
        "bare as (\n\n    select * from {{ ref('c') }}\n\n),\n\n"
        "kept as (\n\n    select * from items where x\n\n),\n\n"
        f"late as {hint}(\n\n    select * from {{{{ ref('b') }}}}\n\n),\n\n"
        "mixed as (\n\n    select id from {{ ref('a') }}\n\n)\n\nselect * from mixed"
    )
    assert import_cte_faults(sql) == [
        "import CTE bare without not_materialized()",
        "import CTE late after the logic",
        "ref() or source() inside the logic CTE mixed",
        "{{ ref('a') }} read twice",
    ]


def test_models_read_through_import_ctes_at_the_top() -> None:
    """Every model reads each ref() or source() once, in an import CTE before its logic
    (dbt_project/README.md, Style)."""
    faults = {}
    for node in project_nodes("model"):
        start = WITH.search(node["raw_code"])
        assert start, f"{node['name']} has no `with`: its reads are not import CTEs"
        faults[node["name"]] = import_cte_faults(node["raw_code"][start.start() :])
    assert len(faults) > 50
    assert {name: found for name, found in faults.items() if found} == {}
