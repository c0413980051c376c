"""The dashboard in a real browser: `pulse dashboard` on the sample's published copy, every
page opened in headless chromium (Debian's, driven by Playwright), a screenshot of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.dashboard.browser import SYSTEM_CHROMIUM, chromium_path, visit_pages
from orchestration.dashboard.launch import serving
from orchestration.dashboard.navigation import PAGES
from tests.conftest import free_port
from tests.dashboard.app_elements import PAGE
from tests.dashboard.conftest import SampleCopy

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        chromium_path() is None,
        reason=f"no chromium at {SYSTEM_CHROMIUM}: `apt-get install chromium` (.ci/run does)",
    ),
]


def test_every_page_draws_its_charts_in_chromium(sample_copy: SampleCopy, tmp_path: Path) -> None:
    with serving(sample_copy.published, free_port(), tmp_path / "dashboard.log") as url:
        visits = visit_pages(url, PAGES, screenshots=tmp_path / "screenshots")

    [(nps,)] = sample_copy.query(
        "select nps from marts.metrics_nps"
        " where period_grain = 'all_time' and segment_type = 'overall'"
    )
    overview = visits[0]
    assert overview.page == PAGE["overview"]
    assert overview.metrics["NPS"] == f"{nps:.1f}"
    for visit in visits:
        assert visit.exceptions == 0, visit.page.title
        assert visit.drawn_charts == visit.charts, visit.page.title
        if visit.page == PAGE["voice"] and not sample_copy.has_table("marts", "metrics_themes"):
            # Its marts are not built on this branch yet: one line says so.
            assert visit.charts == 0 and visit.says_not_published
        else:
            assert visit.charts >= 2, visit.page.title
        assert visit.screenshot is not None and visit.screenshot.stat().st_size > 20_000
    print("screenshots:", tmp_path / "screenshots")
