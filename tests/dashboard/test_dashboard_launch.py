"""Starting the dashboard: `pulse dashboard` runs Streamlit's own server on 127.0.0.1,
headless, sending nothing and watching nothing; without a published copy it says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration import cli
from orchestration.dashboard.launch import streamlit_command
from orchestration.dashboard.navigation import APP, PAGES
from tests.dashboard.app_elements import infos, open_page


def test_streamlit_serves_the_app_locally_headless_without_statistics_or_watcher() -> None:
    command = streamlit_command(8765)
    assert command[1:4] == ["-m", "orchestration.dashboard.server", "run"]
    assert command[4] == str(APP)
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options == {
        "--server.address": "127.0.0.1",
        "--server.port": "8765",
        "--server.headless": "true",
        "--server.fileWatcherType": "none",
        "--server.runOnSave": "false",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "viewer",
        "--theme.base": "light",
    }
    assert streamlit_command()[streamlit_command().index("--server.port") + 1] == "8501"


def test_pulse_dashboard_without_a_published_copy_says_how_to_make_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(tmp_path / "published.duckdb"))
    assert cli.main(["dashboard", "--port", "8765"]) == 1
    error = capsys.readouterr().err
    assert error == (
        f"pulse: no published copy at {tmp_path / 'published.duckdb'}: run `pulse run` first\n"
    )


@pytest.mark.parametrize("page", PAGES, ids=[page.url_path for page in PAGES])
def test_without_a_published_copy_every_page_says_so_in_one_line(
    page: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(tmp_path / "published.duckdb"))
    app = open_page(page)  # type: ignore[arg-type]
    assert infos(app) == [
        f"No published copy at {tmp_path / 'published.duckdb'}: run `pulse run`"
        " (or `make run`) first."
    ]
    assert not app.get("vega_lite_chart")
