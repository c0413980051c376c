"""Benchmark runner: `python -m bench --size M`.

Writes a seeded workload, runs every stage in its own process (wall time, rows per
second, peak memory), and checks the performance targets, printing each with its measured
ratio. Results go to bench/results/<size>.md and <size>.json.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dashboard import PAINT_SECONDS, QUERY_SECONDS
from bench.plot import plot_stage_times
from bench.stages import built_since_publish_file
from bench.workloads import SIZES, SURVEY_EXPORT, WorkloadSize, write_increment, write_workload

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
GIB = 1024**3
DLT_SLICE_ROWS = 100_000
STANDARD_KEYS = frozenset({"ok", "error", "rows", "seconds", "peak_rss_bytes"})


@dataclass
class StageResult:
    name: str
    stage: str
    rows: int
    runs: list[float]
    peak_rss_bytes: int
    ok: bool
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # e.g. dbt's slowest nodes

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs) if self.runs else float("nan")

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.ok and self.seconds > 0 else 0.0


@dataclass
class Target:
    name: str
    measured: float
    limit: float
    unit: str
    higher_is_better: bool = False
    note: str = ""
    judged: bool = True  # False where the limit is set for another workload size

    @property
    def passed(self) -> bool:
        if self.measured != self.measured:  # NaN: not measured
            return False
        if self.higher_is_better:
            return self.measured >= self.limit
        return self.measured <= self.limit


@dataclass
class Report:
    size: str
    started_at: str
    workload: dict[str, int]
    stages: list[StageResult] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    machine: str = field(default_factory=lambda: describe_machine())


def describe_machine() -> str:
    """Cores, memory and the commit measured (with a mark when the tree had changes)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    try:
        commit = subprocess.run(
            ["git", "-C", str(BENCH_DIR), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {python}, commit {commit}"


def run_stage(name: str, stage: str, args: dict[str, Any], repeat: int = 1) -> StageResult:
    """Run `stage` `repeat` times, each in a fresh process; keep the median and max RSS."""
    runs: list[float] = []
    peak = 0
    rows = 0
    for _ in range(repeat):
        command = [sys.executable, "-m", "bench.stages", stage, json.dumps(args)]
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        lines = completed.stdout.strip().splitlines()
        if completed.returncode != 0 or not lines:
            error = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            return StageResult(name, stage, rows, runs, peak, ok=False, error=error)
        outcome = json.loads(lines[-1])
        peak = max(peak, int(outcome["peak_rss_bytes"]))
        if not outcome["ok"]:
            return StageResult(name, stage, rows, runs, peak, ok=False, error=outcome["error"])
        runs.append(float(outcome["seconds"]))
        rows = int(outcome["rows"])
    details = {key: value for key, value in outcome.items() if key not in STANDARD_KEYS}
    result = StageResult(name, stage, rows, runs, peak, ok=True, details=details)
    print(
        f"  {name:<28} {result.seconds:9.2f} s  {result.rows_per_second:>12,.0f} rows/s"
        f"  {peak / GIB:6.2f} GiB",
        flush=True,
    )
    return result


def _skipped(group: str) -> StageResult:
    return StageResult(group, group, 0, [], 0, ok=False, error="skipped")


def _input_rows(workload: dict[str, int]) -> int:
    # Polls are written as four option rows each.
    return sum(count * (4 if path.startswith("polls/") else 1) for path, count in workload.items())


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


@dataclass(frozen=True)
class PipelineResult:
    """A sequence of stages run `runs` times: each run's total, in the order run."""

    run_seconds: tuple[float, ...]
    peak_rss_bytes: int
    ok: bool

    @property
    def seconds(self) -> float:
        """The median of the per-run totals; NaN unless every run succeeded."""
        return statistics.median(self.run_seconds) if self.ok else float("nan")


PIPELINE_NOT_RUN = PipelineResult((), 0, ok=False)  # a skipped group's pipeline


def paired_ratios(numerator: PipelineResult, denominator: PipelineResult) -> list[float]:
    """Run i of one pipeline against run i of the other: pipelines that took turns ran
    each pair side by side, under the same load of the machine."""
    if not (numerator.ok and denominator.ok):
        return []
    return [
        _ratio(a, b) for a, b in zip(numerator.run_seconds, denominator.run_seconds, strict=True)
    ]


def _merged(results: list[StageResult]) -> StageResult:
    """One stage's runs across repetitions of its pipeline, as one result."""
    last = results[-1]
    return StageResult(
        last.name,
        last.stage,
        last.rows,
        [seconds for result in results for seconds in result.runs],
        max(result.peak_rss_bytes for result in results),
        ok=all(result.ok for result in results),
        error=next((result.error for result in results if not result.ok), None),
        details=last.details,
    )


Steps = list[tuple[str, str, dict[str, Any]]]  # (report name, stage, stage arguments)


@dataclass(frozen=True)
class Pipeline:
    """Steps run in order, each run from the state `before_each` sets up."""

    steps: Steps
    before_each: Callable[[], None] | None = None


def run_repeated(
    steps: Steps,
    report: Report,
    runs: int,
    before_each: Callable[[], None] | None = None,
) -> PipelineResult:
    """Run the (name, stage, args) steps in order, `runs` times, each time from the state
    `before_each` sets up; stops at the first failed step."""
    return run_interleaved([Pipeline(steps, before_each)], report, runs)[0]


def run_interleaved(pipelines: list[Pipeline], report: Report, runs: int) -> list[PipelineResult]:
    """Run each pipeline `runs` times, taking turns (A B A B ...), so that pipelines
    compared by a ratio see the same drift of a shared, noisy machine. A pipeline stops
    repeating at its first failed step; the others go on."""
    per_step: list[list[list[StageResult]]] = [[[] for _ in p.steps] for p in pipelines]
    totals: list[list[float]] = [[] for _ in pipelines]
    failed = [False for _ in pipelines]
    for _ in range(runs):
        for index, pipeline in enumerate(pipelines):
            if failed[index]:
                continue
            results = _run_once(pipeline)
            for step, result in enumerate(results):
                per_step[index][step].append(result)
            if len(results) < len(pipeline.steps) or not results[-1].ok:
                failed[index] = True
            else:
                totals[index].append(sum(result.seconds for result in results))
    outcomes = []
    for steps, pipeline_totals in zip(per_step, totals, strict=True):
        merged = [_merged(results) for results in steps if results]
        report.stages.extend(merged)
        ok = len(pipeline_totals) == runs
        outcomes.append(
            PipelineResult(
                tuple(pipeline_totals),
                max((stage.peak_rss_bytes for stage in merged), default=0),
                ok,
            )
        )
    return outcomes


def _run_once(pipeline: Pipeline) -> list[StageResult]:
    if pipeline.before_each is not None:
        pipeline.before_each()
    results: list[StageResult] = []
    for name, stage, args in pipeline.steps:
        results.append(run_stage(name, stage, args))
        if not results[-1].ok:
            break
    return results


def _pipeline_steps(label: str, base: dict[str, Any], rows: int, *, publish: bool = False) -> Steps:
    """Ingest, the raw gates (which publish the loads to staging), dbt build and the
    checks on the marts, against one warehouse: the order of a pipeline run; with
    `publish`, the read-only copy after them."""
    steps: Steps = [
        (f"{label}: ingest", "ingest_all", base),
        (f"{label}: raw gates", "gx_checks", {**base, "rows": rows, "schema": "raw"}),
        (f"{label}: dbt build", "dbt_build", {**base, "rows": rows}),
        (
            f"{label}: mart checks + reconciliation",
            "gx_checks",
            {**base, "rows": rows, "schema": "marts", "reconcile": True},
        ),
    ]
    if publish:
        steps.append((f"{label}: {PUBLISH_STEP}", "publish", base))
    return steps


PUBLISH_STEP = "publish marts"


def _steps_without_checks(base: dict[str, Any], rows: int) -> Steps:
    """Ingest and `dbt run`: the work of the full pipeline, no checks (every load is let
    through to staging unaudited)."""
    return [
        ("no checks: ingest", "ingest_all", base),
        ("no checks: publish loads unaudited", "publish_loads", base),
        ("no checks: dbt run", "dbt_run", {**base, "rows": rows}),
    ]


def without_publish_note(publish: StageResult, run: PipelineResult, full_seconds: float) -> str:
    """The 1% run includes its publish and the full pipeline's wall does not: the ratio
    without it, for a like-for-like reading."""
    if not (run.ok and publish.ok and publish.seconds and full_seconds > 0):
        return ""
    ratio = _ratio(run.seconds - publish.seconds, full_seconds)
    return f"; without its publish ({publish.seconds:.1f} s) {ratio:.2f}x"


def _stage_named(report: Report, name: str) -> StageResult:
    return next(stage for stage in report.stages if stage.name == name)


def _snapshot(warehouse: Path) -> Callable[[], None]:
    """Copy the warehouse file, its write-ahead log and its published copy aside; the
    returned function puts them back."""
    files = [
        warehouse,
        warehouse.with_name(warehouse.name + ".wal"),
        warehouse.with_name(f"{warehouse.stem}_published.duckdb"),
        # what dbt rebuilt since that copy was published: the publish stage's run record
        built_since_publish_file(warehouse),
    ]
    copies = {path: path.with_name(f"snapshot_{path.name}") for path in files}
    for path, copy in copies.items():
        copy.unlink(missing_ok=True)
        if path.exists():
            shutil.copyfile(path, copy)

    def restore() -> None:
        for path, copy in copies.items():
            path.unlink(missing_ok=True)
            if copy.exists():
                shutil.copyfile(copy, path)

    return restore


# DuckDB's memory cap per size where the default (2GB, sized for M) is too small, and the
# dbt threads that share it. At L, metrics_loyalty_tier_movements and metrics_repeat_purchase each
# window 10M orders: alone each fits in 4 GB (13 s and 12 s), side by side both fail with
# "Out of Memory", and whether dbt starts them together depends on how long the survey
# models before them take. A deployment of that size raises PULSE_DUCKDB_MEMORY_LIMIT and
# runs one model at a time (PULSE_DBT_THREADS=1); 4 GB keeps the run within its 6 GB
# target. Explicit environment values win.
ENVIRONMENT_BY_SIZE = {"L": {"PULSE_DUCKDB_MEMORY_LIMIT": "4GB", "PULSE_DBT_THREADS": "1"}}
# Medians of three on M, where the targets are judged; one run of S (a smoke run) or of L
# (a quarter of an hour per pipeline).
PIPELINE_RUNS_BY_SIZE = {"M": 3}
OPTIONAL_GROUPS = ("baselines", "dagster", "incremental", "checks", "loyalty", "text", "dashboard")
LOYALTY_SECONDS_PER_MILLION_ORDERS = 30.0  # the loyalty marts stay cheap per unit of history
KEY_DRIVER_SECONDS = 30.0  # metrics_key_drivers from the 1M-response feedback fact (M)


def run_benchmark(
    size: WorkloadSize,
    scratch: Path,
    repeat: int,
    seed: int,
    skip: frozenset[str] = frozenset(),
    runs: int = 1,
    with_spark: bool = False,
) -> Report:
    """`repeat` runs of each survey-ingestion stage and `runs` of each pipeline (full,
    without checks, Dagster, incremental, no new files) and of the loyalty marts' builds;
    medians throughout. The loyalty builds follow a pipeline that built every model, so
    each repetition on the same warehouse does the same work."""
    landing = scratch / "landing"
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    workload = write_workload(landing, size, seed)
    print(f"workload {size.name}: {workload} in {time.perf_counter() - started:.1f} s")
    report = Report(size.name, datetime.now(UTC).isoformat(timespec="seconds"), workload)
    rows = _input_rows(workload)
    export = str(landing / SURVEY_EXPORT)

    def args(warehouse: str, **extra: Any) -> dict[str, Any]:
        return {
            "file": export,
            "landing": str(landing),
            "scratch": str(scratch),
            "warehouse": str(scratch / warehouse),
            **extra,
        }

    print("survey export ingestion against baselines:")
    ingest = run_stage("pulse ingest (survey export)", "ingest_file", args("one.duckdb"), repeat)
    floor = pandas = dlt = _skipped("baselines")
    if "baselines" not in skip:
        floor = run_stage("DuckDB read_csv (floor)", "duckdb_floor", args("floor.duckdb"), repeat)
        pandas = run_stage(
            "pandas read_csv + insert", "pandas_insert", args("pandas.duckdb"), repeat
        )
        dlt_rows = min(DLT_SLICE_ROWS, size.survey_responses)
        dlt = run_stage(
            f"dlt dict rows ({dlt_rows:,})",
            "dlt_dicts",
            args("dlt.duckdb", limit=dlt_rows),
            repeat,
        )
        report.stages += [floor, pandas, dlt]
    report.stages.append(ingest)

    # Each run ingests into an emptied warehouse; the last run's is what follows builds on.
    full_pipeline = Pipeline(_pipeline_steps("full", args("direct.duckdb", fresh=True), rows))
    checks_off = PIPELINE_NOT_RUN
    if "checks" in skip:
        print(f"full pipeline, direct calls, empty warehouse ({runs} runs):")
        (full,) = run_interleaved([full_pipeline], report, runs)
    else:
        # Taking turns with the same work without checks (dbt run, no GX, no
        # reconciliation), each in its own emptied warehouse: the ratio of the two is
        # the checks target, and alternating keeps the machine's drift out of it.
        print(f"full pipeline, direct calls, and the same without checks, in turns ({runs} runs):")
        without_checks = Pipeline(_steps_without_checks(args("no_checks.duckdb", fresh=True), rows))
        full, checks_off = run_interleaved([full_pipeline, without_checks], report, runs)
    full_seconds, full_peak, full_ok = full.seconds, full.peak_rss_bytes, full.ok
    print(f"key-driver model on the full run's marts ({runs} runs):")
    key_drivers = run_stage("full: key-driver model", "key_drivers", args("direct.duckdb"), runs)
    report.stages.append(key_drivers)
    # The Dagster job also scores the texts and builds the text marts, fits lifetime
    # value and the key drivers and publishes the marts, in that order: the same work
    # called directly is the full pipeline plus those steps, and the copy published last
    # holds every mart the dashboard reads.
    extra: list[StageResult] = []
    if "dagster" not in skip:
        extra = [
            run_stage("full: text scoring", "text_scoring", args("direct.duckdb")),
            run_stage("full: text marts", "dbt_text_marts", args("direct.duckdb")),
            run_stage("full: lifetime value", "lifetime_value", args("direct.duckdb")),
        ]
        report.stages += extra
    # Publishing a new copy every time (no earlier copy to start from): what a full run's
    # publish costs. The last one leaves the copy the daily runs below start from.
    print(f"publish of the full run's marts into a new copy ({runs} runs):")
    publish_full = run_stage(
        f"full: {PUBLISH_STEP}", "publish", args("direct.duckdb", new_copy=True), runs
    )
    report.stages.append(publish_full)
    after_checks = [_skipped("dagster")]
    dashboard = _skipped("dashboard")
    if "dagster" not in skip:
        after_checks = [*extra, key_drivers, publish_full]
        if "dashboard" not in skip and publish_full.ok:
            print("dashboard pages on the published copy:")
            dashboard = run_stage("dashboard: every page", "dashboard", args("direct.duckdb"))
            report.stages.append(dashboard)
    same_work_as_dagster = full_seconds + sum(stage.seconds for stage in after_checks)
    same_work_ok = full_ok and all(stage.ok for stage in after_checks)
    loyalty = loyalty_daily = _skipped("loyalty")
    if "loyalty" not in skip:
        print("loyalty marts (dbt build --select), full history:")
        loyalty = run_stage("loyalty: full history", "dbt_loyalty", args("direct.duckdb"), runs)
        report.stages.append(loyalty)

    dagster = _skipped("dagster")
    if "dagster" not in skip:
        print(f"full pipeline through Dagster (pulse run), empty warehouse ({runs} runs):")
        dagster = run_stage(
            "full: pulse run (Dagster)", "dagster_run", args("dagster.duckdb", rows=rows), runs
        )
        report.stages.append(dagster)
    spark = _skipped("spark")
    if with_spark:
        print("the same pulse run with dbt on local Spark (PULSE_TARGET=spark), empty warehouse:")
        spark = run_stage(
            "full: pulse run on Spark",
            "dagster_run",
            args("spark.duckdb", rows=rows, target="spark"),
        )
        report.stages.append(spark)

    incremental = idle = PIPELINE_NOT_RUN
    publish_daily = _skipped("incremental")
    if "incremental" not in skip:
        print(f"incremental run after 1% new files ({runs} runs, each from the full run's state):")
        restore_full_run = _snapshot(scratch / "direct.duckdb")
        increment = write_increment(landing, size, seed)
        incremental = run_repeated(
            _pipeline_steps(
                "incremental", args("direct.duckdb"), _input_rows(increment), publish=True
            ),
            report,
            runs,
            before_each=restore_full_run,
        )
        publish_daily = _stage_named(report, f"incremental: {PUBLISH_STEP}")
        if "loyalty" not in skip:
            print("loyalty marts after 1% new orders (the daily run):")
            loyalty_daily = run_stage(
                "loyalty: daily run after 1%", "dbt_loyalty", args("direct.duckdb"), runs
            )
            report.stages.append(loyalty_daily)
        # The same run once more with no new file: what every run pays whatever arrives
        # (start-up, tests, models recomputed over all history), the floor under the
        # incremental ratio.
        print(f"the same run again, no new files ({runs} runs):")
        idle = run_repeated(
            _pipeline_steps("no new files", args("direct.duckdb"), 0, publish=True), report, runs
        )

    text_full = text_daily = _skipped("text")
    if "text" not in skip:
        texts = size.reviews
        print(f"text scoring, {texts:,} synthetic texts in eight languages, then 1% more:")
        text_args = args("text.duckdb", texts=texts, seed=seed, fresh=True)
        text_full = run_stage("text: score every text", "text_scoring", text_args)
        text_marts = run_stage(
            "text: text marts", "dbt_text_marts", args("text.duckdb", text_folder_only=True)
        )
        new_texts = max(1, texts // 100)
        text_daily = run_stage(
            "text: daily run after 1%",
            "text_scoring",
            args("text.duckdb", texts=new_texts, first_id=texts, seed=seed),
        )
        text_daily.details["new_texts"] = new_texts
        report.stages += [text_full, text_marts, text_daily]

    per_row_ingest = _ratio(ingest.seconds, ingest.rows)
    m_limit_note = "" if size.name == "M" else "the limit is set for M"
    report.targets = [
        Target("survey ingestion / DuckDB floor", _ratio(ingest.seconds, floor.seconds), 1.5, "x"),
        Target(
            "dlt per row / survey ingestion per row",
            _ratio(_ratio(dlt.seconds, dlt.rows), per_row_ingest),
            50.0,
            "x",
            higher_is_better=True,
        ),
        Target(
            "full pipeline wall (direct)",
            full_seconds if full_ok else float("nan"),
            90.0,
            "s",
            note=m_limit_note,
            judged=size.name == "M",
        ),
        Target(
            "full pipeline peak memory",
            full_peak / GIB,
            3.0,
            "GiB",
            note=m_limit_note,
            judged=size.name == "M",
        ),
        Target(
            "run with 1% new files / full wall",
            _ratio(incremental.seconds, full_seconds) if incremental.ok else float("nan"),
            0.08 if size.name == "L" else 0.25,
            "x",
            note="the limit is 0.25x on M, 0.08x on L"
            + without_publish_note(publish_daily, incremental, full_seconds),
        ),
        Target(
            "run with no new files / full wall",
            _ratio(idle.seconds, full_seconds) if idle.ok else float("nan"),
            0.15,
            "x",
        ),
        Target(
            "publish after a 1% run / publish after a full run",
            _ratio(publish_daily.seconds, publish_full.seconds)
            if publish_daily.ok and publish_full.ok
            else float("nan"),
            0.2,
            "x",
        ),
        Target(
            "Dagster run / direct calls",
            _ratio(dagster.seconds, same_work_as_dagster)
            if dagster.ok and same_work_ok
            else float("nan"),
            1.15,
            "x",
            note="the direct side adds text scoring, the text marts, lifetime value, key"
            " drivers and publish to the full pipeline",
        ),
        Target(
            "key-driver model wall",
            key_drivers.seconds if key_drivers.ok else float("nan"),
            KEY_DRIVER_SECONDS,
            "s",
            note=m_limit_note,
            judged=size.name == "M",
        ),
    ]
    report.targets += _loyalty_targets(loyalty, loyalty_daily)
    report.targets += _text_targets(text_full, text_daily, size.name)
    report.targets += dashboard_targets(dashboard, size.name)
    report.targets.append(checks_target(full, checks_off))
    if with_spark:
        report.targets.append(spark_target(spark, dagster))
    _compare_with_m(report, full_seconds if full_ok else float("nan"), full_peak)
    return report


def spark_target(spark: StageResult, duckdb: StageResult) -> Target:
    """The same `pulse run` with dbt on local Spark against DuckDB: reported beside it, never
    judged (local Spark on a few cores is not where Spark pays; docs/spark.md)."""
    both = spark.ok and duckdb.ok
    return Target(
        "pulse run, dbt on local Spark / on DuckDB",
        spark.seconds / duckdb.seconds if both else float("nan"),
        float("nan"),
        "x",
        note=f"{spark.seconds:.0f} s on Spark, {duckdb.seconds:.0f} s on DuckDB" if both else "",
        judged=False,
    )


TEXT_TEXTS_PER_SECOND = 5_000.0


def _text_targets(full: StageResult, daily: StageResult, size: str) -> list[Target]:
    """Scoring throughput (languages, sentiment and themes; the first run's model fit is
    reported beside it), judged on M, and a daily run that scores only the new texts."""
    details = full.details
    scoring = float(details.get("scoring_texts_per_second", float("nan")))
    new_texts = daily.details.get("new_texts")
    return [
        Target(
            "text scoring throughput",
            scoring if full.ok else float("nan"),
            TEXT_TEXTS_PER_SECOND,
            "texts/s",
            higher_is_better=True,
            note=(
                f"whole first run {full.rows_per_second:,.0f} texts/s, of which the model's"
                f" fit and cross-validation {details.get('fit_seconds')} s"
                if full.ok
                else ""
            )
            + ("" if size == "M" else "; the limit is set for M"),
            judged=size == "M",
        ),
        Target(
            "daily text run: texts scored other than the new ones",
            float(abs(daily.rows - int(new_texts))) if daily.ok and new_texts else float("nan"),
            0.0,
            "texts",
            note=f"{daily.rows} texts scored after {new_texts} new" if daily.ok else "",
        ),
    ]


def dashboard_targets(stage: StageResult, size: str) -> list[Target]:
    """The slowest page's queries together, and the slowest page's first paint."""
    queries = stage.details.get("page_query_seconds") or {}
    paint = stage.details.get("page_paint_seconds") or {}
    note = "" if size == "M" else "the limits are set for M"
    return [
        Target(
            "dashboard: a page's queries (slowest page)",
            max(queries.values()) if stage.ok and queries else float("nan"),
            QUERY_SECONDS,
            "s",
            note=note,
            judged=size == "M",
        ),
        Target(
            "dashboard: first paint in chromium (slowest page)",
            max(paint.values()) if stage.ok and paint else float("nan"),
            PAINT_SECONDS,
            "s",
            note=note if paint or not stage.ok else "no chromium on this machine",
            judged=size == "M",
        ),
    ]


def checks_target(full: PipelineResult, without_checks: PipelineResult) -> Target:
    """The checks' cost: the median of the ratios of runs taken in turn. The ratio of the
    two medians would set a run from a quiet minute against one from a busy minute."""
    pairs = paired_ratios(full, without_checks)
    medians = _ratio(full.seconds, without_checks.seconds)
    note = "dbt build + GX suites + reconciliation against dbt run only"
    if pairs:
        listed = ", ".join(f"{ratio:.2f}" for ratio in pairs)
        note += f"; pairs {listed}; ratio of the medians {medians:.2f}"
    return Target(
        "pipeline with every check / without checks",
        statistics.median(pairs) if pairs else float("nan"),
        1.2,
        "x",
        note=note,
    )


def _loyalty_targets(full: StageResult, daily: StageResult) -> list[Target]:
    """Loyalty marts: cost per million orders of history, and the daily run after 1% more
    orders against the growth of history (at most linear: the ratio stays near 1.01).
    Both on wall time, dbt's start-up included; the note gives dbt's execution phase."""
    per_million = _ratio(full.seconds, full.rows / 1e6) if full.ok else float("nan")
    growth = _ratio(daily.rows, full.rows)
    daily_ratio = _ratio(daily.seconds, full.seconds) if full.ok and daily.ok else float("nan")
    return [
        Target(
            "loyalty marts: seconds per million orders",
            per_million,
            LOYALTY_SECONDS_PER_MILLION_ORDERS,
            "s",
            note=f"of {full.seconds:.1f} s, dbt execution {_dbt_execution_seconds(full):.1f} s",
        ),
        Target(
            "loyalty daily run / full-history run, over history growth",
            _ratio(daily_ratio, growth),
            1.25,
            "x",
            note=f"history grew {growth:.3f}x; time grew {daily_ratio:.3f}x",
        ),
    ]


def _dbt_execution_seconds(stage: StageResult) -> float:
    """dbt's first node to its last, without its start-up (imports, manifest)."""
    seconds = stage.details.get("dbt_execution_seconds") if stage.ok else None
    return float(seconds) if seconds is not None else float("nan")


def _compare_with_m(report: Report, full_seconds: float, full_peak: int) -> None:
    """For L: peak memory, and time(L) / time(M) against the latest M results."""
    if report.size != "L":
        return
    report.targets.append(Target("L full pipeline peak memory", full_peak / GIB, 6.0, "GiB"))
    m_results = RESULTS_DIR / "M.json"
    m_seconds = float("nan")
    if m_results.exists():
        m_seconds = json.loads(m_results.read_text(encoding="utf-8"))["full_seconds"]
    report.targets.append(Target("time(L) / time(M)", _ratio(full_seconds, m_seconds), 11.0, "x"))


def render_markdown(report: Report) -> str:
    lines = [
        f"# Benchmark {report.size} ({report.started_at})",
        "",
        f"Machine and code: {report.machine}",
        "",
        "| stage | wall s (median) | runs | rows | rows/s | peak GiB | status |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for stage in report.stages:
        status = "ok" if stage.ok else f"FAILED: {stage.error}"
        lines.append(
            f"| {stage.name} | {stage.seconds:.2f} | {len(stage.runs)} | {stage.rows:,}"
            f" | {stage.rows_per_second:,.0f} | {stage.peak_rss_bytes / GIB:.2f} | {status} |"
        )
    lines += _where_time_goes(report)
    lines += ["", "| target | measured | limit | result | note |", "|---|---:|---:|---|---|"]
    for target in report.targets:
        sign = ">=" if target.higher_is_better else "<="
        limit = f"{sign} {target.limit:g} {target.unit}" if target.limit == target.limit else "none"
        lines.append(
            f"| {target.name} | {target.measured:.2f} {target.unit}"
            f" | {limit} | {_verdict(target)} | {target.note} |"
        )
    return "\n".join(lines) + "\n"


def _short_name(name: str) -> str:
    """A dbt unique id (model.customer_pulse.fct_orders) as its node name; files as they are."""
    kind, _, rest = name.partition(".")
    if kind in {"model", "test", "seed", "snapshot", "unit_test"} and rest:
        return rest.split(".")[1] if "." in rest else rest
    return name


def _where_time_goes(report: Report, count: int = 5) -> list[str]:
    """The slowest files of each ingest and the slowest nodes of each dbt stage."""
    lines = ["", "Where the time goes (slowest files and dbt nodes, seconds):", ""]
    for stage in report.stages:
        parts = stage.details.get("seconds_by_file") or stage.details.get("slowest_nodes")
        if not stage.ok or not parts:
            continue
        slowest = ", ".join(
            f"{_short_name(str(name))} {seconds:.1f}" for name, seconds in parts[:count]
        )
        lines.append(f"- {stage.name}: {slowest}")
    for stage in report.stages:
        queries = stage.details.get("page_query_seconds")
        if stage.ok and queries:
            paint = stage.details.get("page_paint_seconds") or {}
            pages = ", ".join(
                f"{page} {seconds:.2f}" + (f" (paint {paint[page]:.1f})" if page in paint else "")
                for page, seconds in queries.items()
            )
            lines.append(f"- {stage.name}, queries per page: {pages}")
    return lines if len(lines) > 3 else []


def _verdict(target: Target) -> str:
    if target.measured != target.measured:  # NaN: a stage failed or was skipped
        return "not measured"
    if not target.judged:
        return "not judged"
    return "pass" if target.passed else "FAIL"


def write_results(report: Report, results_dir: Path) -> tuple[Path, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    markdown = results_dir / f"{report.size}.md"
    markdown.write_text(render_markdown(report), encoding="utf-8")
    document = asdict(report)
    for stage, data in zip(report.stages, document["stages"], strict=True):
        data["seconds"] = stage.seconds
        data["rows_per_second"] = stage.rows_per_second
    for target, data in zip(report.targets, document["targets"], strict=True):
        data["passed"] = target.passed
    document["full_seconds"] = next(
        (t.measured for t in report.targets if t.name == "full pipeline wall (direct)"), None
    )
    json_path = results_dir / f"{report.size}.json"
    json_path.write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")
    return markdown, json_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each survey-ingestion stage")
    parser.add_argument(
        "--pipeline-runs",
        type=int,
        help="runs of each pipeline (full, without checks, Dagster, incremental, no new"
        " files) and loyalty build; default: 3 on M, 1 on S and L",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/pulse_bench"))
    parser.add_argument("--results", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--check", action="store_true", help="exit non-zero when a stage fails (smoke runs)"
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=OPTIONAL_GROUPS,
        default=[],
        help="leave out a group of stages (its targets report as not measured)",
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also run the full pulse run with dbt on local Spark (PULSE_TARGET=spark; needs"
        " Java), reported beside the DuckDB run, not judged",
    )
    options = parser.parse_args(argv)
    for name, value in ENVIRONMENT_BY_SIZE.get(options.size, {}).items():
        os.environ.setdefault(name, value)
        print(f"{name}={os.environ[name]}")
    report = run_benchmark(
        SIZES[options.size],
        options.scratch / options.size,
        options.repeat,
        options.seed,
        frozenset(options.skip),
        options.pipeline_runs or PIPELINE_RUNS_BY_SIZE.get(options.size, 1),
        with_spark=options.spark,
    )
    markdown, json_path = write_results(report, options.results)
    picture = plot_stage_times(options.results)
    print()
    print(render_markdown(report))
    print(f"results: {markdown} {json_path}" + (f" {picture}" if picture else ""))
    failed = [stage.name for stage in report.stages if not stage.ok]
    if options.check and failed:
        print(f"failed stages: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
