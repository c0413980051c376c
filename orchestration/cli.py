"""`pulse`: run the pipeline, load or inspect files, work the follow-up queue.

Also: read the load ledger, export customer lists as CRM imports, start the dashboard.

Every command exits non-zero with a one-line reason when it fails.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from ingestion import settings
from ingestion.detect import detect
from ingestion.load import FileResult
from ingestion.pipeline import expand_paths, ingest


class CommandError(Exception):
    """A failure the user can act on; printed as one line."""


def prepare_run_environment() -> None:
    """Pin the warehouse path, the target's settings and Dagster home for this process and
    the dbt it starts."""
    os.environ.update(settings.target_environment())
    home = Path(os.environ.get("DAGSTER_HOME") or settings.REPO_ROOT / ".dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    instance_config = home / "dagster.yaml"
    if not instance_config.exists():
        shutil.copyfile(settings.REPO_ROOT / "dagster.yaml", instance_config)
    os.environ["DAGSTER_HOME"] = str(home.resolve())


# What a dbt parse reads: when none of it changed, the manifest in target/ is current.
def prepare_dbt_manifest_when_changed() -> bool:
    """Parse dbt only when its inputs changed since the last parse; True when it parsed."""
    from orchestration.project import (
        PARSE_STAMP,
        dbt_parse_fingerprint,
        dbt_project,
        prepare_dbt_manifest,
    )

    manifest = Path(dbt_project().manifest_path)
    stamp = manifest.with_name(PARSE_STAMP)
    fingerprint = dbt_parse_fingerprint(Path(dbt_project().project_dir))
    current = (
        stamp.exists()
        and manifest.exists()
        and stamp.read_text(encoding="utf-8").strip() == fingerprint
        # Any dbt command that parsed into this target since (another warehouse, say)
        # rewrote the manifest and its partial-parse state: ours no longer describes them.
        and stamp.stat().st_mtime_ns >= manifest.stat().st_mtime_ns
    )
    if current:
        return False
    prepare_dbt_manifest()
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return True


def _print_file_results(results: list[FileResult]) -> None:
    width = max([len(result.file_name) for result in results] + [4])
    print(f"{'file':<{width}}  {'status':<17} {'rows in':>8} {'loaded':>8} {'quarant.':>8}  detail")
    for result in results:
        detail = result.error or result.layout or ""
        print(
            f"{result.file_name:<{width}}  {result.status:<17} {result.rows_in:>8}"
            f" {result.rows_loaded:>8} {result.rows_quarantined:>8}  {detail}"
        )


def command_ingest(args: argparse.Namespace) -> int:
    urls = [path for path in args.paths if "://" in path]
    if urls and len(args.paths) > 1:
        raise CommandError("an object-store prefix URL is ingested on its own")
    if urls:
        results = ingest(landing_root=urls[0])
    else:
        paths = [Path(path) for path in args.paths]
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}")
        landing_root = Path(args.root) if args.root else _common_root(paths)
        results = ingest(paths, landing_root=landing_root)
    if not results:
        raise CommandError("no export files found in the given paths")
    _print_file_results(results)
    failed = [result for result in results if result.status == "failed"]
    if failed:
        raise CommandError(f"{len(failed)} of {len(results)} files were not loaded (see detail)")
    return 0


def _common_root(paths: list[Path]) -> Path:
    resolved = [path.resolve() for path in paths]
    folders = [path if path.is_dir() else path.parent for path in resolved]
    return Path(os.path.commonpath([str(folder) for folder in folders]))


def command_detect(args: argparse.Namespace) -> int:
    files = expand_paths([Path(path) for path in args.paths])
    detections = [detect(path).as_dict() for path in files]
    print(
        json.dumps(
            detections[0] if len(detections) == 1 else detections, indent=2, ensure_ascii=False
        )
    )
    if not all(item["supported"] for item in detections):
        return 1
    return 0


def command_formats(args: argparse.Namespace) -> int:
    from ingestion.vendors import file_formats, vendors

    if args.sources:
        from ingestion.vendors import feedback_sources

        print("source\tfamily\tscale\tvendors")
        for source in feedback_sources():
            scale = f"{source.scale_min}..{source.scale_max}" if source.scale_min else ""
            print(f"{source.source}\t{source.family}\t{scale}\t{', '.join(source.vendors)}")
        return 0
    print("vendor\tfamily\tformat\tdescription")
    for vendor, file_format in sorted(
        file_formats(), key=lambda pair: (pair[0].name, pair[1].name)
    ):
        print(f"{vendor.name}\t{file_format.family}\t{file_format.name}\t{file_format.description}")
    apis = [vendor for vendor in vendors() if vendor.api]
    print(f"\n{len(apis)} vendor APIs: " + ", ".join(vendor.name for vendor in apis))
    return 0


def command_status(args: argparse.Namespace) -> int:
    from ingestion.warehouse import connect

    path = settings.warehouse_path()
    if not path.exists():
        raise CommandError(f"no warehouse at {path}: run `pulse run` or `pulse ingest` first")
    conn = connect(path, read_only=True)
    try:
        rows = conn.execute(
            "select file_name, status, format, rows_in, rows_loaded, rows_quarantined,"
            " strftime(started_at, '%Y-%m-%d %H:%M:%S'), coalesce(error, '')"
            " from raw.load_ledger order by started_at, file_name limit ?",
            [args.limit],
        ).fetchall()
    finally:
        conn.close()
    print("file_name\tstatus\tformat\trows_in\tloaded\tquarantined\tstarted_at_utc\terror")
    for row in rows:
        print("\t".join("" if value is None else str(value) for value in row))
    from orchestration.lib.quality.held_loads import held_loads

    held = held_loads(path)
    if held:
        print(
            f"\n{len(held)} loads held back from the marts"
            " (`pulse release LOAD_ID` after a fix, `pulse drop LOAD_ID` to remove one):"
        )
        print("load_id\tfile_name\tsource\theld_at_utc\treason")
        for load in held:
            print(
                f"{load.load_id}\t{load.file_name}\t{load.source or ''}\t{load.held_at}"
                f"\t{load.reason or ''}"
            )
    return 0


def command_audit(args: argparse.Namespace) -> int:
    from orchestration.lib.quality.gx_runner import audit_new_loads

    path = settings.warehouse_path()
    if not path.exists():
        raise CommandError(f"no warehouse at {path}: run `pulse ingest` first")
    outcomes = audit_new_loads(path)
    for outcome in outcomes:
        verdict = (
            f"could not run: {outcome.error}"
            if outcome.errored
            else f"{outcome.loads_validated or 0} new loads, {len(outcome.held)} held"
            + ("" if not outcome.blocking_failures else ", the table failed as a whole")
        )
        print(f"{outcome.suite_name}: {verdict}")
        for load in outcome.held:
            print(f"  held {load.load_id}: {load.describe()}")
    if any(outcome.errored or outcome.blocking_failures for outcome in outcomes):
        raise CommandError("the raw gates did not pass (see above)")
    return 0


def command_release(args: argparse.Namespace) -> int:
    from orchestration.lib.quality.held_loads import HeldLoadError, release_load

    still_held = 0
    for load_id in args.load_ids:
        try:
            verdict = release_load(settings.warehouse_path(), settings.landing_dir(), load_id)
        except (HeldLoadError, KeyError) as error:
            raise CommandError(str(error)) from None
        if verdict.held is not None:
            still_held += 1
            print(f"{load_id}: still held: {verdict.held.describe()}")
        else:
            print(
                f"{load_id}: released as load {verdict.load_id} ({verdict.status});"
                " the next `pulse run` brings its rows into the marts"
            )
    if still_held:
        raise CommandError(f"{still_held} of {len(args.load_ids)} loads are still held")
    return 0


def command_drop(args: argparse.Namespace) -> int:
    from orchestration.lib.quality.held_loads import HeldLoadError, drop_load

    for load_id in args.load_ids:
        try:
            removed = drop_load(settings.warehouse_path(), load_id)
        except HeldLoadError as error:
            raise CommandError(str(error)) from None
        print(f"{load_id}: dropped with its {removed} rows; its bytes will not be loaded again")
    return 0


def command_registry_suggest(args: argparse.Namespace) -> int:
    from ingestion.surveys.suggest import SuggestionError, suggest_entry

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        entry = suggest_entry(path, settings.landing_dir())
    except SuggestionError as error:
        raise CommandError(str(error)) from None
    if args.out:
        Path(args.out).write_text(entry, encoding="utf-8")
        print(
            f"wrote a proposed registry entry for {path.name} to {args.out}: review it, then"
            " add it to the survey registry"
        )
    else:
        print(entry, end="")
    return 0


def command_sample(args: argparse.Namespace) -> int:
    from ingestion.sample_data import generate_sample_data

    out = Path(args.out) if args.out else settings.landing_dir()
    counts = generate_sample_data(out, seed=args.seed, scale=args.scale)
    print(f"wrote {len(counts)} files, {sum(counts.values())} rows, to {out}")
    return 0


def command_run(args: argparse.Namespace) -> int:
    prepare_run_environment()
    from dagster import DagsterInstance
    from dagster._core.utils import make_new_run_id

    from orchestration.run_guard import recover_dead_runs, say_on_stderr

    prepare_dbt_manifest_when_changed()
    from orchestration.definitions import defs

    job = defs().resolve_job_def("pulse_pipeline")
    run_id = make_new_run_id()
    with DagsterInstance.get() as instance, stop_on_sigterm():
        for line in recover_dead_runs(instance):
            print(f"pulse: {line}", file=sys.stderr)
        days = settings.retention_days()
        if days is not None:
            print(apply_retention_now(days), flush=True)
        if args.verbose:
            result = _execute_run(job, instance, run_id, say=say_on_stderr)
            log = None
        else:
            result, log, own_warnings = _execute_run_quietly(job, instance, run_id)
            for message in own_warnings:
                print(f"warning: {message}", file=sys.stderr)
    if not result.success:
        failures = [event for event in result.all_events if event.is_step_failure]
        steps = ", ".join(event.step_key or "?" for event in failures) or "unknown step"
        locked = _lock_reason(failures)
        reasons = "".join(f"\n  {line}" for line in _failure_lines(failures))
        where = f"\nfull log: {log}" if log else ""
        raise CommandError(
            f"pipeline run {run_id} failed in: {steps}"
            + (f" ({locked})" if locked else "")
            + reasons
            + where
        )
    print(_summary_when_readable(run_id))
    if log:
        print(f"Full log: {log}")
    return 0


# How long the summary waits for another run's write to end before it is left out.
SUMMARY_WAIT_SECONDS = 120.0


def _summary_when_readable(run_id: str) -> str:
    """The run's summary; while another run writes the warehouse (DuckDB refuses a reader
    then), it is read again each second, and after SUMMARY_WAIT_SECONDS left out with the
    reason in one line: the run itself succeeded."""
    import time

    from ingestion.warehouse import describe_lock_error
    from orchestration.summary import render_summary

    deadline = time.monotonic() + SUMMARY_WAIT_SECONDS
    while True:
        try:
            return render_summary(settings.warehouse_path(), run_id=run_id)
        except duckdb.IOException as error:
            described = describe_lock_error(error)
            if described is None:
                raise
            if time.monotonic() >= deadline:
                return f"Run {run_id} succeeded; no summary: {described} (`pulse status`)"
            time.sleep(1.0)


def apply_retention_now(days: int) -> str:
    """Redact free text and personal fields older than `days` in raw and quarantine (the
    next build carries it into the marts and the published copy); one line saying what."""
    from ingestion.forget import apply_retention, describe_retention
    from ingestion.warehouse import connect, describe_lock_error, ensure_raw_schema

    path = settings.warehouse_path()
    if not path.exists():
        return f"retention ({days} days): no warehouse yet, nothing to redact"
    try:
        conn = connect(path)
    except duckdb.IOException as error:
        described = describe_lock_error(error)
        if described is None:
            raise
        return f"retention ({days} days): not applied by this run: {described}"
    try:
        ensure_raw_schema(conn)
        cutoff, counts = apply_retention(conn, days)
        if any(counts.values()):
            rewrite_lake_files(conn)
    finally:
        conn.close()
    return describe_retention(days, cutoff, counts)


def rewrite_lake_files(conn: Any) -> None:
    """After raw was edited in place (forgotten or redacted text keeps a load's row
    count), write every lake file again, when a lake is configured."""
    from ingestion.lake import open_lake, sync_lake

    lake = open_lake()
    if lake:
        sync_lake(conn, lake, rewrite=True)


def _execute_run(job: Any, instance: Any, run_id: str, say: Any) -> Any:
    """The job in this process, watched for a wait on the writer slot and for a step
    over its time limit."""
    from orchestration.run_guard import WriterSlotWatch, run_owner_tags, stop_waiting_run
    from orchestration.step_time_limit import StepTimeLimit, stop_overrunning_run

    # Both say why they stop a run where the user reads it (the terminal, when quiet).
    watch = WriterSlotWatch(
        instance,
        run_id,
        limit=settings.writer_wait_limit_seconds(),
        say=say,
        give_up=lambda reason: stop_waiting_run(instance, run_id, reason, say=say),
    )
    time_limit = StepTimeLimit(
        instance,
        run_id,
        limit=settings.step_time_limit_seconds(),
        give_up=lambda reason: stop_overrunning_run(instance, run_id, reason, say=say),
    )
    watch.start()
    time_limit.start()
    try:
        return job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_id=run_id,
            tags=run_owner_tags(),
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    except KeyboardInterrupt:
        raise CommandError(f"run {run_id} stopped on request") from None
    finally:
        time_limit.stop()
        watch.stop()


def _execute_run_quietly(job: Any, instance: Any, run_id: str) -> tuple[Any, Path, list[str]]:
    """The job with its output in a log file and one progress display on the terminal;
    the result, the log's path and our own warnings, once each."""
    from orchestration.run_console import ProgressDisplay, run_log_path, run_output_to_log

    log = run_log_path(settings.warehouse_path().parent / "logs", run_id)
    with run_output_to_log(log, settings.REPO_ROOT) as (terminal, own_warnings):
        progress = ProgressDisplay(instance, run_id, len(job.nodes), terminal)
        progress.start()
        try:
            result = _execute_run(job, instance, run_id, say=progress.say)
        finally:
            progress.stop()
    return result, log, own_warnings.messages


def _failure_lines(failures: list) -> list[str]:
    """Each failed step with the first line of its error."""
    lines = []
    for event in failures:
        error = event.step_failure_data.error if event.step_failure_data else None
        first = (error.message.strip().splitlines() or ["?"])[0] if error else "no error recorded"
        lines.append(f"{event.step_key}: {first[:300]}")
    return lines


def _lock_reason(failures: list) -> str | None:
    """The one-line lock message of the first step that failed on a held warehouse lock."""
    from ingestion.warehouse import describe_lock_error

    for event in failures:
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None:
            described = describe_lock_error(Exception(error.message))
            if described:
                return described
            error = error.cause
    return None


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does: steps end, the run is recorded as stopped and
    its pool slots are freed."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def command_doctor(args: argparse.Namespace) -> int:
    prepare_run_environment()
    from dagster import DagsterInstance

    from orchestration.doctor import diagnose

    with DagsterInstance.get() as instance:
        findings = diagnose(instance, repair=args.repair)
    for finding in findings:
        print(finding.line)
    unrepaired = [finding for finding in findings if finding.problem and not finding.repaired]
    if unrepaired:
        hint = "" if args.repair else " (`pulse doctor --repair` fixes what it can)"
        raise CommandError(f"{len(unrepaired)} problems found{hint}")
    return 0


def command_forget(args: argparse.Namespace) -> int:
    from ingestion.forget import forget
    from ingestion.warehouse import connect, ensure_raw_schema

    email, customer_id, older_than = args.email, args.customer_id, args.older_than
    if sum(value is not None for value in (email, customer_id, older_than)) != 1:
        raise CommandError(
            "name one person (--email ADDRESS or --customer-id ID), or --older-than DAYS"
        )
    if older_than is not None and older_than < 1:
        raise CommandError("--older-than takes a whole number of days, 1 or more")
    path = settings.warehouse_path()
    if not path.exists():
        raise CommandError(f"no warehouse at {path}: nothing to forget")
    if older_than is not None:
        print(apply_retention_now(older_than))
    else:
        conn = connect(path)
        try:
            ensure_raw_schema(conn)
            forgotten = forget(conn, settings.pseudonym_key(), email=email, customer_id=customer_id)
            rewrite_lake_files(conn)
        finally:
            conn.close()
        tables = ", ".join(f"{table} {rows}" for table, rows in forgotten.rows.items() if rows)
        print(
            f"forgotten: {forgotten.rows_removed} raw rows removed ({tables or 'none'}),"
            f" {forgotten.quarantined} quarantined records, {forgotten.text_masked} texts"
            " masked; the request is kept as a hash, so re-delivered files stay without them"
        )
    if os.environ.get("PULSE_PG_HOST"):
        from ingestion.postgres_copy import copy_raw_layer

        copy_raw_layer(path)
        print("PostgreSQL: raw layer replaced; `dbt build --target postgres` rebuilds its marts")
    if args.no_run:
        print("staging, marts and the published copy lose them at the next `pulse run`")
        return 0
    return command_run(args)


def command_followup_list(args: argparse.Namespace) -> int:
    from orchestration.follow_up import FollowUpError, open_cases

    try:
        columns, rows = open_cases(args.limit, past_due_only=args.past_due)
    except FollowUpError as error:
        raise CommandError(str(error)) from None
    print("\t".join(columns))
    for row in rows:
        print("\t".join("" if value is None else str(value) for value in row))
    return 0


def command_followup_close(args: argparse.Namespace) -> int:
    from orchestration.follow_up import FollowUpError, close_case

    try:
        recorded = close_case(args.case, args.note, action=args.action, actor=args.actor)
    except FollowUpError as error:
        raise CommandError(str(error)) from None
    case = recorded.case
    print(f"case {case.case_id} ({case.channel}, {case.source}: {case.reason}): {recorded.action}")
    where = recorded.landing_file
    if recorded.result is None:
        print(f"recorded in {where}; the warehouse is busy, so the next run loads it")
    else:
        print(f"recorded in {where} and loaded; the queue shows it after the next `pulse run`")
    return 0


def command_export_audience(args: argparse.Namespace) -> int:
    from orchestration.audiences import AudienceError, export_audience

    try:
        if args.out:
            with Path(args.out).open("w", encoding="utf-8", newline="") as handle:
                rows = export_audience(args.name, handle, args.format)
            print(f"wrote {rows} rows to {args.out}", file=sys.stderr)
        else:
            export_audience(args.name, sys.stdout, args.format)
    except AudienceError as error:
        raise CommandError(str(error)) from None
    return 0


def command_dashboard(args: argparse.Namespace) -> int:
    from orchestration.dashboard.launch import (
        base_url,
        dashboard_environment,
        streamlit_command,
    )

    published = settings.published_warehouse_path()
    if not published.is_file():
        raise CommandError(f"no published copy at {published}: run `pulse run` first")
    print(
        f"Customer Pulse dashboard on {base_url(args.port)}, reading {published} (read-only);"
        " Ctrl-C stops it",
        flush=True,
    )
    command = streamlit_command(args.port)
    # Streamlit's server takes this process over: Ctrl-C and signals reach it directly.
    os.execve(command[0], command, dashboard_environment(published))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulse", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log every step")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run",
        help="materialise every asset (ingest, dbt build, checks)",
        description="Shows one progress display and a summary; the full log goes to a file"
        " beside the warehouse (logs/), whose path the summary names.",
    )
    run.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="stream every log line (Dagster, dbt, checks) instead of the progress display",
    )
    run.set_defaults(handler=command_run)

    forget_cmd = commands.add_parser(
        "forget",
        help="remove a person from raw, quarantine, marts and the published copy;"
        " or redact records older than a number of days",
    )
    forget_cmd.add_argument("--email", help="the person's e-mail address")
    forget_cmd.add_argument("--customer-id", help="the person's customer id")
    forget_cmd.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        help="redact free text and personal fields of records older than DAYS days"
        " (what PULSE_RETENTION_DAYS makes every run do)",
    )
    forget_cmd.add_argument(
        "--no-run", action="store_true", help="leave the rebuild of marts to the next run"
    )
    forget_cmd.set_defaults(handler=command_forget)

    doctor = commands.add_parser(
        "doctor", help="find (and with --repair fix) dead runs, held pool slots, temp files, locks"
    )
    doctor.add_argument("--repair", action="store_true", help="repair what is safe to repair")
    doctor.set_defaults(handler=command_doctor)

    ingest_cmd = commands.add_parser("ingest", help="load files into the raw layer")
    ingest_cmd.add_argument(
        "paths", nargs="+", help="files or folders, or one object-store prefix URL"
    )
    ingest_cmd.add_argument("--root", help="folder file names are recorded relative to")
    ingest_cmd.set_defaults(handler=command_ingest)

    detect_cmd = commands.add_parser("detect", help="print the detected vendor and layout as JSON")
    detect_cmd.add_argument("paths", nargs="+", help="files or folders")
    detect_cmd.set_defaults(handler=command_detect)

    formats = commands.add_parser("formats", help="list the vendors and file formats read")
    formats.add_argument(
        "--sources", action="store_true", help="list the feedback sources the gates accept"
    )
    formats.set_defaults(handler=command_formats)

    status = commands.add_parser("status", help="print the load ledger and the held loads")
    status.add_argument("--limit", type=int, default=1000)
    status.set_defaults(handler=command_status)

    audit = commands.add_parser(
        "audit", help="run the raw gates on new loads: publish to staging, or hold"
    )
    audit.set_defaults(handler=command_audit)

    release = commands.add_parser(
        "release", help="audit held loads again (after the suite or mapping was fixed)"
    )
    release.add_argument("load_ids", nargs="+", metavar="LOAD_ID")
    release.set_defaults(handler=command_release)

    drop = commands.add_parser("drop", help="remove loads with their rows")
    drop.add_argument("load_ids", nargs="+", metavar="LOAD_ID")
    drop.set_defaults(handler=command_drop)

    registry = commands.add_parser("registry", help="work with the survey registry")
    registry_commands = registry.add_subparsers(dest="registry_command", required=True)
    suggest = registry_commands.add_parser(
        "suggest", help="propose a registry entry for a survey file, for a person to review"
    )
    suggest.add_argument("file", help="a survey export file")
    suggest.add_argument("--out", help="write the entry here instead of printing it")
    suggest.set_defaults(handler=command_registry_suggest)

    sample = commands.add_parser("sample", help="write the deterministic sample data set")
    sample.add_argument("--out", help="folder (default: the landing folder)")
    sample.add_argument("--seed", type=int, default=42)
    sample.add_argument("--scale", type=float, default=1.0)
    sample.set_defaults(handler=command_sample)

    followup = commands.add_parser("followup", help="the follow-up queue: list and close cases")
    followup_commands = followup.add_subparsers(dest="followup_command", required=True)
    listing = followup_commands.add_parser("list", help="open cases in queue order")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--past-due", action="store_true", help="only cases past their due time")
    listing.set_defaults(handler=command_followup_list)
    close = followup_commands.add_parser("close", help="record that a case is closed")
    close.add_argument("case", help="case id (or a unique prefix of at least 6 characters)")
    close.add_argument("--note", required=True, help="what was done")
    close.add_argument(
        "--action", default="resolved", help="resolved (default) or no_action (closed uncontacted)"
    )
    close.add_argument("--actor", help="who acted (default: $PULSE_FOLLOWUP_ACTOR or your login)")
    close.set_defaults(handler=command_followup_close)

    dashboard = commands.add_parser(
        "dashboard", help="start the dashboard on the published copy (http://127.0.0.1:8501)"
    )
    dashboard.add_argument("--port", type=int, default=8501)
    dashboard.set_defaults(handler=command_dashboard)

    export = commands.add_parser("export", help="export lists for other tools")
    export_commands = export.add_subparsers(dest="export_command", required=True)
    audience = export_commands.add_parser(
        "audience", help="a customer list as a CRM import: lapsing or appreciation"
    )
    audience.add_argument("name", help="lapsing (we-miss-you) or appreciation")
    audience.add_argument("--format", default="csv", choices=["csv"])
    audience.add_argument("--out", help="file to write (default: standard output)")
    audience.set_defaults(handler=command_export_audience)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    level = logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Dagster's loggers set their own level; the handler's level keeps them to ours.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    try:
        return int(args.handler(args))
    except CommandError as error:
        print(f"pulse: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        from ingestion.warehouse import describe_lock_error

        described = describe_lock_error(error)
        if described is None:
            raise
        print(f"pulse: {described}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"pulse: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
