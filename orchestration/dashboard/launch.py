"""Starting the dashboard: Streamlit's own server on 127.0.0.1, headless, with no usage
statistics and no file watcher, reading the published copy named in its environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.dashboard.navigation import APP

ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501
# Streamlit's settings for a local, read-only app: nothing watched, nothing sent, nothing
# asked on the terminal, and the viewer's toolbar only.
STREAMLIT_OPTIONS = {
    "server.address": ADDRESS,
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "viewer",
    "theme.base": "light",
}


def streamlit_command(port: int = DEFAULT_PORT) -> list[str]:
    """The `streamlit run` command line of the app on `port`, through the module that warms
    the app's imports first."""
    options = {**STREAMLIT_OPTIONS, "server.port": str(port)}
    flags = [part for name, value in options.items() for part in (f"--{name}", value)]
    return [sys.executable, "-m", "orchestration.dashboard.server", "run", str(APP), *flags]


def dashboard_environment(published: Path) -> dict[str, str]:
    """This process's environment, with the published copy the app is to read."""
    return {**os.environ, "PULSE_PUBLISHED_WAREHOUSE": str(published)}


def base_url(port: int) -> str:
    return f"http://{ADDRESS}:{port}"


def wait_until_serving(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Return once Streamlit's health endpoint answers; fail when the server exits first."""
    deadline = time.monotonic() + timeout
    health = f"{base_url(port)}/_stcore/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not answer on {health} within {timeout:.0f} s")


@contextmanager
def serving(published: Path, port: int, log: Path, timeout: float = 90.0) -> Iterator[str]:
    """`pulse dashboard --port PORT` on `published` in its own process group, its output
    in `log`; yields the base URL and stops the server (the processes it started) on exit."""
    pulse = Path(sys.executable).with_name("pulse")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(pulse), "dashboard", "--port", str(port)],
            env=dashboard_environment(published),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            wait_until_serving(port, process, timeout)
        except (RuntimeError, TimeoutError) as error:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{error}; its output:\n{tail}") from None
        yield base_url(port)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
