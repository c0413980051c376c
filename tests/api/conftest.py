from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.api.cases_google_play_yelp_qualtrics import GOOGLE_PLAY_YELP_QUALTRICS_CASES
from tests.api.fake_vendors import serve
from tests.api.vendor_cases import CASES, VendorCase

ALL_CASES = {**CASES, **GOOGLE_PLAY_YELP_QUALTRICS_CASES}


@pytest.fixture(params=sorted(ALL_CASES))
def case(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[VendorCase]:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    vendor_case = ALL_CASES[request.param]()
    with serve(vendor_case.fake):
        yield vendor_case


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "api.duckdb"))
    yield connection
    connection.close()
