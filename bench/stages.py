"""One benchmark stage per process: `python -m bench.stages STAGE ARGS_JSON`.

Each stage runs in a fresh interpreter so its peak memory is its own: the stage reports
the larger of its own maximum RSS and that of the processes it waited for (dbt, Dagster).
The result is one JSON line on stdout: rows, seconds, peak_rss_bytes and details.
"""

import csv
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

QUALTRICS_HEADER_ROWS = 3
# Workloads hold no real personal data; a fixed key keeps runs comparable and quiet.
BENCH_PSEUDONYM_KEY = "customer-pulse-benchmark-key"


def _fresh(path: Path) -> Path:
    stale_files = (path, path.with_name(path.name + ".wal"), _not_rebuilt_file(path))
    for stale in (*stale_files, built_since_publish_file(path)):
        stale.unlink(missing_ok=True)
    return path


def duckdb_floor(args: dict[str, Any]) -> dict[str, Any]:
    """DuckDB's own read_csv of the survey export into a table: the ingestion floor."""
    import duckdb

    conn = duckdb.connect(str(_fresh(Path(args["warehouse"]))))
    try:
        # The relation API binds the path without a prepared statement, DuckDB's fastest path.
        conn.read_csv(
            args["file"], skiprows=QUALTRICS_HEADER_ROWS, header=False, all_varchar=True
        ).create("floor_survey_responses")
        rows = conn.execute("select count(*) from floor_survey_responses").fetchone()
    finally:
        conn.close()
    return {"rows": rows[0] if rows else 0}


def pandas_insert(args: dict[str, Any]) -> dict[str, Any]:
    """pandas read_csv (text columns, like the raw layer) then a DuckDB insert."""
    import duckdb
    import pandas as pd

    frame = pd.read_csv(args["file"], skiprows=[1, 2], dtype=str, keep_default_na=False)
    conn = duckdb.connect(str(_fresh(Path(args["warehouse"]))))
    try:
        conn.register("frame", frame)
        conn.execute("create table pandas_survey_responses as select * from frame")
        rows = conn.execute("select count(*) from pandas_survey_responses").fetchone()
    finally:
        conn.close()
    return {"rows": rows[0] if rows else 0}


def _dict_rows(path: Path, limit: int) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        for _ in range(QUALTRICS_HEADER_ROWS - 1):
            next(reader)
        for index, record in enumerate(reader):
            if index >= limit:
                return
            yield dict(zip(header, record, strict=True))


def dlt_dicts(args: dict[str, Any]) -> dict[str, Any]:
    """A default dlt pipeline fed Python dict rows, into a scratch DuckDB file."""
    import dlt

    scratch = Path(args["scratch"])
    pipeline = dlt.pipeline(
        pipeline_name="bench_dlt",
        pipelines_dir=str(scratch / "dlt_pipelines"),
        destination=dlt.destinations.duckdb(str(_fresh(Path(args["warehouse"])))),
        dataset_name="bench",
    )
    pipeline.drop()
    info = pipeline.run(
        _dict_rows(Path(args["file"]), int(args["limit"])), table_name="survey_responses"
    )
    info.raise_on_failed_jobs()
    with pipeline.sql_client() as client:
        rows = client.execute_sql("select count(*) from survey_responses") or [[0]]
    return {"rows": rows[0][0]}


def _ingest(args: dict[str, Any], paths: list[Path] | None) -> dict[str, Any]:
    from ingestion.pipeline import ingest

    # The registry is read from the landing folder named by the environment.
    os.environ.update(_environment(args))
    warehouse = Path(args["warehouse"])
    if args.get("fresh"):
        _fresh(warehouse)
    results = ingest(paths, warehouse=warehouse, landing_root=Path(args["landing"]))
    failed = [f"{result.file_name}: {result.error}" for result in results if result.error]
    if failed:
        raise RuntimeError("; ".join(failed))
    return {
        "rows": sum(result.rows_in for result in results),
        "files": {result.file_name: result.status for result in results},
        "seconds_by_file": _load_seconds(warehouse, [r.load_id for r in results if r.load_id]),
    }


def _load_seconds(warehouse: Path, load_ids: list[str]) -> list[tuple[str, float]]:
    """Where an ingest's time went: each file's load, from the ledger, slowest first."""
    import duckdb

    if not load_ids:
        return []
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select file_name, epoch(finished_at) - epoch(started_at) from raw.load_ledger"
            " where load_id in (select unnest($ids::varchar[])) order by 2 desc",
            {"ids": load_ids},
        ).fetchall()
    return [(name, round(seconds, 2)) for name, seconds in rows]


def ingest_file(args: dict[str, Any]) -> dict[str, Any]:
    """The project's ingestion of one file into an empty warehouse."""
    return _ingest({**args, "fresh": True}, [Path(args["file"])])


def ingest_all(args: dict[str, Any]) -> dict[str, Any]:
    """The project's ingestion of the whole landing folder (new files only)."""
    return _ingest(args, None)


def _run(command: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = (completed.stdout + completed.stderr).strip().splitlines()[-15:]
        raise RuntimeError(f"{command[0]} exited {completed.returncode}: " + " | ".join(tail))


def _environment(args: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    env["PULSE_WAREHOUSE"] = args["warehouse"]
    env["PULSE_LANDING_DIR"] = args["landing"]
    env.pop("PULSE_SURVEY_REGISTRY", None)
    env.setdefault("PULSE_PSEUDONYM_KEY", BENCH_PSEUDONYM_KEY)
    # One dbt target per warehouse file, as each deployment has its own: dbt's partial-parse
    # state records the warehouse path, and a target shared by two files is parsed in full
    # at every switch between them.
    target = Path(args["scratch"]) / "dbt_target" / Path(args["warehouse"]).stem
    env["DBT_TARGET_PATH"] = str(target)
    env["DBT_LOG_PATH"] = str(target / "logs")
    return env


# The loyalty marts and what they stand on: the daily loyalty run of the benchmark.
LOYALTY_MODELS = (
    "fct_orders",
    "int_customers_orders_summarised",
    "int_customers_latest_feedback",
    "dim_customers",
    "dim_customer_rfm",
    "dim_customers_at_risk",
    "metrics_loyalty_tier_movements",
    "metrics_repeat_purchase",
    "metrics_retention_cohorts",
    "metrics_satisfaction_loyalty",
)


def _dbt_command(env: dict[str, str], *dbt_args: str) -> list[str]:
    from ingestion.settings import DBT_PROJECT_DIR

    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *dbt_args, "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--quiet"]
    command += ["--target-path", env["DBT_TARGET_PATH"], "--log-path", env["DBT_LOG_PATH"]]
    return command


def _dbt(args: dict[str, Any], *dbt_args: str) -> dict[str, Any]:
    env = _environment(args)
    warehouse = Path(args["warehouse"])
    try:
        _run(_dbt_command(env, *dbt_args), env)
    except Exception:
        # What a failed build rewrote is not known: the next publish compares every table.
        _record_built(warehouse, None)
        raise
    results = json.loads(
        (Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text(encoding="utf-8")
    )
    _record_built(warehouse, [result["unique_id"] for result in results["results"]])
    return {"rows": int(args.get("rows", 0)), **_node_timings(env)}


def built_since_publish_file(warehouse: Path) -> Path:
    """The dbt nodes built in the warehouse since its copy was last published: the run
    record the publish stage passes on, as the Dagster job's event log gives it."""
    return warehouse.with_name(f"{warehouse.stem}_built_since_publish.json")


def _record_built(warehouse: Path, nodes: list[str] | None) -> None:
    """Add the nodes of one dbt invocation (None: unknown, a failed build) to the record."""
    path = built_since_publish_file(warehouse)
    record: dict[str, Any] = {"complete": True, "nodes": []}
    if path.is_file():
        record = json.loads(path.read_text(encoding="utf-8"))
    if nodes is None:
        record["complete"] = False
    else:
        record["nodes"] = sorted({*record["nodes"], *nodes})
    path.write_text(json.dumps(record), encoding="utf-8")


def dbt_build(args: dict[str, Any]) -> dict[str, Any]:
    """`dbt build` as the scheduled run does it (models and every data test, only what
    changed sources reach), without the text marts, which need the text scorer first and
    are timed by the text stages."""
    from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION
    from ingestion.settings import PRODUCTION_BUILD_ARGS
    from orchestration.build_scope import plan_step, record_step

    env = _environment(args)
    warehouse = Path(args["warehouse"])
    step = "duckdb:pulse_dbt_models"
    manifest = Path(env["DBT_TARGET_PATH"]) / "manifest.json"
    scope = plan_step(warehouse, manifest, step, exclude=DBT_TEXT_MODELS_SELECTION)
    # The mart checks that follow reuse the verdict on a mart left out, as the Dagster
    # job's checks do (orchestration/defs/quality/verdict_reuse.py).
    _not_rebuilt_file(warehouse).write_text(json.dumps(sorted(scope.excluded)))
    if scope.builds == 0:
        _record_built(warehouse, [])  # a build that rebuilt nothing
        return {"rows": int(args.get("rows", 0)), "scope": scope.reason}
    outcome = _dbt(
        args,
        *PRODUCTION_BUILD_ARGS,
        "--exclude",
        " ".join([DBT_TEXT_MODELS_SELECTION, *scope.excluded]),
    )
    record_step(warehouse, step, scope)
    return {**outcome, "scope": scope.reason}


def dbt_run(args: dict[str, Any]) -> dict[str, Any]:
    """The same models (and the seeds they read) without any test: the pipeline without
    checks."""
    from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION
    from ingestion.settings import MODELS_WITHOUT_TESTS_ARGS

    return _dbt(args, *MODELS_WITHOUT_TESTS_ARGS, "--exclude", DBT_TEXT_MODELS_SELECTION)


def text_scoring(args: dict[str, Any]) -> dict[str, Any]:
    """The text scorer over every text of the warehouse: languages, the model's fit (the
    first run), sentiment and themes. Rows are the texts scored."""
    from analytics.text.scoring import score_warehouse

    result = score_warehouse(Path(args["warehouse"]))
    return {
        "rows": result.texts_scored,
        "input_texts": result.input_texts,
        "languages_detected": result.languages_detected,
        "refitted": result.refitted,
        "fit_seconds": round(result.fit_seconds, 2),
        "scoring_seconds": round(result.scoring_seconds, 2),
        "scoring_texts_per_second": round(result.texts_per_second or 0.0),
    }


def dbt_text_marts(args: dict[str, Any]) -> dict[str, Any]:
    """`dbt build` of the text marts (what reads the scorer's tables), with their tests."""
    from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION
    from ingestion.settings import PRODUCTION_BUILD_ARGS

    selection = DBT_TEXT_MODELS_SELECTION
    if args.get("text_folder_only"):
        # A warehouse of texts alone: the follow-up queue and brand benchmarks downstream
        # of the text marts also read marts it does not have.
        selection = " ".join(
            f"{DBT_TEXT_MODELS_SELECTION},path:models/{folder}"
            for folder in ("staging/analytics", "marts/text")
        )
        # and only the tests whose every input is among them
        return _dbt(
            args, *PRODUCTION_BUILD_ARGS, "--select", selection, "--indirect-selection", "cautious"
        )
    return _dbt(args, *PRODUCTION_BUILD_ARGS, "--select", selection)


def dbt_loyalty(args: dict[str, Any]) -> dict[str, Any]:
    """`dbt build` of the loyalty marts with their tests; rows are the orders in history."""
    import duckdb

    from ingestion.settings import PRODUCTION_BUILD_ARGS

    with duckdb.connect(args["warehouse"], read_only=True) as conn:
        orders = conn.execute("select count(*) from raw.orders").fetchone()
    outcome = _dbt(
        {**args, "rows": orders[0] if orders else 0},
        *PRODUCTION_BUILD_ARGS,
        "--select",
        *LOYALTY_MODELS,
    )
    return outcome


def _node_timings(env: dict[str, str], count: int = 8) -> dict[str, Any]:
    """Where dbt's time went: the execution phase's wall time, the slowest models and
    tests from run_results.json, and the summed time of models, data tests and unit tests."""
    run_results = json.loads(
        (Path(env["DBT_TARGET_PATH"]) / "run_results.json").read_text(encoding="utf-8")
    )
    results = run_results["results"]
    timings = [(item["unique_id"], round(item["execution_time"], 2)) for item in results]
    by_type: dict[str, float] = {}
    for unique_id, seconds in timings:
        kind = unique_id.split(".", 1)[0]
        by_type[kind] = round(by_type.get(kind, 0.0) + seconds, 2)
    slowest = sorted(timings, key=lambda timing: timing[1], reverse=True)[:count]
    return {
        # From the first node to the last, without dbt's start-up (imports, manifest).
        "dbt_execution_seconds": round(run_results["elapsed_time"], 2),
        "slowest_nodes": slowest,
        "seconds_by_node_type": by_type,
    }


def _not_rebuilt_file(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}_not_rebuilt.json")


def _models_not_rebuilt(warehouse: Path) -> set[str]:
    path = _not_rebuilt_file(warehouse)
    return set(json.loads(path.read_text())) if path.is_file() else set()


def gx_checks(args: dict[str, Any]) -> dict[str, Any]:
    """Every Great Expectations suite and every ledger reconciliation, as the blocking
    asset checks run them."""
    from orchestration.lib.quality.gx_runner import available_suites, run_suite
    from orchestration.lib.quality.reconciliation import RECONCILED_TABLES, reconcile

    warehouse = Path(args["warehouse"])
    # `schema` limits the suites to one layer, e.g. "raw" before any dbt model is built.
    schema = args.get("schema")
    not_rebuilt = _models_not_rebuilt(warehouse)
    in_layer = {
        name: table
        for name, table in available_suites().items()
        if schema is None or table.startswith(f"{schema}.")
    }
    suites = [
        name
        for name, table in in_layer.items()
        if table.startswith("raw.") or table.split(".", 1)[1] not in not_rebuilt
    ]
    outcomes = [run_suite(warehouse, name) for name in suites]
    broken = [f"{o.suite_name}: {o.error or o.failed or o.held}" for o in outcomes if not o.success]
    reconciled = (
        [reconcile(warehouse, table) for table in RECONCILED_TABLES]
        if args.get("reconcile", True)
        else []
    )
    broken += [mismatch.describe() for outcome in reconciled for mismatch in outcome.mismatches]
    if broken:
        raise RuntimeError("; ".join(broken))
    return {
        "rows": int(args.get("rows", 0)),
        "suites": len(outcomes),
        "verdicts_reused": len(in_layer) - len(suites),
        "reconciled": len(reconciled),
    }


def publish_loads(args: dict[str, Any]) -> dict[str, Any]:
    """Let every load not audited yet through to staging without a check: the baseline
    the raw gates are measured against."""
    import duckdb

    with duckdb.connect(args["warehouse"]) as conn:
        published = conn.execute(
            "insert into raw.load_audits (load_id, status, audited_at)"
            " select distinct load_id, 'published', now() from raw.load_ledger"
            " where status = 'loaded'"
            " and load_id not in (select load_id from raw.load_audits)"
        ).fetchone()
    return {"rows": int(published[0]) if published else 0}


def lifetime_value(args: dict[str, Any]) -> dict[str, Any]:
    """The lifetime-value model the Dagster job runs after the marts; rows are customers."""
    from analytics.loyalty.lifetime_value import build_customer_lifetime_value

    result = build_customer_lifetime_value(Path(args["warehouse"]))
    return {"rows": result.customers, "model_status": result.model_status}


def key_drivers(args: dict[str, Any]) -> dict[str, Any]:
    """The key-driver model the Dagster job runs after the marts; rows are mart rows."""
    from analytics.key_drivers import build_key_drivers

    result = build_key_drivers(Path(args["warehouse"]))
    return {"rows": result.rows, "cells": result.cells, "fitted_cells": result.fitted_cells}


def publish(args: dict[str, Any]) -> dict[str, Any]:
    """The read-only copy of the marts the Dagster job publishes last; rows are mart rows.
    A copy starts from the earlier one and writes only the tables that changed."""
    from orchestration.lib.serving.publish import publish_marts, run_record_from_dbt

    warehouse = Path(args["warehouse"])
    published = warehouse.with_name(f"{warehouse.stem}_published.duckdb")
    record_file = built_since_publish_file(warehouse)
    run_record = None
    if args.get("new_copy"):
        _fresh(published)  # no earlier copy to start from: every table is written
    elif record_file.is_file():
        built = json.loads(record_file.read_text(encoding="utf-8"))
        manifest = Path(_environment(args)["DBT_TARGET_PATH"]) / "manifest.json"
        if built["complete"] and manifest.is_file():
            run_record = run_record_from_dbt(
                json.loads(manifest.read_text(encoding="utf-8")),
                [{"results": [{"unique_id": node} for node in built["nodes"]]}],
            )
    result = publish_marts(warehouse, published, run_record=run_record)
    record_file.unlink(missing_ok=True)  # the copy now holds every build before it
    return {
        "rows": sum(result.row_counts.values()),
        "tables": len(result.row_counts),
        "tables_written": len(result.written),
        "tables_updated_by_row": len(result.updated_rows),
        "run_record": run_record is not None,
        "seconds_by_stage": dict(result.seconds or {}),
    }


def dashboard(args: dict[str, Any]) -> dict[str, Any]:
    """The dashboard on the publish stage's copy: each page's queries, uncached, and each
    page's first paint in chromium where it is installed; rows are pages."""
    from bench.dashboard import measure

    warehouse = Path(args["warehouse"])
    return measure(warehouse.with_name(f"{warehouse.stem}_published.duckdb"))


def dagster_run(args: dict[str, Any]) -> dict[str, Any]:
    """`pulse run`: the whole job through Dagster, from an empty warehouse, with `dbt build`
    on the target args["target"] names (DuckDB by default; on Spark from a fresh Parquet
    raw layer and Spark home beside the warehouse)."""
    warehouse = _fresh(Path(args["warehouse"]))
    env = _environment(args)
    env["DAGSTER_HOME"] = _dagster_home(args)
    env["PULSE_TARGET"] = target = args.get("target", "duckdb")
    if target == "spark":
        for name, folder in (("PULSE_LAKE_URL", "lake"), ("PULSE_SPARK_HOME", "spark")):
            path = warehouse.with_name(f"{warehouse.stem}_{folder}")
            shutil.rmtree(path, ignore_errors=True)
            env[name] = str(path)
    _run([str(Path(sys.executable).with_name("pulse")), "run"], env)
    return {"rows": int(args.get("rows", 0))}


STAGES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "duckdb_floor": duckdb_floor,
    "pandas_insert": pandas_insert,
    "dlt_dicts": dlt_dicts,
    "ingest_file": ingest_file,
    "ingest_all": ingest_all,
    "dbt_build": dbt_build,
    "dbt_run": dbt_run,
    "dbt_loyalty": dbt_loyalty,
    "gx_checks": gx_checks,
    "publish_loads": publish_loads,
    "lifetime_value": lifetime_value,
    "key_drivers": key_drivers,
    "publish": publish,
    "dashboard": dashboard,
    "dagster_run": dagster_run,
    "text_scoring": text_scoring,
    "dbt_text_marts": dbt_text_marts,
}


def peak_rss_bytes() -> int:
    """Largest resident set of this process or any child it waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KiB
    return max(own_peak_rss_bytes(), children)


def own_peak_rss_bytes() -> int:
    """This process's high-water resident set since its exec (VmHWM).

    Not ru_maxrss: Linux carries the resident set a process had when it was forked into
    ru_maxrss across exec, so every stage started by the benchmark runner reported at
    least the runner's own size (9.7 GiB after generating the L workload in memory).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# Imported before the clock starts: a stage times the work, not the interpreter's imports.
PRELOAD: dict[str, tuple[str, ...]] = {
    "duckdb_floor": ("duckdb",),
    "pandas_insert": ("duckdb", "pandas"),
    "dlt_dicts": ("dlt",),
    "ingest_file": ("ingestion.pipeline",),
    "ingest_all": ("ingestion.pipeline",),
    "gx_checks": (
        "orchestration.lib.quality.gx_runner",
        "orchestration.lib.quality.reconciliation",
        "great_expectations",
        "sqlalchemy",
    ),
    "lifetime_value": ("analytics.loyalty.lifetime_value",),
    "key_drivers": ("analytics.key_drivers",),
    "text_scoring": ("analytics.text.scoring",),
    "publish": ("orchestration.lib.serving.publish",),
    "dashboard": ("bench.dashboard", "streamlit.testing.v1", "orchestration.dashboard.charts"),
}


# DuckDB's Python client imports pandas and numpy on the first statement with bound
# parameters (to recognise data frame arguments): about a second on a quiet machine,
# once per process, not per file. Stages that bind parameters pay it before the clock.
WARM_PARAMETER_BINDING = frozenset({"ingest_file", "ingest_all"})


def _warm_parameter_binding() -> None:
    import duckdb

    with duckdb.connect() as conn:
        conn.execute("select $warm", {"warm": 1})


def _dagster_home(args: dict[str, Any]) -> str:
    return str(Path(args["scratch"]) / "dagster_home")


def _warm_dbt_parse(args: dict[str, Any]) -> None:
    """dbt's parse of the project for this warehouse, as a deployment that runs daily has
    it: a fixed start-up cost that does not grow with the data, which on a fresh scratch
    folder would fall on whichever stage comes first."""
    env = _environment(args)
    if not (Path(env["DBT_TARGET_PATH"]) / "partial_parse.msgpack").exists():
        _run(_dbt_command(env, "parse"), env)


def _warm_pulse_parse(args: dict[str, Any]) -> None:
    """The parse `pulse run` makes when the project changed, and which its dbt runs start from."""
    os.environ.update(_environment(args))
    os.environ["DAGSTER_HOME"] = _dagster_home(args)
    from orchestration.cli import prepare_dbt_manifest_when_changed, prepare_run_environment

    prepare_run_environment()
    prepare_dbt_manifest_when_changed()


def _write_texts(args: dict[str, Any]) -> None:
    """The synthetic texts the text stage scores (args `texts` from id `first_id`), when
    given, added to the warehouse's int_feedback_texts outside the clock: in the pipeline
    the dbt models write that table."""
    from bench.texts import write_texts

    if "texts" not in args:
        return  # scoring what the pipeline's dbt models wrote
    if args.get("fresh"):
        _fresh(Path(args["warehouse"]))
    write_texts(
        Path(args["warehouse"]), int(args["texts"]), int(args["seed"]), int(args.get("first_id", 0))
    )


# Run before the clock starts, like PRELOAD.
WARM_UP: dict[str, Callable[[dict[str, Any]], None]] = {
    "dbt_build": _warm_dbt_parse,
    "dbt_run": _warm_dbt_parse,
    "dbt_loyalty": _warm_dbt_parse,
    "dbt_text_marts": _warm_dbt_parse,
    "dagster_run": _warm_pulse_parse,
    "text_scoring": _write_texts,
}


def main(argv: list[str]) -> int:
    stage, args = argv[0], json.loads(argv[1])
    for module in PRELOAD.get(stage, ()):
        importlib.import_module(module)
    if stage in WARM_PARAMETER_BINDING:
        _warm_parameter_binding()
    if stage in WARM_UP:
        WARM_UP[stage](args)
    started = time.perf_counter()
    try:
        outcome = STAGES[stage](args)
        outcome["ok"] = True
    except Exception as error:
        outcome = {"ok": False, "error": f"{type(error).__name__}: {error}"[:2000], "rows": 0}
    outcome["seconds"] = time.perf_counter() - started
    outcome["peak_rss_bytes"] = peak_rss_bytes()
    print(json.dumps(outcome, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
