"""Charts become Vega-Lite specs whose frames travel as named datasets; the schema check
runs while Altair's debug mode is on (the tests) and not in the dashboard's server."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from altair.utils import schemapi

from orchestration.dashboard.vega_spec import vega_lite_spec


def test_the_spec_names_its_frames_and_leaves_sizing_to_streamlit() -> None:
    frame = pd.DataFrame({"period": ["2026-01", "2026-02"], "nps": [12.5, 20.0]})
    target = pd.DataFrame({"target": [15.0]})
    figure = alt.layer(
        alt.Chart(frame).mark_line().encode(x="period:N", y="nps:Q"),
        alt.Chart(target).mark_rule().encode(y="target:Q"),
    )
    spec = vega_lite_spec(figure)
    datasets = spec["datasets"]
    assert sorted(len(found) for found in datasets.values()) == [1, 2]
    assert all(isinstance(found, pd.DataFrame) for found in datasets.values())
    assert {layer["data"]["name"] for layer in spec["layer"]} == set(datasets)
    assert "width" not in spec.get("config", {}).get("view", {})


def test_an_invalid_chart_fails_while_validating_and_passes_through_when_not() -> None:
    invalid = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    invalid.mark = "no_such_mark"
    with pytest.raises(schemapi.SchemaValidationError):
        vega_lite_spec(invalid)
    with schemapi.debug_mode(False):
        assert vega_lite_spec(invalid)["mark"] == {"type": "no_such_mark"}
