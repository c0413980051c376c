"""The dbt project as Dagster sees it: one cached DbtProject for the whole code location."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
from functools import cache, cached_property
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from ingestion.settings import DBT_PROJECT_DIR

DBT_PARSE_INPUTS = (
    "models",
    "macros",
    "tests",
    "seeds",
    "snapshots",
    "analyses",
    "dbt_project.yml",
    "profiles.yml",
    "packages.yml",
    "dependencies.yml",
    "selectors.yml",
)
PARSE_STAMP = "pulse_parse.stamp"
# `env_var('NAME'` in any project file: the environment the parse reads.
ENV_VAR_CALL = re.compile(r"env_var\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)")


def dbt_parse_fingerprint(project_dir: Path) -> str:
    """Hash of the dbt project's parse inputs, the dbt version and the environment they
    read: the variables named in `env_var()` (profiles name the warehouse file, which names
    the database in the manifest) and dbt's own DBT_ settings. Other PULSE_ settings, such
    as the landing folder `make` exports, leave the parse and the build scope alone."""
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256(dbt_version.encode())
    read: set[str] = set()
    for name in DBT_PARSE_INPUTS:
        entry = project_dir / name
        files = sorted(entry.rglob("*")) if entry.is_dir() else [entry]
        for path in files:
            if path.is_file():
                content = path.read_bytes()
                digest.update(path.relative_to(project_dir).as_posix().encode() + b"\0")
                digest.update(content + b"\0")
                read.update(ENV_VAR_CALL.findall(content.decode("utf-8", errors="replace")))
    for key in sorted(os.environ):
        if key in read or key.startswith("DBT_"):
            digest.update(f"{key}={os.environ[key]}\0".encode())
    return digest.hexdigest()


# Every process that writes the DuckDB file runs in this pool (limit 1 in dagster.yaml).
DUCKDB_WRITER_POOL = "duckdb_writer"


@cache
def dbt_project() -> DbtProject:
    # dbt and dagster-dbt's runs honour DBT_TARGET_PATH; the manifest Dagster loads and the
    # parse `pulse run` makes go there too, so every run starts from that parse's
    # partial-parse state (dagster-dbt copies it from there) instead of parsing in full.
    target_path = os.environ.get("DBT_TARGET_PATH") or "target"
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=target_path
    )
    project.prepare_if_dev()
    return project


def dbt_executable() -> str:
    """dbt from PATH, else the one installed beside this interpreter (a venv not activated)."""
    return shutil.which("dbt") or str(Path(sys.executable).parent / "dbt")


class PulseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs of every invocation that this
    project has no use for (about 5 s of each `pulse run`, whatever the data size).

    - The version of the dbt installed beside this interpreter is read from the package
      metadata instead of a `dbt --version` process.
    - No dbt adapter is opened inside Dagster's process: dagster-dbt needs it only for
      fetch_row_counts() and fetch_column_metadata(), which would open the DuckDB file
      while the dbt process writes it (see transformation/assets.py).
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        beside_interpreter = Path(sys.executable).parent.resolve()
        if Path(self.dbt_executable).parent.resolve() == beside_interpreter:
            return version.parse(installed_version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None


def dbt_resource() -> DbtCliResource:
    # DbtCliResource's own __init__ takes a DbtProject; the subclass's synthesised one is typed str.
    return PulseDbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable())  # type: ignore[arg-type]


def prepare_dbt_manifest() -> None:
    """Parse the dbt project so its manifest exists before definitions are loaded."""
    dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project().target_path).wait()
