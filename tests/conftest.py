"""Shared fixtures: the project's own small landing files, a throwaway warehouse, and
local webhook and SMTP servers that alerts are sent to."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from _pytest.nodeid import coerce_node_id
from aiosmtpd.controller import Controller

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_LANDING = TESTS_DIR / "fixtures" / "landing"
SHARED_REAL_FIXTURES = TESTS_DIR.parent.parent / "shared" / "fixtures" / "real"
# raw.survey_answers holds one row per response with parallel item and answer lists (a
# blank cell as a null answer); this subquery reads it one row per answered item, as
# staging unnests it.
RAW_ANSWERS_LONG = (
    "(select * from (select survey_id, response_id, unnest(item_ids) as item_id,"
    " unnest(answers) as answer, _source, _file_name, _row_number, _load_id"
    " from raw.survey_answers) where answer is not null)"
)


# Test folders whose modules share session-scoped fixtures (a sample run, a Postgres
# database): under pytest-xdist their tests stay on one worker, so each is built once.
SHARED_SESSION_FIXTURE_DIRS = frozenset({"dashboard", "postgres", "text"})
# The longest groups (minutes each on two cores, from CI's --durations), handed out
# first: with --no-loadscope-reorder xdist gives a free worker the next group in
# collection order, so a long group collected last would run alone at the end while the
# other worker idles (xdist's own order, by number of tests, put Spark near the end).
LONGEST_GROUPS_FIRST = (
    "spark",
    "bench/test_bench_quick.py",
    "reliability/test_killed_and_overlapping_runs.py",
    "integration/test_held_loads.py",
    "integration/test_pipeline.py",
    "postgres",
    "dashboard",
    "integration/test_key_drivers_run.py",
    "followup/test_followup_sample.py",
    "integration/test_vendor_formats_flow.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """Each xdist worker parses the dbt project into its own target folder, so one worker's
    parse never rewrites the manifest another worker's run is reading."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and not os.environ.get("DBT_TARGET_PATH"):
        os.environ["DBT_TARGET_PATH"] = f"target/{worker}"
    main = sys.modules["__main__"]
    if worker and main.__spec__ is None and not hasattr(main, "__file__"):
        # An xdist worker runs as `python -c`: its __main__ has no spec and no file, and
        # pyspark, which Great Expectations imports, then takes the process for a doctest
        # run and exits it (pyspark.sql.connect.utils.check_dependencies). Name the file.
        main.__file__ = f"<pytest-xdist worker {worker}>"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup`, a module's tests share a worker (its module fixtures are
    built once), and so do the folders in SHARED_SESSION_FIXTURE_DIRS. The group is
    written into the node id as xdist does for an `xdist_group` mark (`id@group`): its
    own hook reads the marks before a conftest hook could add them."""
    if not config.getoption("loadgroup", default=False):
        return
    for item in items:
        relative = item.path.relative_to(TESTS_DIR)
        group = relative.parts[0] if relative.parts[0] in SHARED_SESSION_FIXTURE_DIRS else None
        # pytest 9 keeps the id in `_id` (xdist's own suffix, set on `_nodeid`, is lost).
        item._id = coerce_node_id(f"{item.nodeid}@{group or relative.as_posix()}")
    items.sort(key=_start_rank)  # stable: the order inside a group stays as collected


def _start_rank(item: pytest.Item) -> int:
    """The position of the item's group in LONGEST_GROUPS_FIRST; after them, the rest."""
    relative = item.path.relative_to(TESTS_DIR).as_posix()
    for rank, prefix in enumerate(LONGEST_GROUPS_FIRST):
        if relative == prefix or relative.startswith(f"{prefix}/"):
            return rank
    return len(LONGEST_GROUPS_FIRST)


@pytest.fixture(autouse=True)
def _environment_restored() -> Iterator[None]:
    """Each test leaves os.environ as it found it: `pulse run` in this process pins its
    settings (PULSE_TARGET, PULSE_WAREHOUSE) into the environment, and a later test on the
    same worker must not inherit them."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Definitions read the dbt manifest at import; a fresh clone has none until parsed.

    Parsed before collection, since test modules import Dagster definitions.
    """
    from orchestration.project import prepare_dbt_manifest

    prepare_dbt_manifest()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """A copy of the small landing folder, safe to modify."""
    target = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, target)
    return target


@pytest.fixture
def pulse_env(tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every setting at temporary locations; returns the warehouse path."""
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    return warehouse


@pytest.fixture
def real_fixtures() -> Path:
    if not SHARED_REAL_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures/real is not present in this checkout")
    return SHARED_REAL_FIXTURES


class WebhookReceiver:
    """A local HTTP server that records every JSON POST: (path, body)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.path, json.loads(body)))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


@dataclass
class SmtpReceiver:
    """A local SMTP server (aiosmtpd) that keeps every message it is sent."""

    port: int
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    # aiosmtpd's controller checks its server by connecting to the port it was given, so
    # it needs a real one rather than 0.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_receiver() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver(port=free_port())
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
