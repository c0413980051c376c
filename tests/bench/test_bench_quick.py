"""Smoke test of the benchmark: the S workload, written and run through the real stages."""

import hashlib
import json
import math
import statistics
from pathlib import Path

import pytest

from bench.plot import plot_stage_times, stage_seconds
from bench.run import (
    Pipeline,
    PipelineResult,
    Report,
    StageResult,
    Target,
    checks_target,
    dashboard_targets,
    main,
    paired_ratios,
    render_markdown,
    run_interleaved,
    run_repeated,
    run_stage,
    without_publish_note,
    write_results,
)
from bench.workloads import SIZES, SURVEY_EXPORT, write_increment, write_workload
from ingestion.detect import detect
from orchestration.dashboard.browser import chromium_path

PAINT_TARGET = "dashboard: first paint in chromium (slowest page)"

SMALL = SIZES["S"]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def workload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    landing = tmp_path_factory.mktemp("bench") / "landing"
    write_workload(landing, SMALL, seed=7)
    return landing


def test_workload_is_seeded(workload: Path, tmp_path: Path) -> None:
    write_workload(tmp_path / "same", SMALL, seed=7)
    write_workload(tmp_path / "other", SMALL, seed=8)
    assert _digest(tmp_path / "same") == _digest(workload)
    other = _digest(tmp_path / "other")
    assert other[str(SURVEY_EXPORT)] != _digest(workload)[str(SURVEY_EXPORT)]


def test_every_workload_file_is_detected(workload: Path) -> None:
    layouts = {
        str(path.relative_to(workload)): detect(path).as_dict() for path in workload.rglob("*.csv")
    }
    assert all(item["supported"] for item in layouts.values()), layouts
    assert layouts[str(SURVEY_EXPORT)]["layout"] == "qualtrics_csv_3_header"
    data_lines = len((workload / SURVEY_EXPORT).read_text(encoding="utf-8").splitlines()) - 3
    assert data_lines == SMALL.survey_responses


def _args(workload: Path, tmp_path: Path, warehouse: str) -> dict[str, str]:
    return {
        "file": str(workload / SURVEY_EXPORT),
        "landing": str(workload),
        "scratch": str(tmp_path),
        "warehouse": str(tmp_path / warehouse),
    }


def test_stages_load_every_row(workload: Path, tmp_path: Path) -> None:
    floor = run_stage("floor", "duckdb_floor", _args(workload, tmp_path, "floor.duckdb"))
    one_file = run_stage("ingest", "ingest_file", _args(workload, tmp_path, "one.duckdb"))
    assert floor.ok and one_file.ok, (floor.error, one_file.error)
    assert floor.rows == one_file.rows == SMALL.survey_responses
    assert one_file.peak_rss_bytes > 0 and one_file.rows_per_second > 0

    everything = _args(workload, tmp_path, "all.duckdb")
    full = run_stage("ingest all", "ingest_all", everything)
    checks = run_stage("checks", "gx_checks", {**everything, "schema": "raw"})
    assert full.ok and checks.ok, (full.error, checks.error)
    expected = (
        SMALL.survey_responses + SMALL.reviews + 4 * SMALL.polls + SMALL.customers + SMALL.orders
    )
    assert full.rows == expected
    # Where the ingest's time went: every file's load from the ledger, slowest first.
    per_file = full.details["seconds_by_file"]
    assert sorted(name for name, _ in per_file) == sorted(
        str(path.relative_to(workload)) for path in workload.rglob("*.csv")
    )
    assert [seconds for _, seconds in per_file] == sorted(
        (seconds for _, seconds in per_file), reverse=True
    )

    # New files only: the base files are skipped by the ledger, so only the 1% is read.
    increment = write_increment(workload, SMALL, seed=7)
    try:
        again = run_stage("incremental", "ingest_all", everything)
    finally:
        for relative in increment:
            (workload / relative).unlink()
    assert again.ok, again.error
    assert again.rows == sum(
        count * (4 if p.startswith("polls/") else 1) for p, count in increment.items()
    )


def test_failed_stage_is_reported_not_raised(tmp_path: Path) -> None:
    args = _args(tmp_path, tmp_path, "missing.duckdb") | {"file": str(tmp_path / "absent.csv")}
    result = run_stage("floor", "duckdb_floor", args)
    assert not result.ok
    assert "absent.csv" in (result.error or "")


def test_a_repeated_pipeline_reports_the_median_of_its_runs(workload: Path, tmp_path: Path) -> None:
    restores: list[int] = []
    report = Report("S", "2026-01-01T00:00:00+00:00", {})
    steps = [
        ("floor", "duckdb_floor", _args(workload, tmp_path, "floor.duckdb")),
        ("ingest", "ingest_file", _args(workload, tmp_path, "one.duckdb")),
    ]
    result = run_repeated(steps, report, 3, before_each=lambda: restores.append(1))
    assert restores == [1, 1, 1]
    assert result.ok
    assert [len(stage.runs) for stage in report.stages] == [3, 3]
    floor, ingest = report.stages
    totals = sorted(a + b for a, b in zip(floor.runs, ingest.runs, strict=True))
    assert result.seconds == pytest.approx(totals[1])

    # A failed step ends the repetitions: the steps after it and the runs after it.
    failing = [("floor", "duckdb_floor", {**steps[0][2], "file": str(tmp_path / "absent.csv")})]
    broken = Report("S", "2026-01-01T00:00:00+00:00", {})
    result = run_repeated([*failing, steps[1]], broken, 3)
    assert not result.ok and math.isnan(result.seconds)
    assert [(stage.name, len(stage.runs), stage.ok) for stage in broken.stages] == [
        ("floor", 0, False)
    ]


def test_compared_pipelines_take_turns_and_one_failing_leaves_the_other(
    workload: Path, tmp_path: Path
) -> None:
    turns: list[str] = []
    report = Report("S", "2026-01-01T00:00:00+00:00", {})
    floor = ("floor", "duckdb_floor", _args(workload, tmp_path, "floor.duckdb"))
    ingest = ("ingest", "ingest_file", _args(workload, tmp_path, "one.duckdb"))
    missing = ("missing", "duckdb_floor", {**floor[2], "file": str(tmp_path / "absent.csv")})
    results = run_interleaved(
        [
            Pipeline([floor], before_each=lambda: turns.append("floor")),
            Pipeline([missing], before_each=lambda: turns.append("missing")),
            Pipeline([ingest], before_each=lambda: turns.append("ingest")),
        ],
        report,
        2,
    )
    # Turns alternate; the failed pipeline is not run again, the others are.
    assert turns == ["floor", "missing", "ingest", "floor", "ingest"]
    assert [result.ok for result in results] == [True, False, True]
    assert math.isnan(results[1].seconds)
    assert [(stage.name, len(stage.runs)) for stage in report.stages] == [
        ("floor", 2),
        ("missing", 0),
        ("ingest", 2),
    ]
    assert results[0].seconds == pytest.approx(statistics.median(report.stages[0].runs))
    # Runs taken in turn pair up: run i of one against run i of the other.
    assert results[0].run_seconds == tuple(report.stages[0].runs)
    assert paired_ratios(results[0], results[2]) == pytest.approx(
        [a / b for a, b in zip(report.stages[0].runs, report.stages[2].runs, strict=True)]
    )
    assert paired_ratios(results[0], results[1]) == []


def test_checks_target_is_the_median_of_the_paired_ratios() -> None:
    # A busy minute slows both pipelines of a pair: the pairs see through it, the ratio of
    # the two medians does not.
    full = PipelineResult((110.0, 116.0, 99.0), 0, ok=True)
    without = PipelineResult((95.0, 81.0, 80.0), 0, ok=True)
    target = checks_target(full, without)
    assert target.measured == pytest.approx(99.0 / 80.0)
    assert "pairs 1.16, 1.43, 1.24" in target.note
    assert "ratio of the medians 1.36" in target.note
    broken = checks_target(full, PipelineResult((), 0, ok=False))
    assert math.isnan(broken.measured) and not broken.passed


def test_targets_and_results(tmp_path: Path) -> None:
    assert Target("ratio", 1.2, 1.3, "x").passed
    assert not Target("ratio", 1.4, 1.3, "x").passed
    assert Target("speed-up", 3.5, 3.0, "x", higher_is_better=True).passed
    assert not Target("unmeasured", math.nan, 120.0, "s").passed

    report = Report("S", "2026-01-01T00:00:00+00:00", {"a.csv": 10})
    report.stages = [
        StageResult(
            "ingest",
            "ingest_all",
            10,
            [2.0, 1.0, 3.0],
            1024,
            ok=True,
            details={"seconds_by_file": [("surveys/a.csv", 1.5), ("orders.csv", 0.25)]},
        ),
        StageResult(
            "dbt build",
            "dbt_build",
            10,
            [4.0],
            1024,
            ok=True,
            details={"slowest_nodes": [("model.customer_pulse.fct_orders", 3.0)]},
        ),
    ]
    report.targets = [
        Target("full pipeline wall (direct)", 2.0, 120.0, "s"),
        # An M limit on another size's run is shown, not judged.
        Target("full pipeline peak memory", 4.6, 3.0, "GiB", judged=False),
    ]
    markdown_path, json_path = write_results(report, tmp_path)
    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert document["stages"][0]["seconds"] == 2.0  # the median of three runs
    assert document["stages"][0]["rows_per_second"] == 5.0
    assert document["targets"][0]["passed"] is True
    assert document["full_seconds"] == 2.0
    assert "| full pipeline wall (direct) | 2.00 s | <= 120 s | pass |" in render_markdown(report)
    assert "| full pipeline peak memory | 4.60 GiB | <= 3 GiB | not judged |" in render_markdown(
        report
    )
    assert "- ingest: surveys/a.csv 1.5, orders.csv 0.2" in render_markdown(report)
    assert "- dbt build: fct_orders 3.0" in render_markdown(report)
    assert markdown_path.read_text(encoding="utf-8") == render_markdown(report)


def test_the_daily_ratio_is_also_given_without_its_publish() -> None:
    """The 1% run includes its publish and the full wall does not: the note gives the
    ratio of the same work on both sides."""
    publish = StageResult("incremental: publish marts", "publish", 5, [4.0], 1024, ok=True)
    daily = PipelineResult((54.0,), 1024, ok=True)
    assert without_publish_note(publish, daily, 100.0) == "; without its publish (4.0 s) 0.50x"
    assert without_publish_note(publish, PipelineResult((), 0, ok=False), 100.0) == ""
    assert without_publish_note(publish, daily, math.nan) == ""


def test_the_stage_picture_draws_every_size_with_results(tmp_path: Path) -> None:
    for size, seconds in (("S", 1.0), ("M", 10.0)):
        report = Report(size, "2026-01-01T00:00:00+00:00", {})
        report.stages = [
            StageResult("full: dbt build", "dbt_build", 10, [seconds], 1024, ok=True),
            StageResult("broken", "dbt_build", 0, [], 0, ok=False, error="boom"),
        ]
        write_results(report, tmp_path)
    assert stage_seconds(tmp_path) == {
        "S": {"full: dbt build": 1.0},
        "M": {"full: dbt build": 10.0},
    }
    picture = plot_stage_times(tmp_path)
    assert picture == tmp_path / "stage_times.png" and picture.stat().st_size > 1000
    assert plot_stage_times(tmp_path / "none") is None


def test_stage_memory_is_its_own_not_the_runners() -> None:
    """A stage forked from a large runner reports its own peak, not the runner's size."""
    import subprocess
    import sys

    runner_ballast = bytearray(800 * 1024 * 1024)
    for offset in range(0, len(runner_ballast), 4096):  # touch every page: resident
        runner_ballast[offset] = 1
    completed = subprocess.run(
        [sys.executable, "-c", "from bench.stages import peak_rss_bytes; print(peak_rss_bytes())"],
        capture_output=True,
        text=True,
        check=True,
    )
    del runner_ballast
    assert int(completed.stdout) < 400 * 1024 * 1024


def test_dashboard_targets_judge_the_slowest_page() -> None:
    details = {
        "page_query_seconds": {"Overview": 0.4, "Reviews": 0.9},
        "page_paint_seconds": {"Overview": 2.5, "Reviews": 3.5},
    }
    stage = StageResult("dashboard: every page", "dashboard", 2, [9.0], 0, True, None, details)
    queries, paint = dashboard_targets(stage, "M")
    assert (queries.measured, queries.passed) == (0.9, True)
    assert (paint.name, paint.measured, paint.passed) == (PAINT_TARGET, 3.5, False)
    without_browser = StageResult(
        "dashboard: every page",
        "dashboard",
        2,
        [9.0],
        0,
        True,
        None,
        {**details, "page_paint_seconds": None},
    )
    _, unmeasured = dashboard_targets(without_browser, "S")
    assert math.isnan(unmeasured.measured) and unmeasured.note == "no chromium on this machine"
    report = Report("M", "now", {}, [stage], [queries, paint])
    assert "- dashboard: every page, queries per page: Overview 0.40 (paint 2.5)," in (
        render_markdown(report)
    )


def test_bench_quick_runs_every_stage_and_measures_every_target(tmp_path: Path) -> None:
    """What `make bench-quick` runs, end to end on S: every pipeline (full, without checks,
    Dagster, incremental, no new files), the loyalty builds and the baselines succeed, and
    each target gets a measured value in both result files. S judges no time."""
    results = tmp_path / "results"
    argv = ["--size", "S", "--repeat", "1", "--check", "--scratch", str(tmp_path / "scratch")]
    assert main([*argv, "--results", str(results)]) == 0
    document = json.loads((results / "S.json").read_text(encoding="utf-8"))
    failed = [(stage["name"], stage["error"]) for stage in document["stages"] if not stage["ok"]]
    assert not failed
    stages = {stage["name"] for stage in document["stages"]}
    for expected in (
        "full: dbt build",
        "no checks: dbt run",
        "full: pulse run (Dagster)",
        "full: key-driver model",
        "incremental: dbt build",
        "no new files: dbt build",
        "loyalty: daily run after 1%",
        "DuckDB read_csv (floor)",
        "full: text scoring",
        "text: score every text",
        "text: daily run after 1%",
        "dashboard: every page",
    ):
        assert expected in stages, expected
    unmeasured = [t["name"] for t in document["targets"] if not math.isfinite(t["measured"])]
    # The first paint needs a browser; everything else is measured everywhere.
    assert unmeasured == ([] if chromium_path() else [PAINT_TARGET])
    markdown = (results / "S.md").read_text(encoding="utf-8")
    assert all(f"| {target['name']} |" in markdown for target in document["targets"])
    assert "Machine and code: " in markdown and " cores, " in markdown
    assert (results / "stage_times.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
