"""Reading a page the way AppTest sees it: its charts' data, metrics and messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from orchestration.dashboard.navigation import APP, PAGES, PageSpec

PAGE = {page.url_path: page for page in PAGES}


def open_page(page: PageSpec | str) -> AppTest:
    """The app run once on `page`, as a browser opening its address would."""
    spec = PAGE[page] if isinstance(page, str) else page
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page(spec.script).run()
    assert not app.exception, [error.message for error in app.exception]
    return app


@dataclass
class Chart:
    spec: dict[str, Any]
    datasets: list[pd.DataFrame]

    def rows_with(self, *columns: str) -> pd.DataFrame:
        """The dataset holding every one of `columns` (a chart layers several)."""
        for frame in self.datasets:
            if set(columns) <= set(frame.columns):
                return frame
        raise AssertionError(
            f"no dataset with {columns}: {[list(f.columns) for f in self.datasets]}"
        )


def charts(app: AppTest) -> list[Chart]:
    """Every Altair chart on the page, with the rows Streamlit sends the browser."""
    found = []
    for element in app.get("vega_lite_chart"):
        proto = element.proto  # type: ignore[attr-defined]
        frames = [
            pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
            for dataset in proto.datasets
        ]
        found.append(Chart(json.loads(proto.spec), frames))
    return found


def metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def infos(app: AppTest) -> list[str]:
    return [str(info.value) for info in app.info]


def downloads(app: AppTest) -> int:
    return len(app.get("download_button"))
