"""What `pulse run` shows while it works: one progress display (elapsed time, steps done
of the job's, what runs now, assets and checks so far) and, at the end, each warning of
our own once. Everything else the run prints, Dagster's events, dbt's output, library
warnings, goes to a log file the summary names. `pulse run --verbose` streams it all.

The log takes this process's file descriptors 1 and 2, so dbt and other child processes
write there too; progress lines go to a copy of the terminal taken before."""

from __future__ import annotations

import io
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import dagster as dg

# Logs kept beside the warehouse; older ones are removed when a run starts.
LOGS_KEPT = 30
# A terminal redraws one line this often. A pipe or file gets a line only when something
# moved, and at most every LINE_SECONDS or LINE_SHARE of the time elapsed, whichever is
# longer: a long run (an M backfill) adds lines slowly, so the output stays short.
REDRAW_SECONDS = 0.5
LINE_SECONDS = 15.0
LINE_SHARE = 0.25
PROGRESS_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
}
FINISHED = {
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
}


def run_log_path(logs: Path, run_id: str, now: datetime | None = None) -> Path:
    """Where this run's full log goes, pruning all but the latest LOGS_KEPT - 1 logs."""
    logs.mkdir(parents=True, exist_ok=True)
    for old in sorted(logs.glob("pulse-run-*.log"))[: -(LOGS_KEPT - 1)]:
        old.unlink(missing_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return logs / f"pulse-run-{stamp}-{run_id[:8]}.log"


@dataclass
class OwnWarnings:
    """Warnings raised by project code, each message once, in order; every warning also
    goes to the log as Python would have printed it."""

    project_root: Path
    messages: list[str] = field(default_factory=list)

    def is_own(self, filename: str) -> bool:
        path = Path(filename).resolve()
        return path.is_relative_to(self.project_root) and ".venv" not in path.parts

    def record(self, message: str, filename: str) -> None:
        if self.is_own(filename) and message not in self.messages:
            self.messages.append(message)


@contextmanager
def run_output_to_log(log_path: Path, project_root: Path) -> Iterator[tuple[TextIO, OwnWarnings]]:
    """Send stdout and stderr (this process's and its children's) to `log_path`; yield a
    stream to the terminal and the warnings of our own code seen meanwhile."""
    own = OwnWarnings(project_root.resolve())
    terminal, detached = _terminal_stream()
    sys.stdout.flush()
    sys.stderr.flush()
    saved = (os.dup(1), os.dup(2))
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def show(message, category, filename, lineno, file=None, line=None):
        own.record(str(message), filename)
        log_stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    # Python-level writes too, for when sys.stdout is not descriptor 1 (a test's capture).
    streams = (sys.stdout, sys.stderr)
    log_stream = open(  # noqa: SIM115 - closed in the finally below
        os.dup(log_fd), "w", buffering=1, encoding="utf-8", errors="replace"
    )
    try:
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        sys.stdout = sys.stderr = log_stream
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = show
            yield terminal, own
    finally:
        log_stream.flush()
        sys.stdout, sys.stderr = streams
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        log_stream.close()
        for descriptor in (*saved, log_fd):
            os.close(descriptor)
        if detached:
            terminal.close()


def _terminal_stream() -> tuple[TextIO, bool]:
    """A stream to where stderr goes now, which the redirection leaves in place: a copy of
    descriptor 2, or sys.stderr itself when it is not backed by it (a test's capture)."""
    try:
        if sys.stderr.fileno() == 2:
            stream = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
            return stream, True
    except (AttributeError, OSError, io.UnsupportedOperation):
        pass
    return sys.stderr, False


@dataclass
class Progress:
    """What the run has done so far, from its event log."""

    total_steps: int
    started_at: float = field(default_factory=time.monotonic)
    running: list[str] = field(default_factory=list)
    finished: int = 0
    failed: int = 0
    materialized: int = 0
    checked: int = 0

    def apply(self, event_type: dg.DagsterEventType, step_key: str | None) -> None:
        if event_type == dg.DagsterEventType.STEP_START and step_key:
            self.running.append(step_key)
        elif event_type in FINISHED:
            self.finished += 1
            self.failed += event_type == dg.DagsterEventType.STEP_FAILURE
            if step_key in self.running:
                self.running.remove(step_key)
        elif event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self.materialized += 1
        elif event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            self.checked += 1

    def line(self, now: float | None = None) -> str:
        elapsed = int((now if now is not None else time.monotonic()) - self.started_at)
        minutes, seconds = divmod(elapsed, 60)
        parts = [f"[{minutes:02d}:{seconds:02d}] {self.finished}/{self.total_steps} steps"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.running:
            shown = ", ".join(self.running[:2]) + (
                f" +{len(self.running) - 2}" if len(self.running) > 2 else ""
            )
            parts.append(f"running {shown}")
        parts.append(f"{self.materialized} assets, {self.checked} checks")
        return " · ".join(parts)

    def moved(self) -> tuple[int, int, int, int, tuple[str, ...]]:
        return (self.finished, self.materialized, self.checked, self.failed, tuple(self.running))


class ProgressDisplay(threading.Thread):
    """Reads the run's new events every REDRAW_SECONDS and shows its progress: a line
    redrawn in place on a terminal, else a new line when something moved and enough time
    passed since the last (see LINE_SECONDS)."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        total_steps: int,
        terminal: TextIO,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(name="run-progress", daemon=True)
        self.instance = instance
        self.run_id = run_id
        self.progress = Progress(total_steps, started_at=clock())
        self.terminal = terminal
        self.clock = clock
        self.in_place = _is_terminal(terminal)
        self._halt = threading.Event()
        self._cursor: str | None = None
        self._shown: tuple[int, int, int, int, tuple[str, ...]] | None = None
        self._shown_at = float("-inf")

    def run(self) -> None:
        while not self._halt.wait(REDRAW_SECONDS):
            self.poll()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)
        self.poll()
        self.show(final=True)

    def _line_gap(self, now: float) -> float:
        return max(LINE_SECONDS, LINE_SHARE * (now - self.progress.started_at))

    def say(self, line: str) -> None:
        """A message of its own line (the writer-slot watch's), under the progress."""
        self.terminal.write(("\r\x1b[K" if self.in_place else "") + line + "\n")
        self.terminal.flush()
        self._shown = None

    def poll(self) -> None:
        try:
            connection = self.instance.get_records_for_run(
                self.run_id, cursor=self._cursor, of_type=PROGRESS_EVENTS
            )
        except Exception:  # storage busy for a moment: read again at the next poll
            return
        for record in connection.records:
            event = record.event_log_entry.dagster_event
            if event is not None:
                self.progress.apply(event.event_type, record.event_log_entry.step_key)
        self._cursor = connection.cursor
        self.show()

    def show(self, final: bool = False) -> None:
        now = self.clock()
        moved = self.progress.moved() != self._shown
        if self.in_place:
            self.terminal.write("\r\x1b[K" + self.progress.line(now) + ("\n" if final else ""))
        elif moved and (final or now - self._shown_at >= self._line_gap(now)):
            self.terminal.write(self.progress.line(now) + "\n")
        else:
            return
        self.terminal.flush()
        self._shown, self._shown_at = self.progress.moved(), now


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
