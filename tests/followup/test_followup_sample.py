"""Acceptance on the sample, through `pulse ingest` and `pulse run` (the real gates and
`dbt build`): every detractor and low-star review opens one case, targets get the right
status, competitors are benchmarked; actions close cases, a re-delivered file duplicates
nothing, and an alert fires once for a planted drop and not again on the next run."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
import yaml

from ingestion.sample_data import generate_sample_data
from orchestration import cli
from orchestration.defs.alerts.metric_alerts import metric_alerts

pytestmark = pytest.mark.integration

SCALE = 0.25
PLANTED_RESPONSES = 60
CASE_RECORDS = "select case_id, source_record_id from marts.fct_follow_up_cases"
NEW_MARTS = (
    "fct_follow_up_case_triggers",
    "fct_follow_up_cases",
    "fct_follow_up_open_cases",
    "metrics_follow_up_performance",
    "metrics_follow_up_outcomes",
    "metrics_scorecard",
    "metrics_vs_target",
    "fct_brand_reviews",
    "metrics_benchmark_review_ratings",
    "metrics_benchmark_industry",
    "fct_alert_conditions",
)


@dataclass(frozen=True)
class SampleRun:
    root: Path
    landing: Path
    warehouse: Path
    published: Path


def pulse(*args: str) -> str:
    """A `pulse` command in this process; fails the test when it fails."""
    output = io.StringIO()
    with redirect_stdout(output):
        code = cli.main(list(args))
    assert code == 0, f"pulse {' '.join(args)} failed:\n{output.getvalue()[-3000:]}"
    return output.getvalue()


def query(path: Path, sql: str, parameters: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql, parameters or []).fetchall()


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleRun]:
    root = tmp_path_factory.mktemp("followup_sample")
    landing = root / "landing"
    generate_sample_data(landing, seed=7, scale=SCALE)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PULSE_WAREHOUSE", str(root / "warehouse.duckdb"))
        env.setenv("PULSE_LANDING_DIR", str(landing))
        env.setenv("PULSE_PSEUDONYM_KEY", "follow-up-test-key")
        env.setenv("DAGSTER_HOME", str(root / "dagster"))
        for name in ("PULSE_SURVEY_REGISTRY", "PULSE_ALERTS_CONFIG", "PULSE_PUBLISHED_WAREHOUSE"):
            env.delenv(name, raising=False)
        pulse("ingest", str(landing))
        pulse("run")
        yield SampleRun(root, landing, root / "warehouse.duckdb", root / "published.duckdb")


def test_every_detractor_and_low_star_review_has_one_case(sample_run: SampleRun) -> None:
    published = sample_run.published
    detractors = set(
        query(
            published,
            "select distinct survey_id, source_record_id from marts.fct_feedback_items"
            " where nps_group = 'detractor'",
        )
    )
    low_stars = set(
        query(
            published,
            "select source, source_record_id from marts.fct_feedback_items"
            " where instrument = 'star_rating' and score_value <= 2",
        )
    )
    cases = query(
        published,
        "select case_id, channel, coalesce(survey_id, source), source_record_id, reason,"
        " is_nps_detractor from marts.fct_follow_up_cases",
    )
    assert len(detractors) > 100 and len(low_stars) > 30
    by_record = {
        (scope, record): (channel, reason, is_detractor)
        for _, channel, scope, record, reason, is_detractor in cases
    }
    assert len(by_record) == len(cases) == len({case[0] for case in cases})
    for response in detractors:
        _, reason, is_detractor = by_record[response]
        assert is_detractor and reason.startswith("NPS "), (response, reason)
    for review in low_stars:
        assert by_record[review][1].endswith(("1 star", "2 stars")), review
    # Reviews of 3 stars and more open no case; competitors' reviews never do.
    review_cases = {key for key, (channel, _, _) in by_record.items() if channel == "review"}
    assert review_cases == low_stars
    competitor_reviews = query(
        published, "select count(*) from marts.fct_brand_reviews where not is_own_brand"
    )
    assert competitor_reviews[0][0] == 2 * round(800 * SCALE)


def _adjusted_wald(promoters: int, detractors: int, n: int) -> tuple[float, float]:
    """METRICS.md, computed here independently of the dbt macro."""
    nps = 100 * (promoters - detractors) / n
    p_promoters, p_detractors = (promoters + 0.75) / (n + 3), (detractors + 0.75) / (n + 3)
    variance = p_promoters + p_detractors - (p_promoters - p_detractors) ** 2
    margin = 1.96 * math.sqrt(variance / (n + 3)) * 100
    return max(nps - margin, -100), min(nps + margin, 100)


def test_target_status_is_right_at_the_three_cases(sample_run: SampleRun) -> None:
    rows = query(
        sample_run.published,
        "select targets.target_id, targets.status, targets.target_value, nps.promoters,"
        " nps.detractors, nps.n from marts.metrics_vs_target as targets"
        " inner join marts.metrics_nps as nps on targets.period_grain = nps.period_grain"
        " and targets.period_start = nps.period_start and nps.segment_type = 'overall'"
        " where targets.metric = 'nps'",
    )
    statuses = set()
    for target_id, status, target, promoters, detractors, n in rows:
        lower, upper = _adjusted_wald(promoters, detractors, n)
        expected = (
            "met" if lower > target else "missed" if upper < target else "not_distinguishable"
        )
        assert status == expected, (target_id, lower, upper, target)
        statuses.add(status)
    # The sample's NPS meets its monthly target in some months, misses it in others and
    # is indistinguishable from it in most; the stretch target is clearly missed.
    assert statuses == {"met", "missed", "not_distinguishable"}
    fixed = dict(
        query(
            sample_run.published,
            "select target_id, status from marts.metrics_vs_target"
            " where target_id in ('nps_stretch_all_time', 'csat_floor_all_time')",
        )
    )
    assert fixed == {"nps_stretch_all_time": "missed", "csat_floor_all_time": "met"}


def test_new_marts_reach_the_published_copy_and_competitors_are_benchmarked(
    sample_run: SampleRun,
) -> None:
    counts = dict(
        query(sample_run.published, "select table_name, row_count from pipeline.publication")
    )
    for mart in NEW_MARTS:
        assert counts.get(f"marts.{mart}", 0) > 0, mart
    comparisons = query(
        sample_run.published,
        "select brand, rating_difference, rating_difference_ci_lower, rating_difference_ci_upper,"
        " is_rating_difference_significant from marts.metrics_benchmark_review_ratings"
        " where period_grain = 'all_time' and platform = 'all' and not is_own_brand order by brand",
    )
    # Ours minus theirs: Summit Supply is liked less than we are, Taiga Gear more.
    summit, taiga = comparisons
    assert summit[0] == "Summit Supply" and summit[1] > 0 and summit[2] > 0 and summit[4]
    assert taiga[0] == "Taiga Gear" and taiga[1] < 0 and taiga[3] < 0 and taiga[4]
    industry = query(
        sample_run.published,
        "select count(*), count(our_value) from marts.metrics_benchmark_industry",
    )
    assert industry == [(4, 4)]


def test_the_text_mart_adds_negative_texts_and_themes(sample_run: SampleRun) -> None:
    """The text scorer's marts feed the queue (var feedback_text_model): every negative
    text has a case, the cases carry their texts' themes, and the brand benchmarks say
    which themes each brand's reviews mention, competitors' included."""
    published = sample_run.published
    negative_texts = query(
        published,
        "select count(*) from marts.fct_feedback_text"
        " where is_own_brand and sentiment_label = 'negative'",
    )
    assert negative_texts[0][0] > 100
    missing = query(
        published,
        "select texts.feedback_item_id from marts.fct_feedback_text as texts"
        " inner join marts.fct_feedback_items as items using (feedback_item_id)"
        " left join marts.fct_follow_up_cases as cases"
        " on cases.channel = items.channel and cases.source_record_id = items.source_record_id"
        " and coalesce(cases.survey_id, cases.source) = coalesce(items.survey_id, items.source)"
        # A survey comment is named in the reason; a 1-2 star review by its stars.
        " and (cases.reason like '%negative text%' or items.instrument = 'star_rating')"
        " where texts.sentiment_label = 'negative' and cases.case_id is null",
    )
    assert missing == []
    themed = query(
        published,
        "select count(*) from marts.fct_follow_up_cases as cases"
        " where themes is not null and exists (select 1 from marts.fct_feedback_text_themes"
        " as mentions where cases.themes like '%' || mentions.theme || '%')",
    )
    assert themed[0][0] > 0
    brands = query(
        published,
        "select brand, count(*), min(mentions) from marts.metrics_benchmark_review_themes"
        " where theme = 'delivery' group by brand order by brand",
    )
    assert [brand for brand, _, _ in brands] == [
        "Northwind Outfitters",
        "Summit Supply",
        "Taiga Gear",
    ]
    assert all(mentions > 0 for _, _, mentions in brands)


def _plant_nps_drop(landing: Path, month_start: datetime) -> set[str]:
    """A Qualtrics wave of detractors in the month after the sample: a significant drop."""
    source = landing / "surveys" / "qualtrics_relationship_2025_h2.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, data = rows[:3], [row for row in rows[3:] if row[6] == "1"][:PLANTED_RESPONSES]
    columns = {name: index for index, name in enumerate(header[0])}
    planted = set()
    for number, row in enumerate(data):
        started = month_start + timedelta(days=number % 20, hours=9, minutes=number)
        row[columns["StartDate"]] = started.strftime("%Y-%m-%d %H:%M:%S")
        row[columns["EndDate"]] = (started + timedelta(minutes=4)).strftime("%Y-%m-%d %H:%M:%S")
        row[columns["RecordedDate"]] = row[columns["EndDate"]]
        row[columns["ResponseId"]] = f"R_planted{number:08d}"
        row[columns["Q1"]] = "2"
        planted.add(row[columns["ResponseId"]])
    target = landing / "surveys" / f"qualtrics_relationship_{month_start:%Y}_h1.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([*header, *data])
    return planted


def _sensor_after_latest_run() -> None:
    """Evaluate the alert sensor as the daemon would after the run `pulse run` made."""
    with dg.DagsterInstance.get() as instance:
        [run] = instance.get_runs(limit=1)
        [success] = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_SUCCESS)
        assert success.dagster_event is not None
        context = dg.build_run_status_sensor_context(
            sensor_name="metric_alerts",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=success.dagster_event,
        )
        assert metric_alerts(context) is None


def test_actions_close_cases_redelivery_duplicates_nothing_and_a_drop_alerts_once(
    sample_run: SampleRun,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    webhook_receiver: Any,
    smtp_receiver: Any,
) -> None:
    landing, published = sample_run.landing, sample_run.published
    history_end = datetime(2026, 1, 1, tzinfo=UTC)
    assert datetime.now(UTC) > history_end + timedelta(days=31), "the planted month is past"

    # The queue and a CRM export, read from the published copy.
    listing = pulse("followup", "list", "--limit", "5").splitlines()
    assert listing[0].split("\t")[:3] == ["queue_position", "case_id", "priority"]
    assert [line.split("\t")[0] for line in listing[1:]] == ["1", "2", "3", "4", "5"]
    export = pulse("export", "audience", "lapsing", "--format", "csv")
    exported = list(csv.DictReader(io.StringIO(export)))
    assert list(exported[0]) == [
        "customer_id", "audience", "contact_priority", "loyalty_tier", "rfm_segment",
        "last_order_date", "days_since_last_order",
    ]  # fmt: skip
    at_risk = query(published, "select count(*) from marts.dim_customers_at_risk")
    assert len(exported) == at_risk[0][0] > 0

    # Alerts on, to a local webhook and a local SMTP server.
    config = tmp_path / "alerts.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "enabled": True,
                "kinds": ["metric_drop"],
                "metrics": ["nps"],
                "grains": ["month"],
                "webhook": {"url_env": "PULSE_TEST_ALERT_HOOK"},
                "email": {
                    "smtp_host": "127.0.0.1",
                    "smtp_port": smtp_receiver.port,
                    "sender": "pulse@example.com",
                    "recipients": ["cx@example.com"],
                },
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("PULSE_TEST_ALERT_HOOK", webhook_receiver.url("/hook"))
    monkeypatch.setenv("PULSE_ALERTS_CONFIG", str(config))
    _sensor_after_latest_run()
    sent_before = len(webhook_receiver.received)
    assert len(smtp_receiver.messages) == sent_before

    # A small team closes one case from the command line (by a prefix of its id) ...
    survey_case, review_case = (
        query(
            published,
            "select case_id from marts.fct_follow_up_open_cases where channel = ?"
            " and status = 'open' order by queue_position limit 1",
            [channel],
        )[0][0]
        for channel in ("survey", "review")
    )
    closed = pulse("followup", "close", survey_case[:10], "--note", "Called", "--actor", "anna")
    assert f"case {survey_case}" in closed and "loaded" in closed
    # ... and a team's own tool exports its actions, one of them for a mistyped case.
    (landing / "followup" / "crm_actions.csv").write_text(
        "case_id,action,actor,at,note\n"
        f"{review_case},contacted,ben,2026-01-20T09:00:00Z,Replied by e-mail\n"
        f"{review_case},resolved,ben,2026-01-21T09:00:00Z,Voucher sent\n"
        "ffffffffffffffffffffffffffffffff,resolved,ben,2026-01-21T09:00:00Z,\n",
        encoding="utf-8",
    )
    # A review export delivered again under another name, with other bytes (CRLF).
    original = landing / "reviews" / "reviews_2025.csv"
    (landing / "reviews" / "reviews_2025_again.csv").write_bytes(
        original.read_bytes().replace(b"\n", b"\r\n")
    )
    planted = _plant_nps_drop(landing, history_end)
    cases_before = set(query(published, CASE_RECORDS))

    pulse("run")
    _sensor_after_latest_run()

    states = dict(
        query(
            published,
            "select case_id, status || '/' || owner || '/' || coalesce(first_response_by, '')"
            " from marts.fct_follow_up_cases where case_id in (?, ?)",
            [survey_case, review_case],
        )
    )
    assert states == {survey_case: "resolved/anna/anna", review_case: "resolved/ben/ben"}
    quarantined = query(
        sample_run.warehouse,
        "select reason from raw.quarantine where target_table = 'raw.case_actions'",
    )
    assert [reason for (reason,) in quarantined] == [
        "unknown case ffffffffffffffffffffffffffffffff: not in marts.fct_follow_up_cases as"
        " last built in data row 3"
    ]
    redelivered = query(
        sample_run.warehouse,
        "select status, rows_loaded from raw.load_ledger"
        " where file_name = 'reviews/reviews_2025_again.csv'",
    )
    assert redelivered and redelivered[0][0] == "loaded" and redelivered[0][1] > 0
    cases_after = set(query(published, CASE_RECORDS))
    # The re-delivered reviews open no second case; the planted detractors one each.
    assert cases_after - cases_before == {case for case in cases_after if case[1] in planted}
    assert len(cases_after - cases_before) == PLANTED_RESPONSES
    assert cases_before <= cases_after

    new_hooks = webhook_receiver.received[sent_before:]
    assert len(new_hooks) == 1 and len(smtp_receiver.messages) == sent_before + 1
    [drop] = [
        alert
        for alert in new_hooks[0][1]["metadata"]["event_payload"]["alerts"]
        if alert["alert_key"] == "metric_drop|nps|month|2026-01-01|overall|all"
    ]
    assert drop["value"] == -100.0 and drop["n"] == PLANTED_RESPONSES
    assert drop["ci_lower"] is not None and drop["change_z"] < -1.96
    text = new_hooks[0][1]["text"]
    assert "NPS fell significantly, month of 2026-01-01, overall: -100" in text

    pulse("run")  # nothing new
    _sensor_after_latest_run()
    assert len(webhook_receiver.received) == sent_before + 1
    assert len(smtp_receiver.messages) == sent_before + 1
