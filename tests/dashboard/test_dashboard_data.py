"""How the dashboard reads the published copy: read-only, never holding it, seeing each new
publication, and saying in one line what is not published."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.dashboard import data
from orchestration.dashboard.marts import Query
from orchestration.lib.serving.publish import publish_marts
from tests.serving.test_publish import build_warehouse

BUILD = Query(
    "build",
    ("marts.metrics_nps",),
    "select max(build) as build, count(*) as rows from marts.metrics_nps",
)


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A warehouse of build 1 published; returns (warehouse, published copy)."""
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    publish_marts(warehouse, published)
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(published))
    return warehouse, published


def test_each_publication_is_read_as_soon_as_it_replaces_the_copy(
    copy: tuple[Path, Path],
) -> None:
    warehouse, published = copy
    assert data.read(BUILD).to_dict("records") == [{"build": 1, "rows": 1001}]
    build_warehouse(warehouse, 2)
    publish_marts(warehouse, published)
    assert data.read(BUILD).to_dict("records") == [{"build": 2, "rows": 2001}]


def test_a_reader_never_keeps_a_publication_from_replacing_the_copy(
    copy: tuple[Path, Path],
) -> None:
    warehouse, published = copy
    reader = data._connect(data.copy_version())  # as a query holds it while it runs
    try:
        build_warehouse(warehouse, 3)
        publish_marts(warehouse, published)
        # The reader goes on with the copy it opened; the next query sees the new one.
        assert reader.execute("select max(build) from marts.metrics_nps").fetchone() == (1,)
        assert data.read(BUILD)["build"].tolist() == [3]
    finally:
        reader.close()


def test_the_copy_is_opened_read_only(copy: tuple[Path, Path]) -> None:
    with data._connect(data.copy_version()) as conn, pytest.raises(duckdb.Error):
        conn.execute("create table marts.written as select 1")


def test_what_is_not_published_is_said_in_one_line(
    copy: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    themes = Query("themes", ("marts.metrics_themes",), "select * from marts.metrics_themes")
    with pytest.raises(data.NotPublished) as missing_mart:
        data.read(themes)
    assert str(missing_mart.value) == (
        "`marts.metrics_themes` does not exist yet in the published copy."
    )

    renamed = Query("renamed", ("marts.metrics_nps",), "select nps_value from marts.metrics_nps")
    with pytest.raises(data.NotPublished) as other_columns:
        data.read(renamed)
    assert "marts.metrics_nps in the published copy does not have the columns" in str(
        other_columns.value
    )
    assert "\n" not in str(other_columns.value)

    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(tmp_path / "none.duckdb"))
    with pytest.raises(data.NotPublished, match=r"No published copy at .*none\.duckdb"):
        data.read(BUILD)


def test_money_is_read_as_numbers(copy: tuple[Path, Path]) -> None:
    spend = Query("spend", ("marts.fct_orders",), "select 12.34::decimal(18, 2) as net_spend")
    assert data.read(spend)["net_spend"].tolist() == [12.34]


def test_parameters_are_bound_lists_included(copy: tuple[Path, Path]) -> None:
    rows = Query(
        "rows",
        ("marts.metrics_nps",),
        "select count(*) as rows from marts.metrics_nps"
        " where list_contains($ids, row_id) and build = $build",
    )
    assert data.read(rows, {"ids": [1, 2, 3, 5000], "build": 1})["rows"].tolist() == [3]
    assert data.read(rows, {"ids": (7,), "build": 2})["rows"].tolist() == [0]
