"""The sample data generator: deterministic, well-formed, and behaving like real customers."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from ingestion.sample_data import generate_sample_data
from ingestion.sample_data.__main__ import main
from ingestion.sample_data.competitors import REVIEW_BRANDS_SEED
from ingestion.surveys.registry import load_registry

SCALE = 0.3

QUALTRICS_FILES = tuple(
    f"surveys/qualtrics_relationship_{half}.csv"
    for half in ("2024_h1", "2024_h2", "2025_h1", "2025_h2")
)
QUALTRICS_HEADER = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
    "Q1",
    "Q2",
    "Q3",
    "Q4_1",
    "Q4_2",
    "Q4_3",
    "Q4_4",
    "Q4_5",
    "Q5",
    "Q6",
    "Q7_1",
    "Q7_2",
    "Q7_3",
    "Q8_TEXT",
    "touchpoint",
    "product",
    "location",
]
GOOGLE_FORMS_HEADER = [
    "Timestamp",
    "Email Address",
    "How satisfied were you with your purchase?",
    "How likely are you to recommend Northwind Outfitters to a friend or colleague?",
    "It was easy to complete my purchase.",
    "Did you find everything you were looking for?",
    "What could we improve?",
]
REVIEW_HEADER = [
    "review_id",
    "platform",
    "product",
    "location",
    "rating",
    "title",
    "body",
    "language",
    "reviewer_name",
    "reviewer_email",
    "customer_reference",
    "created_at",
    "reply_body",
    "replied_at",
]
POLL_HEADER = [
    "poll_id",
    "platform",
    "question",
    "option_position",
    "option_label",
    "votes",
    "voting_status",
    "started_at",
    "ends_at",
    "topic",
]
CUSTOMER_HEADER = [
    "customer_id",
    "email",
    "phone",
    "first_name",
    "last_name",
    "signed_up_at",
    "country",
    "city",
    "birth_date",
    "referred_by_customer_id",
]
ORDER_HEADER = [
    "order_id",
    "customer_id",
    "ordered_at",
    "status",
    "currency",
    "gross_amount",
    "discount_amount",
    "net_amount",
    "channel",
    "location",
    "product_category",
]
ALL_FILES = (
    *QUALTRICS_FILES,
    "surveys/google_forms_post_purchase.csv",
    "reviews/reviews_2024.csv",
    "reviews/reviews_2025.csv",
    "reviews/app_reviews_2025.jsonl",
    "reviews/competitor_reviews.csv",
    "polls/poll_results_2025.csv",
    "commerce/customers.csv",
    "commerce/orders_2024.csv",
    "commerce/orders_2025.csv",
    "survey_registry.yml",
)
UTC_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+\d{8,15}")


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "landing"
    counts = generate_sample_data(out, seed=7, scale=SCALE)
    assert set(counts) == set(ALL_FILES)
    return out


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _qualtrics(landing: Path) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    for name in QUALTRICS_FILES:
        rows = _rows(landing / name)
        records.extend(dict(zip(rows[0], row, strict=True)) for row in rows[3:])
    return records


def _reviews(landing: Path) -> list[dict[str, object]]:
    reviews: list[dict[str, object]] = [
        *_records(landing / "reviews/reviews_2024.csv"),
        *_records(landing / "reviews/reviews_2025.csv"),
    ]
    with (landing / "reviews/app_reviews_2025.jsonl").open(encoding="utf-8") as handle:
        reviews.extend(json.loads(line) for line in handle)
    return reviews


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(
    landing: Path, tmp_path: Path
) -> None:
    again = generate_sample_data(tmp_path / "again", seed=7, scale=SCALE)
    other = generate_sample_data(tmp_path / "other", seed=8, scale=SCALE)
    for name in ALL_FILES:
        assert (tmp_path / "again" / name).read_bytes() == (landing / name).read_bytes(), name
    assert (tmp_path / "other/commerce/orders_2024.csv").read_bytes() != (
        landing / "commerce/orders_2024.csv"
    ).read_bytes()
    assert again.keys() == other.keys()


def test_row_counts_match_files_and_scale(landing: Path, tmp_path: Path) -> None:
    counts = generate_sample_data(tmp_path / "counted", seed=7, scale=SCALE)
    for name in QUALTRICS_FILES:
        assert counts[name] == len(_rows(landing / name)) - 3
    for name in (
        "commerce/customers.csv",
        "commerce/orders_2024.csv",
        "polls/poll_results_2025.csv",
        "surveys/google_forms_post_purchase.csv",
    ):
        assert counts[name] == len(_rows(landing / name)) - 1, name
    jsonl = (landing / "reviews/app_reviews_2025.jsonl").read_text(encoding="utf-8")
    assert counts["reviews/app_reviews_2025.jsonl"] == len(jsonl.splitlines())
    assert counts["commerce/customers.csv"] == round(4000 * SCALE)
    competitor = _records(landing / "reviews/competitor_reviews.csv")
    assert counts["reviews/competitor_reviews.csv"] == len(competitor) == 2 * round(800 * SCALE)
    assert sum(counts[name] for name in QUALTRICS_FILES) == round(5000 * SCALE)
    orders = counts["commerce/orders_2024.csv"] + counts["commerce/orders_2025.csv"]
    assert 2.5 * counts["commerce/customers.csv"] < orders < 4.5 * counts["commerce/customers.csv"]


def test_every_file_has_the_exact_header_and_line_endings(landing: Path) -> None:
    for name in QUALTRICS_FILES:
        raw = (landing / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        assert _rows(landing / name)[0] == QUALTRICS_HEADER
    forms = (landing / "surveys/google_forms_post_purchase.csv").read_bytes()
    assert not forms.startswith(b"\xef\xbb\xbf")
    assert forms.count(b"\r\n") == forms.count(b"\n")  # every line ends CRLF
    assert _rows(landing / "surveys/google_forms_post_purchase.csv")[0] == GOOGLE_FORMS_HEADER
    for name, header in (
        ("reviews/reviews_2024.csv", REVIEW_HEADER),
        ("reviews/reviews_2025.csv", REVIEW_HEADER),
        ("reviews/competitor_reviews.csv", REVIEW_HEADER),
        ("polls/poll_results_2025.csv", POLL_HEADER),
        ("commerce/customers.csv", CUSTOMER_HEADER),
        ("commerce/orders_2024.csv", ORDER_HEADER),
        ("commerce/orders_2025.csv", ORDER_HEADER),
    ):
        assert b"\r\n" not in (landing / name).read_bytes(), name
        assert _rows(landing / name)[0] == header, name
    with (landing / "reviews/app_reviews_2025.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            assert list(json.loads(line)) == REVIEW_HEADER


def test_qualtrics_header_rows_and_values(landing: Path) -> None:
    rows = _rows(landing / QUALTRICS_FILES[0])
    ids, texts, import_ids = rows[0], rows[1], rows[2]
    parsed = [json.loads(cell) for cell in import_ids]
    by_column = dict(zip(ids, parsed, strict=True))
    assert by_column["StartDate"] == {"ImportId": "startDate", "timeZone": "Europe/Helsinki"}
    assert by_column["ResponseId"] == {"ImportId": "_recordId"}
    assert by_column["Q1"] == {"ImportId": "QID1"}
    assert by_column["Q4_1"] == {"ImportId": "QID4_1"}
    assert by_column["Q8_TEXT"] == {"ImportId": "QID8_TEXT"}
    assert by_column["touchpoint"] == {"ImportId": "touchpoint"}
    assert (
        '"{""ImportId"":""startDate"",""timeZone"":""Europe/Helsinki""}"'
        in ((landing / QUALTRICS_FILES[0]).read_text(encoding="utf-8").splitlines()[2])
    )
    question = dict(zip(ids, texts, strict=True))
    assert question["StartDate"] == "Start Date"
    assert "recommend Northwind Outfitters" in question["Q1"]
    assert question["Q4_1"].endswith(" - Support team")

    records = _qualtrics(landing)
    ranges = {"Q1": (0, 10), "Q2": (1, 5), "Q3": (1, 7), "Q5": (1, 2), "Q6": (1, 4)}
    ranges |= {
        item: (1, 5) for item in ("Q4_1", "Q4_2", "Q4_3", "Q4_4", "Q4_5", "Q7_1", "Q7_2", "Q7_3")
    }
    for record in records:
        assert re.fullmatch(r"R_[A-Za-z0-9]{15}", record["ResponseId"])
        assert record["Status"] == "0"
        datetime.strptime(record["StartDate"], "%Y-%m-%d %H:%M:%S")
        assert record["StartDate"] <= record["EndDate"] <= record["RecordedDate"]
        for item, (low, high) in ranges.items():
            if record[item]:
                assert low <= int(record[item]) <= high, (item, record[item])
    assert len({record["ResponseId"] for record in records}) == len(records)
    partial = [record for record in records if record["Finished"] == "0"]
    assert partial and all(int(record["Progress"]) < 100 for record in partial)
    assert all(record["Q8_TEXT"] == "" and record["Q7_3"] == "" for record in partial)
    finished = [record for record in records if record["Finished"] == "1"]
    assert all(record["Progress"] == "100" and record["Q7_3"] for record in finished)
    with_email = sum(bool(record["RecipientEmail"]) for record in records) / len(records)
    assert 0.75 < with_email < 0.95
    blank_text = sum(not record["Q8_TEXT"] for record in finished) / len(finished)
    assert 0.3 < blank_text < 0.5


def test_google_forms_timestamps_are_unpadded_local_times(landing: Path) -> None:
    records = _records(landing / "surveys/google_forms_post_purchase.csv")
    for record in records:
        stamp = record["Timestamp"]
        assert re.fullmatch(r"[1-9]\d?/[1-9]\d?/20\d\d [1-9]?\d:\d\d:\d\d", stamp), stamp
        datetime.strptime(stamp, "%m/%d/%Y %H:%M:%S")
        assert 1 <= int(record[GOOGLE_FORMS_HEADER[2]]) <= 5
        assert 0 <= int(record[GOOGLE_FORMS_HEADER[3]]) <= 10
        assert 1 <= int(record[GOOGLE_FORMS_HEADER[4]]) <= 7
        assert record[GOOGLE_FORMS_HEADER[5]] in {"Yes", "No"}


def test_commerce_keys_hold(landing: Path) -> None:
    customers = _records(landing / "commerce/customers.csv")
    signed_up = {customer["customer_id"]: customer["signed_up_at"] for customer in customers}
    assert len(signed_up) == len(customers)
    emails = [customer["email"].lower() for customer in customers]
    assert len(set(emails)) == len(emails)
    referred = [customer for customer in customers if customer["referred_by_customer_id"]]
    assert 0.10 < len(referred) / len(customers) < 0.20
    for customer in customers:
        assert UTC_STAMP.match(customer["signed_up_at"])
        assert not customer["phone"] or re.fullmatch(r"\+[1-9]\d{7,14}", customer["phone"])
        referrer = customer["referred_by_customer_id"]
        if referrer:
            assert referrer < customer["customer_id"]
            assert signed_up[referrer] <= customer["signed_up_at"]

    previous_id, previous_time = "", ""
    first_order: dict[str, str] = {}
    for name, year in (("commerce/orders_2024.csv", "2024"), ("commerce/orders_2025.csv", "2025")):
        for order in _records(landing / name):
            assert order["customer_id"] in signed_up
            assert order["ordered_at"].startswith(year) and UTC_STAMP.match(order["ordered_at"])
            assert order["order_id"] > previous_id and order["ordered_at"] >= previous_time
            previous_id, previous_time = order["order_id"], order["ordered_at"]
            first_order.setdefault(order["customer_id"], order["ordered_at"])
            gross, discount, net = (
                round(float(order[column]) * 100)
                for column in ("gross_amount", "discount_amount", "net_amount")
            )
            assert net == gross - discount and discount >= 0
            assert order["status"] in {"completed", "refunded", "cancelled"}
            assert order["currency"] == "EUR"
    for customer_id, first in first_order.items():
        assert first >= signed_up[customer_id]


def test_promoters_buy_again_more_often_and_spend_more_than_detractors(
    landing: Path,
) -> None:
    customers = _records(landing / "commerce/customers.csv")
    by_email = {customer["email"].lower(): customer["customer_id"] for customer in customers}
    orders: Counter[str] = Counter()
    spend: Counter[str] = Counter()
    for name in ("commerce/orders_2024.csv", "commerce/orders_2025.csv"):
        for order in _records(landing / name):
            orders[order["customer_id"]] += 1
            spend[order["customer_id"]] += round(float(order["net_amount"]) * 100)
    latest_nps: dict[str, int] = {}
    matched = 0
    records = _qualtrics(landing)
    for record in sorted(records, key=lambda record: record["StartDate"]):
        customer = record["ExternalReference"] or by_email.get(record["RecipientEmail"].lower())
        if customer and record["Q1"]:
            matched += 1
            latest_nps[customer] = int(record["Q1"])
    assert 0.8 < matched / len(records) < 0.98  # mostly, not all, existing customers

    promoters = [customer for customer, nps in latest_nps.items() if nps >= 9]
    detractors = [customer for customer, nps in latest_nps.items() if nps <= 6]
    assert len(promoters) >= 30 and len(detractors) >= 30

    def repeat_share(group: list[str]) -> float:
        return sum(orders[customer] >= 2 for customer in group) / len(group)

    def mean_spend(group: list[str]) -> float:
        return sum(spend[customer] for customer in group) / len(group)

    assert repeat_share(promoters) > repeat_share(detractors) + 0.1
    assert mean_spend(promoters) > 1.5 * mean_spend(detractors)


def test_customers_answer_the_relationship_survey_once_per_wave(landing: Path) -> None:
    customers = _records(landing / "commerce/customers.csv")
    by_email = {customer["email"].lower(): customer["customer_id"] for customer in customers}
    answers: dict[str, list[tuple[str, str, dict[str, str]]]] = {}
    for wave in QUALTRICS_FILES:
        rows = _rows(landing / wave)
        for row in rows[3:]:
            record = dict(zip(rows[0], row, strict=True))
            customer = record["ExternalReference"] or by_email.get(record["RecipientEmail"].lower())
            if customer:
                answers.setdefault(customer, []).append((record["StartDate"], wave, record))
    assert len(answers) > 0.5 * len(customers)

    def started(record: dict[str, str]) -> datetime:
        return datetime.strptime(record["StartDate"], "%Y-%m-%d %H:%M:%S")

    resubmitted = 0
    for customer, history in answers.items():
        history.sort(key=lambda answer: answer[0])
        for (_, wave, earlier), (_, next_wave, later) in pairwise(history):
            gap = started(later) - started(earlier)
            if next_wave != wave:
                # The next wave's invitation comes about six months after the last one.
                assert gap > timedelta(days=150), (customer, earlier, later)
                continue
            # Twice in one wave only as the same form sent again, with the same contact
            # details, so it is the same respondent to the duplicate warning.
            resubmitted += 1
            assert gap <= timedelta(days=3), (customer, earlier, later)
            for column in ("ExternalReference", "RecipientEmail"):
                assert later[column] == earlier[column], (customer, column)
    responses = sum(len(history) for history in answers.values())
    assert 1 <= resubmitted <= 0.005 * responses


def test_reviews_and_polls_are_well_formed(landing: Path) -> None:
    reviews = _reviews(landing)
    ids = [review["review_id"] for review in reviews]
    assert len(set(ids)) == len(ids)
    replied_by_stars: dict[int, list[bool]] = {}
    for review in reviews:
        rating = int(str(review["rating"]))
        assert 1 <= rating <= 5
        assert UTC_STAMP.match(str(review["created_at"]))
        assert re.fullmatch(r"(tp|gg|as|gp|yp)-\d{6,}", str(review["review_id"]))
        if review["replied_at"]:
            assert str(review["replied_at"]) > str(review["created_at"])
        replied_by_stars.setdefault(rating, []).append(bool(review["reply_body"]))
    replied = sum(sum(flags) for flags in replied_by_stars.values()) / len(reviews)
    assert 0.2 < replied < 0.4
    low = replied_by_stars[1] + replied_by_stars[2]
    assert sum(low) / len(low) > sum(replied_by_stars[5]) / len(replied_by_stars[5])
    with (landing / "reviews/app_reviews_2025.jsonl").open(encoding="utf-8") as handle:
        app_platforms = {json.loads(line)["platform"] for line in handle}
    assert app_platforms == {"app_store", "google_play"}

    polls: dict[str, list[dict[str, str]]] = {}
    for option in _records(landing / "polls/poll_results_2025.csv"):
        polls.setdefault(option["poll_id"], []).append(option)
        assert int(option["votes"]) >= 0
        assert option["voting_status"] in {"closed", "open"}
        assert UTC_STAMP.match(option["started_at"]) and UTC_STAMP.match(option["ends_at"])
    for options in polls.values():
        assert 2 <= len(options) <= 4
        assert [int(option["option_position"]) for option in options] == list(
            range(1, len(options) + 1)
        )
    topics = {options[0]["topic"] for options in polls.values()}
    assert topics == {
        "mobile_shopping",
        "product_quality",
        "support",
        "repurchase_intent",
        "missing_items",
        "improvements",
    }
    assert any(options[0]["voting_status"] == "open" for options in polls.values())


def test_competitor_reviews_are_of_the_places_the_brand_seed_maps(landing: Path) -> None:
    places = {
        (row["platform"], row["match_column"], row["match_value"]): row["brand"]
        for row in _records(REVIEW_BRANDS_SEED)
        if row["is_own_brand"] != "true"
    }
    ratings: dict[str, list[int]] = {}
    own_ids = {str(review["review_id"]) for review in _reviews(landing)}
    for review in _records(landing / "reviews/competitor_reviews.csv"):
        by_location = places.get((review["platform"], "location", review["location"]))
        by_product = places.get((review["platform"], "product", review["product"]))
        brand = by_location or by_product
        assert brand is not None and not (by_location and by_product), review
        assert review["review_id"] not in own_ids
        assert re.fullmatch(r"(tp|gg|as|gp|yp)-(tg|ss)\d{6}", review["review_id"])
        assert not review["reviewer_email"] and not review["customer_reference"]
        assert UTC_STAMP.match(review["created_at"])
        ratings.setdefault(brand, []).append(int(review["rating"]))
    assert set(ratings) == {"Taiga Gear", "Summit Supply"}
    own = [int(str(review["rating"])) for review in _reviews(landing)]

    def mean(values: list[int]) -> float:
        return sum(values) / len(values)

    # One competitor is liked more than the shop, the other less: the benchmark has both.
    assert mean(ratings["Summit Supply"]) + 0.4 < mean(own) < mean(ratings["Taiga Gear"])


def test_multilingual_text_round_trips_as_utf8(landing: Path) -> None:
    reviews = _reviews(landing)
    languages = Counter(str(review["language"]) for review in reviews)
    assert set(languages) == {"en", "fi", "et", "hr", "ro", "de", "fr", "ja"}
    text = "\n".join(f"{review['title']} {review['body']}" for review in reviews)
    for letters in ("ä", "õ", "č", "ș", "ț", "ü", "é", "ç"):
        assert letters in text, letters
    japanese = [str(review["body"]) for review in reviews if review["language"] == "ja"]
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", body) for body in japanese)
    for name in (
        *QUALTRICS_FILES,
        "reviews/reviews_2024.csv",
        "surveys/google_forms_post_purchase.csv",
    ):
        raw = (landing / name).read_bytes()
        assert raw.decode("utf-8").encode("utf-8") == raw
        assert "ä".encode() in raw  # written as UTF-8, not as an escape or a legacy code page


def test_some_open_texts_carry_contact_details(landing: Path) -> None:
    texts = [record["Q8_TEXT"] for record in _qualtrics(landing) if record["Q8_TEXT"]]
    texts += [str(review["body"]) for review in _reviews(landing)]
    share = sum(bool(CONTACT.search(text)) for text in texts) / len(texts)
    assert 0.005 < share < 0.05


def test_registry_describes_every_survey_column(landing: Path) -> None:
    document = yaml.safe_load((landing / "survey_registry.yml").read_text(encoding="utf-8"))
    relationship, post_purchase = document["surveys"]
    items = {item["item_id"]: item for item in relationship["items"]}
    assert list(items) == QUALTRICS_HEADER[17:]
    assert items["Q1"]["instrument"] == "nps" and items["Q1"]["scale"] == [0, 10]
    assert items["Q7_2"]["direction"] == "lower_is_better"
    assert items["Q4_4"]["name"] == "site_navigation"
    forms_items = [item["item_id"] for item in post_purchase["items"]]
    assert forms_items == GOOGLE_FORMS_HEADER[2:]

    registry = load_registry(landing / "survey_registry.yml")
    for name in QUALTRICS_FILES:
        survey = registry.survey_for(name)
        assert survey is not None and survey.survey_id == "relationship_nps"
    forms = registry.survey_for("surveys/google_forms_post_purchase.csv")
    assert forms is not None and forms.touchpoint == "checkout"
    # Answered once per order: a repeat is a duplicate only on the same day.
    assert forms.kind == "transactional" and forms.duplicate_window_days is None
    assert registry.surveys[0].kind == "relationship"


def test_command_line_writes_the_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "cli"), "--seed", "3", "--scale", "0.05"]) == 0
    assert "commerce/customers.csv" in capsys.readouterr().out
    for name in ALL_FILES:
        assert (tmp_path / "cli" / name).is_file(), name
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "bad"), "--scale", "0"])
