from pathlib import Path

import pytest

from ingestion.detect import detect
from tests.conftest import FIXTURE_LANDING


@pytest.mark.parametrize(
    ("relative", "vendor", "layout"),
    [
        ("surveys/qualtrics_pulse_small.csv", "qualtrics", "qualtrics_csv_3_header"),
        ("surveys/google_forms_post_purchase.csv", "google_forms", "google_forms_csv"),
        ("reviews/reviews_small.csv", "generic_reviews", "generic_review_csv"),
        ("reviews/app_reviews_small.jsonl", "generic_reviews", "generic_review_jsonl"),
        ("polls/poll_results_small.csv", "generic_polls", "generic_poll_csv"),
        ("commerce/customers_small.csv", "generic_commerce", "customers_csv"),
        ("commerce/orders_small.csv", "generic_commerce", "orders_csv"),
    ],
)
def test_detects_own_fixtures(relative: str, vendor: str, layout: str) -> None:
    detection = detect(FIXTURE_LANDING / relative)
    assert (detection.vendor, detection.layout) == (vendor, layout)
    assert detection.supported


def test_microsoft_forms_export_is_refused_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "form.csv"
    path.write_text(
        "ID,Start time,Completion time,Email,Name,How satisfied are you?\n1,x,y,a,b,5\n"
    )
    detection = detect(path)
    assert not detection.supported
    assert "Microsoft Forms" in detection.reason


def test_unknown_columns_are_named_in_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "mystery.csv"
    path.write_text("alpha,beta\n1,2\n")
    detection = detect(path)
    assert detection.layout is None
    assert "alpha" in detection.reason


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_encoding_is_detected(tmp_path: Path, encoding: str, expected: str) -> None:
    text = (FIXTURE_LANDING / "reviews" / "reviews_small.csv").read_text(encoding="utf-8")
    path = tmp_path / "reviews.csv"
    # Windows-1252 cannot hold every character of the fixture; keep what it can.
    path.write_bytes(text.encode(encoding, errors="replace"))
    detection = detect(path)
    assert detection.encoding == expected
    assert detection.layout == "generic_review_csv"


def test_real_qualtrics_and_google_forms_exports(real_fixtures: Path) -> None:
    qualtrics = detect(real_fixtures / "qualtrics" / "export_modern" / "sample.csv")
    forms = detect(real_fixtures / "google_forms" / "form_responses_1.csv")
    assert (qualtrics.vendor, qualtrics.layout) == ("qualtrics", "qualtrics_csv_3_header")
    assert (forms.vendor, forms.layout) == ("google_forms", "google_forms_csv")
