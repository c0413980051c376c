"""The dashboard on a published copy: each page's queries as the page runs them, uncached
(Streamlit's AppTest runs the page in this process), and, where chromium is installed,
each page's first complete paint in a browser (`pulse dashboard` and headless chromium)."""

from __future__ import annotations

import os
import socket
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

QUERY_SECONDS = 1.0  # a page's queries together
PAINT_SECONDS = 3.0  # from navigation to every chart drawn


def page_query_seconds(published: Path) -> dict[str, dict[str, float]]:
    """Per page title, the seconds each named query took on the page (summed over the
    parameters it ran with: the Overview runs one query per metric)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from orchestration.dashboard import data
    from orchestration.dashboard.navigation import APP, PAGES

    os.environ["PULSE_PUBLISHED_WAREHOUSE"] = str(published)
    timings: dict[str, float] = defaultdict(float)

    def record(name: str, seconds: float) -> None:
        timings[name] += seconds

    unsubscribe = data.listen_to_timings(record)
    pages = {}
    try:
        app = AppTest.from_file(str(APP), default_timeout=300)
        app.run()  # the first page, once: imports; each page then runs from an empty cache
        for page in PAGES:
            st.cache_data.clear()
            timings.clear()
            app.switch_page(page.script).run()
            if app.exception:
                raise RuntimeError(f"{page.title}: {app.exception[0].message}")
            pages[page.title] = dict(timings)
    finally:
        unsubscribe()
    return pages


def page_paint_seconds(published: Path) -> dict[str, float] | None:
    """Per page title, seconds from navigation to the page drawn; None without chromium.

    Each page is opened once, in menu order, on a server just started: every page's
    queries run uncached, and the first page also pays the server's one-time imports."""
    from orchestration.dashboard.browser import chromium_path, visit_pages
    from orchestration.dashboard.launch import serving
    from orchestration.dashboard.navigation import PAGES

    if chromium_path() is None:
        return None
    with (
        tempfile.TemporaryDirectory(prefix="pulse_dashboard_bench") as scratch,
        serving(published, _free_port(), Path(scratch) / "dashboard.log") as url,
    ):
        visits = visit_pages(url, PAGES)
    for visit in visits:
        if visit.exceptions or visit.drawn_charts != visit.charts:
            raise RuntimeError(f"{visit.page.title}: an exception, or a chart not drawn")
    return {visit.page.title: visit.seconds for visit in visits}


def measure(published: Path) -> dict[str, Any]:
    queries = page_query_seconds(published)
    paint = page_paint_seconds(published)
    return {
        "rows": len(queries),
        "page_query_seconds": {page: sum(times.values()) for page, times in queries.items()},
        "slowest_queries": {
            page: max(times.items(), key=lambda item: item[1]) if times else None
            for page, times in queries.items()
        },
        "page_paint_seconds": paint,
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
