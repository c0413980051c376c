"""A job whose one step starts a child process that never ends, run the way `pulse run`
runs its job (orchestration.cli._execute_run); for test_step_time_limit. Arguments: the
file to write the child's PID to. DAGSTER_HOME and PULSE_STEP_TIME_LIMIT come from the
environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.cli import _execute_run

PID_FILE = Path(sys.argv[1])


@dg.asset
def never_ending_load() -> None:
    child = subprocess.Popen(["sleep", "600"])  # as dbt would run, and hang
    PID_FILE.write_text(str(child.pid), encoding="ascii")
    child.wait()


if __name__ == "__main__":
    job = dg.Definitions(
        assets=[never_ending_load], jobs=[dg.define_asset_job("overrunning")]
    ).resolve_job_def("overrunning")
    with dg.DagsterInstance.get() as instance:
        _execute_run(job, instance, "0f0f0f0f-0000-4000-8000-000000000001", say=print)
    print("the run ended by itself", flush=True)
