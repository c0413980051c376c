"""Write, audit, publish through `pulse run`: a load that fails its raw gate is held, the
rest goes on to the marts in the same green run, and `pulse release` after a fix brings
the held rows in, counted once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURE_LANDING

pytestmark = pytest.mark.integration

HEADER = (
    "review_id,platform,product,location,rating,title,body,language,reviewer_name,"
    "reviewer_email,customer_reference,created_at,reply_body,replied_at\n"
)
# Another file of the same source (the generic review layout) as reviews_small.csv.
GOOD_REVIEWS = HEADER + (
    "tp-good-1,trustpilot,footwear,web,4,Fine,Boots fit well,en,Ann,,,2025-03-07T10:00:00Z,,\n"
    "tp-good-2,trustpilot,footwear,web,5,Great,Quick delivery,en,Bo,,,2025-03-07T11:00:00Z,,\n"
)
# Reviews from a platform no vendor module declares yet: the raw gate holds the load.
NEW_PLATFORM_REVIEWS = HEADER + (
    "zl-1,zalando,footwear,web,2,Too small,Sizes run small,de,Lukas,,,2025-03-08T09:00:00Z,,\n"
    "zl-2,zalando,outerwear,web,5,Warm,Very warm jacket,de,Mia,,,2025-03-08T10:00:00Z,,\n"
)
# The fix: a vendor module for the platform, kept outside the package (PULSE_VENDOR_MODULES).
ZALANDO_VENDOR = """
from ingestion.vendors.base import Vendor

VENDOR = Vendor(
    name="zalando",
    family="reviews",
    platform="zalando",
    rating_scale=(1, 5),
    description="Zalando product reviews, delivered in the generic review layout.",
)
"""


def pulse(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("pulse")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_a_held_load_leaves_the_run_green_and_is_released_after_a_fix(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    (landing / "reviews" / "good_reviews.csv").write_text(GOOD_REVIEWS, encoding="utf-8")
    (landing / "reviews" / "zalando_reviews.csv").write_text(NEW_PLATFORM_REVIEWS, "utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "held-loads-test-key",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "DBT_TARGET_PATH": str(tmp_path / "dbt_target"),
    }
    env.pop("PULSE_SURVEY_REGISTRY", None)

    first = pulse(env, "run")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    held_lines = [line for line in first.stdout.splitlines() if line.startswith("  held ")]
    assert len(held_lines) == 1, first.stdout[-3000:]
    [held_line] = held_lines
    assert "reviews/zalando_reviews.csv (generic_reviews)" in held_line
    assert "platform is a reviews source the vendor registry knows" in held_line
    [held_id] = [
        load_id
        for (load_id,) in query(
            warehouse, "select load_id from raw.load_audits where status = 'held'"
        )
    ]
    assert held_id in held_line

    # The good file of the same source and every other source reached the marts.
    reviews = query(
        warehouse,
        "select source_record_id from marts.fct_feedback_items where channel = 'review'",
    )
    review_ids = {review_id for (review_id,) in reviews}
    assert {"tp-good-1", "tp-good-2", "tp-000001"} <= review_ids
    assert not {"zl-1", "zl-2"} & review_ids
    assert (
        query(warehouse, "select count(*) from marts.fct_feedback_items where channel = 'poll'")[0][
            0
        ]
        > 0
    )
    assert query(warehouse, "select count(*) from marts.metrics_nps")[0][0] > 0

    status = pulse(env, "status")
    assert status.returncode == 0
    assert held_id in status.stdout and "zalando_reviews.csv" in status.stdout

    # Released before the fix: it stays held, saying why.
    refused = pulse(env, "release", held_id)
    assert refused.returncode == 1 and "still held" in refused.stdout

    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "zalando.py").write_text(ZALANDO_VENDOR, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugins), env.get("PYTHONPATH")]))
    env["PULSE_VENDOR_MODULES"] = "zalando"
    [new_held_id] = [
        load_id
        for (load_id,) in query(
            warehouse, "select load_id from raw.load_audits where status = 'held'"
        )
    ]
    released = pulse(env, "release", new_held_id)
    assert released.returncode == 0, released.stdout + released.stderr
    assert "released as load" in released.stdout

    second = pulse(env, "run")
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "loads held back" not in second.stdout
    counted = query(
        warehouse,
        "select source_record_id, count(*) from marts.fct_feedback_items"
        " where source = 'zalando' group by 1 order by 1",
    )
    assert counted == [("zl-1", 1), ("zl-2", 1)]
    assert query(warehouse, "select count(*) from raw.reviews where platform = 'zalando'") == [(2,)]
    assert query(
        warehouse,
        "select status, count(*) from raw.load_ledger"
        " where file_name = 'reviews/zalando_reviews.csv' group by 1 order by 1",
    ) == [("loaded", 1), ("superseded", 2)]
