"""What a dbt build must redo: the nodes downstream of sources whose rows changed.

A daily run should cost what it reads. Before each dbt step, every source table the step
reads gets a fingerprint: for a raw table, its loads with their row counts and audit
status (so a new, released, dropped or re-delivered load changes it, and a held one
counts once released); for any other table (the text scorer's, the source list), a
hash of its rows. The step then builds only the nodes downstream of sources whose
fingerprint differs from the one recorded after its last successful build, plus the
models tagged `every_run` (the follow-up queue judges due times against the clock).
Everything else is excluded, tests included: their inputs did not change. With no
record yet, or after the project or its settings changed, the step builds everything.

Rows edited in place (names masked in texts loaded earlier, free text redacted by the
retention period) keep their loads and counts; `raw.table_edits` gives such a table a
revision, which its fingerprint carries. A step whose sources were edited builds what is
downstream of them with `--full-refresh`: the incremental models only look at new loads.

The fingerprints are stored in the warehouse (`raw.build_fingerprints`) only after the
build succeeded, so a failed or interrupted build is redone from the last good state.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingestion.warehouse import quote_identifier

EVERY_RUN_TAG = "every_run"
# Read through published_rows() by every staging model: its effect is in the fingerprint
# of each raw table (the audit status of its loads), not a change of its own.
AUDIT_SOURCE = ("raw", "load_audits")
STATE_TABLE = "raw.build_fingerprints"
PROJECT_KEY = "<project>"
BUILT_RESOURCE_TYPES = frozenset({"model", "seed", "snapshot", "test"})


@dataclass(frozen=True)
class SourceTable:
    unique_id: str
    schema: str
    identifier: str

    @property
    def relation(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.identifier)}"


@dataclass(frozen=True)
class BuildScope:
    """The nodes of one dbt step to leave out, and why."""

    full: bool
    changed_sources: tuple[str, ...]
    excluded: tuple[str, ...]  # dbt node names (models, seeds, tests) to --exclude
    fingerprints: Mapping[str, str]  # what this build reads, recorded after it succeeds
    reason: str
    builds: int  # nodes the step builds
    full_refresh: bool = False  # a source's rows were edited in place

    def dbt_args(self) -> list[str]:
        # One space-separated value: the form dagster-dbt folds into its own selection.
        args = ["--exclude", " ".join(self.excluded)] if self.excluded else []
        return args + (["--full-refresh"] if self.full_refresh else [])


def source_tables(manifest: Mapping[str, Any], node_ids: Iterable[str]) -> list[SourceTable]:
    """The sources the given nodes read, directly or through other nodes among them."""
    wanted = set(node_ids)
    parents = manifest["parent_map"]
    sources = {
        parent
        for node in wanted
        for parent in parents.get(node, [])
        if parent.startswith("source.")
    }
    tables = []
    for unique_id in sorted(sources):
        source = manifest["sources"][unique_id]
        if (source["schema"], source["identifier"]) == AUDIT_SOURCE:
            continue
        tables.append(SourceTable(unique_id, source["schema"], source["identifier"]))
    return tables


def _columns(conn: duckdb.DuckDBPyConnection, table: SourceTable) -> set[str]:
    rows = conn.execute(
        "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
        [table.schema, table.identifier],
    ).fetchall()
    return {row[0] for row in rows}


EDIT_MARK = "|edit"


def _edit_revision(conn: duckdb.DuckDBPyConnection, table: SourceTable) -> int:
    """How often the raw table's rows were edited in place (raw.table_edits)."""
    if table.schema != "raw" or not _columns(conn, SourceTable("", "raw", "table_edits")):
        return 0
    row = conn.execute(
        "select revision from raw.table_edits where table_name = ?", [table.identifier]
    ).fetchone()
    return int(row[0]) if row else 0


def edited_since(stored: str | None, current: str) -> bool:
    """Whether the table's in-place edit revision differs between two fingerprints."""

    def revision(fingerprint: str | None) -> str:
        return (fingerprint or "").partition(EDIT_MARK)[2]

    return revision(stored) != revision(current)


def table_fingerprint(conn: duckdb.DuckDBPyConnection, table: SourceTable) -> str:
    """A raw table's loads (id, rows, audit status) and in-place edits, or any other
    table's row hashes."""
    fingerprint = _rows_fingerprint(conn, table)
    revision = _edit_revision(conn, table)
    return f"{fingerprint}{EDIT_MARK}{revision}" if revision else fingerprint


def _rows_fingerprint(conn: duckdb.DuckDBPyConnection, table: SourceTable) -> str:
    columns = _columns(conn, table)
    if not columns:
        return "absent"
    if "_load_id" in columns:
        # Only the load id column is read: the cost grows with rows, not with their width.
        row = conn.execute(
            f"""
            select coalesce(md5(string_agg(
                loads._load_id || ':' || loads.row_count || ':' || coalesce(audits.status, '-'),
                ',' order by loads._load_id
            )), 'empty')
            from (
                select _load_id, count(*) as row_count
                from {table.relation}
                group by _load_id
            ) as loads
            left join raw.load_audits as audits on audits.load_id = loads._load_id
            """
        ).fetchone()
    else:
        # Order-free: the xor of every row's hash, with the count beside it.
        row = conn.execute(
            f"select count(*) || ':' || coalesce(bit_xor(hash(source_rows)), 0)"
            f" from {table.relation} as source_rows"
        ).fetchone()
    return str(row[0]) if row else "empty"


def _descendants(manifest: Mapping[str, Any], roots: Iterable[str]) -> set[str]:
    children = manifest["child_map"]
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        node = pending.pop()
        for child in children.get(node, []):
            if child not in seen:
                seen.add(child)
                pending.append(child)
    return seen


def _stored(conn: duckdb.DuckDBPyConnection, step: str) -> dict[str, str]:
    exists = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw'"
        " and table_name = 'build_fingerprints'"
    ).fetchone()
    if not exists or not exists[0]:
        return {}
    rows = conn.execute(
        f"select source_id, fingerprint from {STATE_TABLE} where step = ?", [step]
    ).fetchall()
    return {source_id: fingerprint for source_id, fingerprint in rows}


def plan_build(
    conn: duckdb.DuckDBPyConnection,
    manifest: Mapping[str, Any],
    step: str,
    step_nodes: Iterable[str],
    project_fingerprint: str,
) -> BuildScope:
    """The scope of one dbt step (`step` names it in the stored state; `step_nodes` are the
    unique ids of the models, seeds and tests it would build in full)."""
    nodes = {node for node in step_nodes if node.split(".", 1)[0] in BUILT_RESOURCE_TYPES}
    tables = source_tables(manifest, nodes)
    fingerprints = {table.unique_id: table_fingerprint(conn, table) for table in tables}
    fingerprints[PROJECT_KEY] = project_fingerprint
    stored = _stored(conn, step)
    if stored.get(PROJECT_KEY) != project_fingerprint:
        reason = "first build" if not stored else "the project or its settings changed"
        return BuildScope(True, (), (), fingerprints, reason, builds=len(nodes))
    changed = tuple(
        sorted(
            source_id
            for source_id, fingerprint in fingerprints.items()
            if source_id != PROJECT_KEY and stored.get(source_id) != fingerprint
        )
    )
    every_run = {
        node for node in nodes if EVERY_RUN_TAG in manifest["nodes"].get(node, {}).get("tags", [])
    }
    affected = _descendants(manifest, [*changed, *every_run]) | every_run
    to_build = nodes & affected
    excluded = tuple(sorted(manifest["nodes"][node]["name"] for node in nodes - to_build))
    names = ", ".join(source_id.split(".", 2)[2] for source_id in changed) or "none"
    edited = [
        source_id
        for source_id in changed
        if edited_since(stored.get(source_id), fingerprints[source_id])
    ]
    reason = f"{len(to_build)} of {len(nodes)} nodes; changed sources: {names}"
    if edited:
        reason += "; rebuilt in full: rows edited in place in " + ", ".join(
            source_id.split(".", 2)[2] for source_id in edited
        )
    return BuildScope(
        False,
        changed,
        excluded,
        fingerprints,
        reason,
        builds=len(to_build),
        full_refresh=bool(edited),
    )


def record_build(conn: duckdb.DuckDBPyConnection, step: str, scope: BuildScope) -> None:
    """Store what a successful build read, as the baseline of the next one."""
    conn.execute(
        f"create table if not exists {STATE_TABLE} (step varchar not null,"
        " source_id varchar not null, fingerprint varchar not null,"
        " built_at timestamptz not null)"
    )
    now = datetime.now(UTC)
    conn.execute("begin")
    conn.execute(f"delete from {STATE_TABLE} where step = ?", [step])
    conn.executemany(
        f"insert into {STATE_TABLE} values (?, ?, ?, ?)",
        [
            (step, source_id, fingerprint, now)
            for source_id, fingerprint in scope.fingerprints.items()
        ],
    )
    conn.execute("commit")


def plan_step(
    warehouse: Path,
    manifest_path: Path,
    step: str,
    *,
    select: str = "fqn:*",
    exclude: str | None = None,
    project_dir: Path | None = None,
) -> BuildScope:
    """The scope of the dbt step that builds `select` minus `exclude` (dbt selection
    syntax, as the step's asset definition gives them) on this warehouse."""
    from dagster_dbt.utils import select_unique_ids

    from ingestion.settings import DBT_PROJECT_DIR
    from orchestration.project import dbt_parse_fingerprint

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    step_nodes = select_unique_ids(select, exclude or "", "", None, manifest)
    fingerprint = dbt_parse_fingerprint(project_dir or DBT_PROJECT_DIR)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return plan_build(conn, manifest, step, step_nodes, fingerprint)


def record_step(warehouse: Path, step: str, scope: BuildScope) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        record_build(conn, step, scope)
