"""The dashboard's pages, in menu order: the app, the tests and the benchmark read them here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


@dataclass(frozen=True)
class PageSpec:
    script: str  # relative to app.py, as Streamlit and AppTest name it
    title: str
    url_path: str  # the first page is served at "/"
    icon: str

    @property
    def path(self) -> Path:
        return APP.parent / self.script


PAGES = (
    PageSpec("views/overview.py", "Overview", "overview", ":material/monitoring:"),
    PageSpec("views/drivers.py", "Drivers", "drivers", ":material/target:"),
    PageSpec("views/voice.py", "Voice of the customer", "voice", ":material/forum:"),
    PageSpec("views/reviews.py", "Reviews", "reviews", ":material/star:"),
    PageSpec("views/loyalty.py", "Loyalty", "loyalty", ":material/loyalty:"),
    PageSpec("views/follow_up.py", "Follow-up", "follow-up", ":material/support_agent:"),
    PageSpec("views/data_health.py", "Data health", "data-health", ":material/health_and_safety:"),
)


def page_url(base_url: str, page: PageSpec) -> str:
    """Where a running app serves the page."""
    return base_url.rstrip("/") + ("/" if page == PAGES[0] else f"/{page.url_path}")
