"""On the sample data set the loyalty marts show what the generator builds in: promoters
buy again more often than detractors, some customers are at risk, and the lifetime value
model fits."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from analytics.loyalty.lifetime_value import build_customer_lifetime_value
from ingestion.pipeline import ingest
from ingestion.sample_data import generate_sample_data
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.project import dbt_executable

pytestmark = pytest.mark.integration

LOYALTY_MARTS = "+metrics_satisfaction_loyalty +dim_customers_at_risk"


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sample (seed 42, full scale) ingested and built up to the loyalty marts."""
    root = tmp_path_factory.mktemp("loyalty_sample")
    landing = root / "landing"
    warehouse = root / "warehouse.duckdb"
    generate_sample_data(landing)
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "loyalty-test-key",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PULSE_WAREHOUSE", "PULSE_LANDING_DIR", "PULSE_PSEUDONYM_KEY"):
            patch.setenv(name, env[name])
        patch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        ingest(warehouse=warehouse, landing_root=landing)
    assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]
    subprocess.run(
        [
            dbt_executable(),
            *MODELS_WITHOUT_TESTS_ARGS,
            "--select",
            LOYALTY_MARTS,
            "--quiet",
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )
    return warehouse


def test_promoters_repeat_more_often_than_detractors(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        rows = dict(
            conn.execute(
                "select segment_value, repeat_rate from marts.metrics_satisfaction_loyalty"
                " where segment_type = 'nps_group'"
            ).fetchall()
        )
        intervals = dict(
            conn.execute(
                "select segment_value, [repeat_rate_lower_95, repeat_rate_upper_95]"
                " from marts.metrics_satisfaction_loyalty where segment_type = 'nps_group'"
            ).fetchall()
        )
    assert set(rows) == {"promoter", "passive", "detractor"}
    assert rows["promoter"] > rows["passive"] > rows["detractor"]
    # Not a fluke of sampling: the 95% intervals do not overlap.
    assert intervals["promoter"][0] > intervals["detractor"][1]


def test_customers_at_risk_is_a_non_empty_contact_list(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        at_risk, priorities, overdue = conn.execute(
            "select count(*), count(distinct contact_priority), min(days_overdue)"
            " from marts.dim_customers_at_risk"
        ).fetchone() or (0, 0, None)
    assert at_risk > 0
    assert priorities == at_risk
    assert overdue is not None and overdue > 0


def test_lifetime_value_is_predicted_on_the_sample(sample_warehouse: Path) -> None:
    result = build_customer_lifetime_value(sample_warehouse)
    assert result.model_status == "predicted"
    with duckdb.connect(str(sample_warehouse), read_only=True) as conn:
        customers, predicted, historic = conn.execute(
            "select count(*), count(predicted_value), sum(historic_net_spend)"
            " from marts.dim_customer_lifetime_value"
        ).fetchone() or (0, 0, 0)
        repeat_beats_single = conn.execute(
            "select avg(predicted_value) filter (where repeat_purchase_days >= 3)"
            " > avg(predicted_value) filter (where repeat_purchase_days = 0)"
            " from marts.dim_customer_lifetime_value"
        ).fetchone()
    assert customers == result.customers > 0
    assert predicted == customers
    assert float(historic) == pytest.approx(result.historic_net_spend, abs=0.01)
    assert repeat_beats_single == (True,)
