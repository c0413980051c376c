"""Opening the running dashboard in a real browser: Debian's chromium, driven headless by
Playwright (a development dependency), for the browser test and the benchmark. No browser
is downloaded: without /usr/bin/chromium (or PULSE_CHROMIUM) there is nothing to drive."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from orchestration.dashboard.navigation import PageSpec, page_url

if TYPE_CHECKING:
    from playwright.sync_api import Page

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
VIEWPORT = {"width": 1400, "height": 1000}
# Streamlit scrolls inside its own container: a tall window shows the whole page.
SCREENSHOT_VIEWPORT = {"width": 1400, "height": 3200}
# Streamlit marks its root element with the script's state; "notRunning" once a run ends.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHARTS = '[data-testid="stVegaLiteChart"]'
EXCEPTIONS = '[data-testid="stException"]'
NOT_PUBLISHED = "does not exist yet"
# True once the page shows its title, Streamlit's script run has ended, every chart holds
# its drawing (Vega draws on a canvas or an svg), no placeholder waits for a component to
# load, and nothing has changed for SETTLED_MS; window.pulseDrawnAt keeps when that state
# began, in ms from the start of the navigation. On a busy machine a page can sit still
# for a while mid-run, hence both the script state and the settling time.
SETTLED_MS = 750
PAGE_COMPLETE = """
([title, settledMs]) => {
    const charts = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'));
    const drawn = charts.every(chart => chart.querySelector('canvas, svg') !== null);
    const heading = document.querySelector('h1');
    const titled = heading !== null && heading.innerText.trim() === title;
    const app = document.querySelector('[data-testid="stApp"]');
    const ended = app !== null && app.getAttribute('data-test-script-state') === 'notRunning';
    const loading = document.querySelectorAll('[data-testid="stSkeleton"]').length;
    const state = [
        charts.length, drawn, titled, ended, loading, document.body.innerText.length
    ].join(':');
    const now = performance.now();
    if (window.pulseState !== state) {
        window.pulseState = state;
        window.pulseDrawnAt = now;
        return false;
    }
    return drawn && titled && ended && loading === 0 && now - window.pulseDrawnAt >= settledMs;
}
"""


def chromium_path() -> Path | None:
    """The chromium to drive: PULSE_CHROMIUM, else Debian's, else None."""
    configured = os.environ.get("PULSE_CHROMIUM")
    candidate = Path(configured) if configured else SYSTEM_CHROMIUM
    return candidate if candidate.is_file() else None


@dataclass
class PageVisit:
    page: PageSpec
    seconds: float  # from the start of navigation to the page complete, charts drawn
    charts: int
    drawn_charts: int
    exceptions: int
    says_not_published: bool
    metrics: dict[str, str] = field(default_factory=dict)  # label -> value shown
    screenshot: Path | None = None


def visit_pages(
    base_url: str,
    pages: Sequence[PageSpec],
    screenshots: Path | None = None,
    timeout_seconds: float = 60.0,
) -> list[PageVisit]:
    """Open each page in a new tab of one headless chromium and report what it shows."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    if chromium is None:
        raise FileNotFoundError(f"no chromium at {SYSTEM_CHROMIUM} (nor PULSE_CHROMIUM)")
    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium), args=list(CHROMIUM_ARGS), headless=True
        )
        # One context for every tab, as one person's browser: Streamlit's scripts and
        # styles come from its cache after the first page, as they would for a visitor.
        context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
        try:
            for spec in pages:
                tab = context.new_page()
                tab.set_default_timeout(timeout_seconds * 1000)
                tab.goto(page_url(base_url, spec), wait_until="domcontentloaded")
                tab.wait_for_selector(APP_IDLE, state="attached")
                tab.wait_for_function(PAGE_COMPLETE, arg=[spec.title, SETTLED_MS], polling=50)
                seconds = tab.evaluate("window.pulseDrawnAt") / 1000
                charts = tab.locator(CHARTS)
                visit = PageVisit(
                    page=spec,
                    seconds=seconds,
                    charts=charts.count(),
                    drawn_charts=sum(
                        1
                        for index in range(charts.count())
                        if charts.nth(index).locator("canvas, svg").count() > 0
                    ),
                    exceptions=tab.locator(EXCEPTIONS).count(),
                    says_not_published=NOT_PUBLISHED in tab.inner_text("body"),
                    metrics=_metrics(tab),
                )
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    visit.screenshot = screenshots / f"{spec.url_path}.png"
                    tab.set_viewport_size(SCREENSHOT_VIEWPORT)  # type: ignore[arg-type]
                    tab.wait_for_function(PAGE_COMPLETE, arg=[spec.title, SETTLED_MS], polling=50)
                    tab.screenshot(path=str(visit.screenshot), full_page=True)
                visits.append(visit)
                tab.close()
        finally:
            browser.close()
    return visits


def _metrics(tab: Page) -> dict[str, str]:
    """The st.metric labels and values the page shows."""
    metrics = {}
    for index in range(tab.locator('[data-testid="stMetric"]').count()):
        metric = tab.locator('[data-testid="stMetric"]').nth(index)
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        metrics[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return metrics
