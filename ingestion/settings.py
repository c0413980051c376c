"""Paths and environment, in one place.

Environment variables are read when a setting is asked for, never at import, so tests and
Dagster runs can point the project at another warehouse or landing folder.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# The scheduled build: every model and data test. Unit tests check the SQL on fixed
# fixture rows, so their outcome cannot change with the data; dbt recommends running them
# in development and CI only, and the test suite does (tests/quality/test_dbt_unit_tests.py).
PRODUCTION_BUILD_ARGS = ("build", "--exclude-resource-type", "unit_test")
# Models and the seeds they read, without a test: what `dbt run` did before the project
# had seeds. A fresh warehouse holds no seed table until dbt loads it, and `run` does not.
MODELS_WITHOUT_TESTS_ARGS = (
    "build",
    "--exclude-resource-type",
    "test",
    "--exclude-resource-type",
    "unit_test",
)
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SQL_DIR = Path(__file__).resolve().parent / "sql"

# Development default for the pseudonymisation key. It only protects the bundled sample
# data; a real deployment sets PULSE_PSEUDONYM_KEY (see README, "Personal data").
DEVELOPMENT_PSEUDONYM_KEY = "customer-pulse-development-key"


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def warehouse_path() -> Path:
    """The DuckDB warehouse file (PULSE_WAREHOUSE, default data/warehouse.duckdb)."""
    return _path_from_env("PULSE_WAREHOUSE", REPO_ROOT / "data" / "warehouse.duckdb")


def published_warehouse_path() -> Path:
    """The published read-only copy of the marts (PULSE_PUBLISHED_WAREHOUSE; by default
    published.duckdb beside the warehouse, so data/published.duckdb for the default one)."""
    value = os.environ.get("PULSE_PUBLISHED_WAREHOUSE")
    if value:
        return Path(value).expanduser().resolve()
    warehouse = warehouse_path()
    name = "published.duckdb"
    if warehouse.name == name:
        name = f"{warehouse.stem}_published.duckdb"
    return warehouse.with_name(name)


# Where the dbt project builds the marts (profiles.yml outputs of the same names).
TARGETS = ("duckdb", "postgres", "spark")


def target() -> str:
    """The warehouse engine the dbt project builds on: PULSE_TARGET (duckdb, postgres or
    spark; PULSE_DBT_TARGET, its former name, is read when it is unset), default duckdb."""
    value = (
        os.environ.get("PULSE_TARGET") or os.environ.get("PULSE_DBT_TARGET") or "duckdb"
    ).strip()
    if value not in TARGETS:
        raise ValueError(f"PULSE_TARGET={value!r}: expected one of {', '.join(TARGETS)}")
    return value


def lake_url(*, required: bool = False) -> str | None:
    """Root of the Parquet raw layer (PULSE_LAKE_URL: a folder or an fsspec URL). Unset, it
    is `lake` beside the warehouse when the target reads the lake (spark) or the caller
    needs one, else none: the raw layer is then kept in DuckDB only."""
    value = os.environ.get("PULSE_LAKE_URL", "").strip()
    if value:
        return value if "://" in value else str(Path(value).expanduser().resolve())
    if required or target() == "spark":
        return str(warehouse_path().parent / "lake")
    return None


def spark_home() -> Path:
    """Where local Spark keeps its tables, Hive metastore and logs (PULSE_SPARK_HOME; by
    default `spark` beside the warehouse file, so data/spark)."""
    return _path_from_env("PULSE_SPARK_HOME", warehouse_path().parent / "spark")


def target_environment() -> dict[str, str]:
    """The settings dbt's profile reads for the chosen target, as absolute values, so that
    dbt (run from its project folder) and this process agree on every path."""
    environment = {"PULSE_TARGET": target(), "PULSE_WAREHOUSE": str(warehouse_path())}
    lake = lake_url()
    if lake:
        environment["PULSE_LAKE_URL"] = lake
    if environment["PULSE_TARGET"] == "spark":
        environment["PULSE_SPARK_HOME"] = str(spark_home())
    return environment


def landing_dir() -> Path:
    """Folder the export files are dropped in (PULSE_LANDING_DIR, default data/landing)."""
    return _path_from_env("PULSE_LANDING_DIR", REPO_ROOT / "data" / "landing")


def landing_location() -> str | Path:
    """PULSE_LANDING_DIR as given when it is an object-store URL (s3://, memory://...)."""
    value = os.environ.get("PULSE_LANDING_DIR", "")
    return value if "://" in value else landing_dir()


def survey_registry_path() -> Path:
    """Survey registry YAML (PULSE_SURVEY_REGISTRY, default survey_registry.yml in landing)."""
    return _path_from_env("PULSE_SURVEY_REGISTRY", landing_dir() / "survey_registry.yml")


def pseudonym_key() -> str:
    """Key of the keyed hash that pseudonymises emails, phones and names."""
    key = os.environ.get("PULSE_PSEUDONYM_KEY")
    if key:
        return key
    warnings.warn(
        "PULSE_PSEUDONYM_KEY is not set: using the development key, fit only for sample data",
        stacklevel=2,
    )
    return DEVELOPMENT_PSEUDONYM_KEY


def default_timezone() -> str:
    """Zone assumed for vendor time stamps that carry none (PULSE_DEFAULT_TIMEZONE, UTC)."""
    return os.environ.get("PULSE_DEFAULT_TIMEZONE", "UTC")


def duckdb_memory_limit() -> str:
    """Memory cap of the project's DuckDB connections (PULSE_DUCKDB_MEMORY_LIMIT, default
    2GB; dbt's profile reads the same variable). Without it DuckDB takes up to 80% of the
    machine's memory: 11.6 GiB for the 10M-response benchmark's ingestion."""
    return os.environ.get("PULSE_DUCKDB_MEMORY_LIMIT") or "2GB"


def writer_wait_limit_seconds() -> float:
    """How long a run waits for the warehouse writer slot before it gives up, naming the
    holder (PULSE_WRITER_WAIT_LIMIT, seconds, default 1800)."""
    value = os.environ.get("PULSE_WRITER_WAIT_LIMIT")
    return float(value) if value else 1800.0


def step_time_limit_seconds() -> float:
    """How long one step of `pulse run` (a load, a dbt build, a check, the publish) may run
    before the run is stopped and recorded as failed (PULSE_STEP_TIME_LIMIT, seconds,
    default 7200: the M benchmark's longest step takes about 3 minutes)."""
    value = os.environ.get("PULSE_STEP_TIME_LIMIT")
    return float(value) if value else 7200.0


def retention_days() -> int | None:
    """Days free text and personal fields are kept in raw and quarantine
    (PULSE_RETENTION_DAYS; unset or empty: kept until a person is forgotten on request)."""
    value = (os.environ.get("PULSE_RETENTION_DAYS") or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"PULSE_RETENTION_DAYS must be a whole number of days, 1 or more: {value!r}"
        )
    return int(value)
