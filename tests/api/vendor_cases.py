"""Per-vendor test cases: seed a fake API, add or edit records, build the puller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ingestion.api import shopify, surveymonkey, trustpilot, typeform
from ingestion.api.http import RetryPolicy
from ingestion.api.window import Puller
from tests.api.fake_vendors import (
    FakeShopify,
    FakeSurveyMonkey,
    FakeTrustpilot,
    FakeTypeform,
    FakeVendor,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
PAGE_SIZE = 2


def at(hours: int) -> str:
    return (START + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(days: int) -> str:
    return at(24 * days)


@dataclass
class VendorCase:
    """What every vendor test needs; `count_sql` counts the main table's rows per key."""

    name: str
    fake: FakeVendor
    table: str
    key_column: str
    edited_column: str
    seed: Callable[[int], None]
    add_new: Callable[[], None]
    edit_old: Callable[[], tuple[str, str]]  # key of the edited record, its new value
    from_environment: Callable[[], Puller]
    settings: dict[str, str] = field(default_factory=dict)
    requests_before_pages: int = 0  # e.g. SurveyMonkey's survey details
    # A record loaded as several rows (a poll's options): `count_sql` answers (records plus
    # duplicate rows, records), and `value_filter` picks the row `edit_old` changed.
    count_sql: str | None = None
    value_filter: str | None = None
    # pages a window commits before the failure test's scripted failure (0 when one export
    # file is every page, as for Qualtrics)
    pages_before_failure: int = 2

    def puller(self, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], token: str) -> Puller:
        prefix = f"PULSE_API_{self.name.upper()}_"
        monkeypatch.setenv(prefix + "BASE_URL", self.fake.base_url)
        monkeypatch.setenv(prefix + "TOKEN", token)
        monkeypatch.setenv(prefix + "PAGE_SIZE", str(PAGE_SIZE))
        for name, value in self.settings.items():
            monkeypatch.setenv(prefix + name, value)
        puller = self.from_environment()
        http = puller.http  # type: ignore[attr-defined]
        http.sleep = sleeps.append
        http.retry = RetryPolicy(max_attempts=3, base_delay_seconds=0.01)
        http.timeout_seconds = 5
        return puller


def trustpilot_case() -> VendorCase:
    fake = FakeTrustpilot()

    def review(number: int) -> dict[str, Any]:
        return {
            "id": f"r{number}",
            "stars": 1 + number % 5,
            "title": f"Review {number}",
            "text": f"Text of review {number}",
            "language": "en",
            "createdAt": day(number),
            "updatedAt": day(number),
            "consumer": {"id": f"c{number}", "displayName": f"Consumer {number}"},
            "referralEmail": f"consumer{number}@example.com",
            "referenceId": f"cust-{number}",
            "companyReply": None,
        }

    def seed(count: int) -> None:
        fake.reviews.extend(review(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.reviews.append(review(len(fake.reviews) + 1))

    def edit_old() -> tuple[str, str]:
        # created a day before the newest review loaded: inside the two-day lookback
        old = fake.reviews[-2]
        old["companyReply"] = {"text": "Sorry to hear that", "createdAt": day(20)}
        old["updatedAt"] = day(20)
        return old["id"], "Sorry to hear that"

    return VendorCase(
        "trustpilot", fake, "reviews", "review_id", "reply_body", seed, add_new, edit_old,
        trustpilot.from_environment,
        {"BUSINESS_UNIT_ID": fake.business_unit_id, "LOOKBACK_DAYS": "2"},
    )  # fmt: skip


def typeform_case() -> VendorCase:
    fake = FakeTypeform()

    def item(number: int, *, partial: bool = False) -> dict[str, Any]:
        answers: list[dict[str, Any]] = [
            {"field": {"id": "f1", "ref": "nps", "type": "opinion_scale"}, "type": "number",
             "number": number % 11},
            {"field": {"id": "f3", "ref": "email", "type": "email"}, "type": "email",
             "email": f"respondent{number}@example.com"},
        ]  # fmt: skip
        if not partial:
            answers.append(
                {"field": {"id": "f2", "ref": "why", "type": "long_text"}, "type": "text",
                 "text": f"Because {number}"}
            )  # fmt: skip
        return {
            "landing_id": f"t{number}",
            "token": f"t{number}",
            "response_id": f"t{number}",
            "response_type": "partial" if partial else "completed",
            "landed_at": at(number - 1),
            "submitted_at": None if partial else at(number),
            "metadata": {"platform": "other"},
            "hidden": {"customer_id": f"cust-{number}"},
            "answers": answers,
        }

    def seed(count: int) -> None:
        fake.items.extend(item(n, partial=n == 1) for n in range(1, count + 1))
        # two responses submitted in the same second as the newest: the inclusive cursor
        fake.items.append({**item(count + 1), "submitted_at": at(count)})

    def add_new() -> None:
        fake.items.append(item(len(fake.items) + 1))

    def edit_old() -> tuple[str, str]:
        completed = item(1)
        completed["submitted_at"] = at(300)
        fake.items[0] = completed
        return "t1", at(300)

    return VendorCase(
        "typeform", fake, "survey_responses", "response_id", "submitted_at", seed, add_new,
        edit_old, typeform.from_environment, {"FORM_ID": fake.form_id},
    )  # fmt: skip


def shopify_case() -> VendorCase:
    fake = FakeShopify()

    def order(number: int) -> dict[str, Any]:
        return {
            "id": 1000 + number,
            "email": f"buyer{number % 3}@example.com",
            "created_at": at(number),
            "processed_at": at(number),
            "updated_at": at(number),
            "cancelled_at": None,
            "financial_status": "paid",
            "currency": "EUR",
            "total_line_items_price": f"{10 * number}.00",
            "total_discounts": "0.00",
            "total_price": f"{10 * number}.00",
            "source_name": "web",
            "location_id": None,
            "line_items": [{"product_type": "shoes"}],
            "customer": {
                "id": 500 + number % 3,
                "email": f"buyer{number % 3}@example.com",
                "first_name": "Buyer",
                "last_name": str(number % 3),
                "phone": None,
                "created_at": at(0),
                "default_address": {"country_code": "DE", "city": "Berlin"},
            },
        }

    def seed(count: int) -> None:
        fake.orders.extend(order(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.orders.append(order(len(fake.orders) + 1))

    def edit_old() -> tuple[str, str]:
        old = fake.orders[0]
        old["cancelled_at"] = at(400)
        old["updated_at"] = at(400)
        return str(old["id"]), "cancelled"

    return VendorCase(
        "shopify", fake, "orders", "order_id", "status", seed, add_new, edit_old,
        shopify.from_environment, {"API_VERSION": fake.api_version},
    )  # fmt: skip


def surveymonkey_case() -> VendorCase:
    fake = FakeSurveyMonkey()

    def response(number: int, status: str = "completed") -> dict[str, Any]:
        return {
            "id": f"sm{number}",
            "survey_id": fake.survey_id,
            "response_status": status,
            "collection_mode": "default",
            "date_created": day(number),
            "date_modified": day(number),
            "total_time": 60 + number,
            "custom_variables": {"customer_id": f"cust-{number}"},
            "metadata": {"contact": {"email": {"value": f"sm{number}@example.com"}}},
            "pages": [
                {
                    "id": "p1",
                    "questions": [
                        {"id": "q1", "answers": [{"choice_id": f"c{number % 11}"}]},
                        {"id": "q2", "answers": [{"text": f"Because {number}"}]},
                    ],
                }
            ],
        }

    def seed(count: int) -> None:
        fake.responses.extend(
            response(n, "partial" if n == count - 1 else "completed") for n in range(1, count + 1)
        )

    def add_new() -> None:
        fake.responses.append(response(len(fake.responses) + 1))

    def edit_old() -> tuple[str, str]:
        # the partial response is completed later: same id, new date_modified
        old = fake.responses[-2]
        old["response_status"] = "completed"
        old["date_modified"] = day(20)
        return old["id"], "true"

    return VendorCase(
        "surveymonkey", fake, "survey_responses", "response_id", "is_finished", seed, add_new,
        edit_old, surveymonkey.from_environment,
        {"SURVEY_ID": fake.survey_id, "LOOKBACK_DAYS": "2"}, requests_before_pages=1,
    )  # fmt: skip


# Imported last: these cases build on VendorCase above.
from tests.api.cases_x_google_business_app_store import app_store_case, google_business_case, x_case  # noqa: E402

CASES = {
    "trustpilot": trustpilot_case,
    "typeform": typeform_case,
    "surveymonkey": surveymonkey_case,
    "shopify": shopify_case,
    "x": x_case,
    "google_business": google_business_case,
    "app_store_connect": app_store_case,
}
