"""An Altair chart as the Vega-Lite spec Streamlit draws, with its data frames kept as
named datasets (Streamlit sends them to the browser as Arrow, as `st.altair_chart` does).

Altair checks every chart against the Vega-Lite JSON schema, when it is built and again
when it is converted: on the Overview that took about 0.6 s of the page's 0.9 s. The
check stays on wherever Altair's debug mode is on (tests, notebooks); the dashboard's
server turns it off (`server.py`), as Altair's maintainers advise for web apps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import altair as alt
import pandas as pd
from altair.utils import schemapi

from orchestration.dashboard.charts import ChartLike

TRANSFORMER = "pulse_named_frames"
# Altair's theme and data transformer are process-wide, and Streamlit runs each
# visitor's page in its own thread.
_altair_globals = threading.Lock()


def _named_frames(data: Any, frames: dict[str, Any]) -> dict[str, str]:
    """Altair data transformer: keep the frame under a name the spec refers to."""
    name = f"data-{len(frames)}"
    frames[name] = data
    return {"name": name}


alt.data_transformers.register(TRANSFORMER, _named_frames)


def validating() -> bool:
    """Whether charts are checked against the schema (Altair's debug mode)."""
    return bool(schemapi.DEBUG_MODE)


def vega_lite_spec(figure: ChartLike) -> dict[str, Any]:
    """The chart's spec with `datasets` holding its frames, without Altair's width and
    height defaults (Streamlit sizes the chart)."""
    frames: dict[str, pd.DataFrame] = {}
    with (
        _altair_globals,
        _no_default_theme(),
        alt.data_transformers.enable(TRANSFORMER, frames=frames),
    ):
        spec: dict[str, Any] = figure.to_dict(validate=validating())
    spec["datasets"] = {**spec.get("datasets", {}), **frames}
    return spec


@contextmanager
def _no_default_theme() -> Iterator[None]:
    if alt.theme.active == "default":
        with alt.theme.enable("none"):
            yield
    else:
        yield
