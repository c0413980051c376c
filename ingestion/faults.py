"""Named points where the fault suite (tests/reliability) stops a process to kill it.

`kill -9` at a chosen stage (a file's transaction about to commit, dbt building, the
checks, the publish) is reproduced without guessing at timing: with PULSE_FAULT_POINT set
to a point's name, the process writes its PID to the file PULSE_FAULT_MARKER names when it
reaches that point, then waits there to be killed. Unset (always, outside the suite), a
point costs one environment lookup.

The points: `ingest_commit` (a file's rows, quarantine and ledger entry written, the
transaction not yet committed), `checks` (a Great Expectations suite check about to
run), `dbt_build` (a dbt step with its scope planned, dbt not yet started) and `publish`
(the published copy written to its temporary file, not yet swapped in).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FAULT_POINT = "PULSE_FAULT_POINT"
FAULT_MARKER = "PULSE_FAULT_MARKER"
# A point nobody kills within this time lets the process go on.
WAIT_SECONDS = 300.0


def fault_point(name: str) -> None:
    """Stop here when the fault suite asked for this point (see the module doc)."""
    if os.environ.get(FAULT_POINT) != name:
        return
    marker = os.environ.get(FAULT_MARKER)
    if marker:
        Path(marker).write_text(f"{os.getpid()}\n", encoding="utf-8")
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
