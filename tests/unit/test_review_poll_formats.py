"""Review, poll and commerce files as vendors export them: detected, loaded, re-delivered."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect
from ingestion.load import FileResult
from ingestion.pipeline import ingest
from ingestion.warehouse import read_sql

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats"

# file -> (vendor, layout, rows in, rows loaded, rows quarantined)
EXPECTED = {
    "reviews/trustpilot_reviews.csv": ("trustpilot", "trustpilot_review_csv", 3, 3, 0),
    "reviews/google_business_profile_reviews.json": (
        "google_business_profile",
        "google_business_profile_reviews_json",
        3,
        3,
        0,
    ),
    "reviews/google_play_reviews_202501.csv": ("google_play", "google_play_review_csv", 3, 3, 0),
    "reviews/yelp_review.json": ("yelp", "yelp_review_jsonl", 3, 3, 0),
    "reviews/yelp_review_truncated.json": ("yelp", "yelp_review_jsonl", 4, 3, 1),
    "reviews/app_store_reviews.json": ("apple_app_store", "app_store_rss_json", 2, 2, 0),
    "polls/facebook_poll_results.csv": ("facebook", "facebook_poll_csv", 4, 4, 0),
    "polls/instagram_poll_results.csv": ("instagram", "instagram_poll_csv", 2, 2, 0),
    "polls/tiktok_poll_results.csv": ("tiktok", "tiktok_poll_csv", 3, 3, 0),
    "polls/linkedin_poll_results.csv": ("linkedin", "linkedin_poll_csv", 3, 3, 0),
    "commerce/shopify_orders.json": ("shopify", "shopify_orders_json", 3, 3, 0),
    "commerce/orders.jsonl": ("generic_commerce", "orders_jsonl", 3, 3, 0),
    "commerce/customers.jsonl": ("generic_commerce", "customers_jsonl", 2, 2, 0),
    "commerce/orders.json": ("generic_commerce", "orders_json", 3, 3, 0),
    "commerce/customers.json": ("generic_commerce", "customers_json", 2, 2, 0),
}


def _query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def _landing_with(tmp_path: Path, *names: str) -> Path:
    landing = tmp_path / "vendor_files"
    for name in names:
        (landing / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FORMATS / name, landing / name)
    return landing


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, dict[str, FileResult]]]:
    """Every review, poll and commerce fixture loaded once into one warehouse."""
    root = tmp_path_factory.mktemp("formats")
    landing = _landing_with(root, *EXPECTED)
    warehouse = root / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PULSE_WAREHOUSE", str(warehouse))
        patch.setenv("PULSE_LANDING_DIR", str(landing))
        patch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
        patch.setenv("PULSE_DEFAULT_TIMEZONE", "Europe/Helsinki")
        patch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        results = {result.file_name: result for result in ingest()}
        yield warehouse, results


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_vendor_file_is_detected(name: str) -> None:
    vendor, layout, *_ = EXPECTED[name]
    detection = detect(FORMATS / name)
    assert (detection.vendor, detection.layout) == (vendor, layout), detection.reason


def test_every_file_loads_with_its_row_counts(loaded: tuple[Path, dict[str, FileResult]]) -> None:
    _, results = loaded
    counts = {
        name: (r.vendor, r.layout, r.rows_in, r.rows_loaded, r.rows_quarantined)
        for name, r in results.items()
    }
    assert counts == EXPECTED
    assert {r.status for r in results.values()} == {"loaded"}


def test_review_values_arrive_in_the_conformed_columns(
    loaded: tuple[Path, dict[str, FileResult]],
) -> None:
    warehouse, _ = loaded
    rows = _query(
        warehouse,
        "select _source, review_id, platform, rating, created_at, location, product, language,"
        " customer_reference, reply_body, replied_at from raw.reviews"
        " where review_id in ('64f1c2a9e1b2c3d4e5f60701', 'AbFvOqk1', 'gp:AOqpTOH2',"
        " 'KU_O5udG6zpxOg-VcAEodg', '11002') and _file_name <> 'reviews/yelp_review_truncated.json'"
        " order by _source",
    )
    assert rows == [
        ("apple_app_store", "11002", "app_store", "2", "2025-02-28T18:30:00-07:00", None, "Pulse",
         None, None, None, None),
        ("google_business_profile", "AbFvOqk1", "google", "5", "2025-02-01T10:00:00.123Z",
         "locations/222", None, None, None, "Aitäh!", "2025-02-02T08:00:00Z"),
        ("google_play", "gp:AOqpTOH2", "google_play", "2", "2025-01-11T09:30:00Z", None,
         "com.example.pulse", "ja", None, "ご不便をおかけしました。", "2025-01-12T11:00:00Z"),
        ("trustpilot", "64f1c2a9e1b2c3d4e5f60701", "trustpilot", "5", "2025-02-03T08:15:00Z",
         "Helsinki Centre", "Example Shop", "en", "ORD-1001", "Thank you!",
         "2025-02-03T12:00:00Z"),
        # Yelp dates carry no zone: the configured default zone (Helsinki, UTC+3 in July).
        # Yelp writes stars as decimals; typed to the whole number on load.
        ("yelp", "KU_O5udG6zpxOg-VcAEodg", "yelp", "3", "2018-07-07T19:09:11Z",
         "XQfwVwDr-v0ZS3_CbbE5Xw", None, None, None, None, None),
    ]  # fmt: skip
    bodies = dict(
        _query(warehouse, "select review_id, body from raw.reviews where platform = 'trustpilot'")
    )
    assert bodies["64f1c2a9e1b2c3d4e5f60701"] == "Quick delivery.\nWill order again."
    play_ids = _query(
        warehouse,
        "select review_id from raw.reviews where platform = 'google_play' order by _row_number",
    )
    assert [row[0][:6] for row in play_ids] == ["gp:AOq", "gp:AOq", "gplay_"]
    anonymous = _query(
        warehouse,
        "select reviewer_name_hash is null from raw.reviews where review_id = 'AbFvOqk2'",
    )
    assert anonymous == [(True,)]


def test_poll_exports_land_one_row_per_option(loaded: tuple[Path, dict[str, FileResult]]) -> None:
    warehouse, _ = loaded
    rows = _query(
        warehouse,
        "select platform, poll_id, option_position, option_label, votes, started_at, ends_at"
        " from raw.poll_options where platform in ('facebook', 'linkedin')"
        " order by platform, poll_id, option_position",
    )
    assert rows == [
        ("facebook", "1234567890_111", "1", "Salmiakki", "120", "2025-03-04T08:00:00Z", None),
        ("facebook", "1234567890_111", "2", "Mustikka", "80", "2025-03-04T08:00:00Z", None),
        ("facebook", "1234567890_222", "1", "Yes", "300", "2025-03-05T07:30:00Z", None),
        ("facebook", "1234567890_222", "2", "No", "45", "2025-03-05T07:30:00Z", None),
        ("linkedin", "urn:li:poll:7100000000000000001", "1", "Survey", "40",
         "2025-03-01T06:00:00Z", "2025-03-08T06:00:00Z"),
        ("linkedin", "urn:li:poll:7100000000000000001", "2", "Review", "35",
         "2025-03-01T06:00:00Z", "2025-03-08T06:00:00Z"),
        ("linkedin", "urn:li:poll:7100000000000000001", "3", "Chat", "25",
         "2025-03-01T06:00:00Z", "2025-03-08T06:00:00Z"),
    ]  # fmt: skip
    platforms = _query(
        warehouse,
        "select platform, count(*), sum(cast(votes as integer)) from raw.poll_options"
        " group by platform order by platform",
    )
    assert platforms == [
        ("facebook", 4, 545),
        ("instagram", 2, 305),
        ("linkedin", 3, 100),
        ("tiktok", 3, 3010),
    ]


def test_shopify_orders_map_like_the_api_client(
    loaded: tuple[Path, dict[str, FileResult]],
) -> None:
    warehouse, _ = loaded
    orders = _query(
        warehouse,
        "select order_id, customer_id, ordered_at, status, currency, gross_amount,"
        " discount_amount, net_amount, channel, location, product_category from raw.orders"
        " where _source = 'shopify' order by order_id",
    )
    # Shopify's financial status `paid` lands as the canonical `completed`.
    assert orders == [
        ("450789469", "207119551", "2025-02-01T10:00:00+02:00", "completed", "EUR", "24.90", "0.00",
         "24.90", "web", "655441491", "coffee"),
        ("450789470", "207119552", "2025-02-02T11:00:00+02:00", "completed", "EUR", "12.50", "2.50",
         "12.50", "web", "655441491", "coffee"),
        ("450789471", "207119551", "2025-02-03T12:00:00+02:00", "cancelled", "EUR", "30.00",
         "0.00", "30.00", "web", "655441491", "coffee"),
    ]  # fmt: skip
    # A customer with two orders is written once, as of the later order (new phone).
    with duckdb.connect() as conn:
        conn.execute(read_sql("pseudonymise_macros.sql"))
        later_phone = conn.execute(
            "select pseudonymise_phone('test-key', '+358409999999')"
        ).fetchone()
    customers = _query(
        warehouse,
        "select customer_id, country, city, phone_hash from raw.customers"
        " where _source = 'shopify' order by 1",
    )
    assert customers == [
        ("207119551", "FI", "Helsinki", later_phone[0] if later_phone else None),
        ("207119552", "EE", "Tallinn", None),
    ]


def test_commerce_json_and_json_lines_load_like_csv(
    loaded: tuple[Path, dict[str, FileResult]],
) -> None:
    warehouse, _ = loaded
    orders = _query(
        warehouse,
        "select _file_name, count(*), sum(cast(net_amount as decimal(10, 2))) from raw.orders"
        " where _source = 'generic_commerce' group by 1 order by 1",
    )
    assert [(source, count, float(total)) for source, count, total in orders] == [
        ("commerce/orders.json", 3, 67.0),
        ("commerce/orders.jsonl", 3, 67.0),
    ]
    cities = _query(
        warehouse,
        "select customer_id, city from raw.customers where _source = 'generic_commerce' order by 1",
    )
    assert cities == [("C-1", "Tartu"), ("C-1A", "Tartu"), ("C-2", "Brașov"), ("C-2A", "Brașov")]


def test_truncated_last_json_line_is_quarantined_with_its_text(
    loaded: tuple[Path, dict[str, FileResult]],
) -> None:
    warehouse, _ = loaded
    quarantined = _query(
        warehouse,
        "select line_number, original_line, reason from raw.quarantine"
        " where _file_name = 'reviews/yelp_review_truncated.json'",
    )
    assert len(quarantined) == 1
    line_number, original, reason = quarantined[0]
    assert line_number == 4
    assert original.startswith('{"review_id": "AqPFMleE6RsU23_auESxiA"')
    assert original == (FORMATS / "reviews/yelp_review_truncated.json").read_text().splitlines()[3]
    assert reason == "line is not valid JSON (truncated or malformed)"


def test_loading_twice_loads_nothing(loaded: tuple[Path, dict[str, FileResult]]) -> None:
    warehouse, _ = loaded
    before = _query(warehouse, "select count(*) from raw.reviews")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PULSE_WAREHOUSE", str(warehouse))
        patch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
        landing = warehouse.parent / "vendor_files"
        again = ingest(landing_root=landing)
    assert {r.status for r in again} == {"unchanged"}
    assert _query(warehouse, "select count(*) from raw.reviews") == before


def test_corrected_redelivery_replaces_rows(pulse_env: Path, tmp_path: Path) -> None:
    landing = _landing_with(
        tmp_path, "reviews/trustpilot_reviews.csv", "commerce/shopify_orders.json"
    )
    ingest(landing_root=landing)
    trustpilot = landing / "reviews/trustpilot_reviews.csv"
    lines = trustpilot.read_bytes().split(b"\r\n")
    # The correction changes the second review's stars and drops the third review.
    corrected = [*lines[:2], lines[2].replace(b",2,Organic,", b",3,Organic,"), b""]
    assert corrected[2] != lines[2]
    trustpilot.write_bytes(b"\r\n".join(corrected))
    shopify = landing / "commerce/shopify_orders.json"
    shopify.write_text(shopify.read_text().replace('"12.50"', '"13.50"'))

    results = {r.file_name: r for r in ingest(landing_root=landing)}
    assert results["reviews/trustpilot_reviews.csv"].rows_loaded == 2
    reviews = _query(pulse_env, "select review_id, rating from raw.reviews order by 1")
    assert reviews == [("64f1c2a9e1b2c3d4e5f60701", "5"), ("64f1c2a9e1b2c3d4e5f60702", "3")]
    assert _query(pulse_env, "select count(*) from raw.orders") == [(3,)]
    assert _query(pulse_env, "select count(*) from raw.customers") == [(2,)]
    assert _query(
        pulse_env,
        "select total_price from (select net_amount as total_price from raw.orders"
        " where order_id = '450789470')",
    ) == [("13.50",)]


def test_unknown_or_wrong_format_is_refused_whole(pulse_env: Path, tmp_path: Path) -> None:
    landing = tmp_path / "refused"
    landing.mkdir()
    (landing / "form_responses_google.csv").write_text(
        "ID,Start time,Completion time,Email,Name,How satisfied are you?\n"
        "1,3/4/25 10:00:00,3/4/25 10:02:00,anonymous,,5\n",
        encoding="utf-8",
    )
    (landing / "poll_export.csv").write_text("Question,Answer A,Answer B\nWhich?,10,20\n")
    (landing / "orders.json").write_text('[{"order_id": "X-1", "customer_id": "C", ')
    results = {r.file_name: r for r in ingest(landing_root=landing)}
    assert {name: r.status for name, r in results.items()} == {
        "form_responses_google.csv": "failed",
        "poll_export.csv": "failed",
        "orders.json": "failed",
    }
    assert "Microsoft Forms" in (results["form_responses_google.csv"].error or "")
    assert "no known layout has the columns" in (results["poll_export.csv"].error or "")
    for table in ("raw.reviews", "raw.poll_options", "raw.orders", "raw.survey_responses"):
        assert _query(pulse_env, f"select count(*) from {table}") == [(0,)], table
