"""Acceptance cases for the Google Play, Yelp and Qualtrics clients (see vendor_cases)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ingestion.api import googleplay, qualtrics, yelp
from tests.api.fake_google_play_yelp_qualtrics import (
    FakeGooglePlay,
    FakeQualtrics,
    FakeYelp,
    QualtricsResponse,
)
from tests.api.vendor_cases import START, VendorCase


def seconds(hours: int) -> dict[str, Any]:
    moment = START + timedelta(hours=hours)
    return {"seconds": str(int(moment.timestamp())), "nanos": 250000000}


def google_play_case() -> VendorCase:
    fake = FakeGooglePlay(now=START + timedelta(days=3))

    def review(number: int) -> dict[str, Any]:
        return {
            "reviewId": f"gp:AOqpTO{number:04d}",
            "authorName": f"Player {number}",
            "comments": [
                {
                    "userComment": {
                        "text": f"\tThe app crashed {number} times",
                        "lastModified": seconds(number),
                        "starRating": 1 + number % 5,
                        "reviewerLanguage": "en",
                        "device": "a10",
                        "androidOsVersion": 33,
                        "appVersionCode": 412,
                        "appVersionName": "4.1.2",
                        "thumbsUpCount": 0,
                        "thumbsDownCount": 0,
                    }
                }
            ],
        }

    def seed(count: int) -> None:
        fake.reviews.extend(review(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.reviews.append(review(len(fake.reviews) + 1))

    def edit_old() -> tuple[str, str]:
        # the oldest review gets a developer reply: its modification time moves forward
        old = fake.reviews[0]
        reply = {"text": "Fixed in 4.1.3, thanks!", "lastModified": seconds(20)}
        old["comments"].append({"developerComment": reply})
        return old["reviewId"], reply["text"]

    return VendorCase(
        "google_play", fake, "reviews", "review_id", "reply_body", seed, add_new, edit_old,
        googleplay.from_environment,
        {"PACKAGE_NAME": fake.package_name, "LOOKBACK_HOURS": "2"},
    )  # fmt: skip


def yelp_case() -> VendorCase:
    fake = FakeYelp()
    pacific = ZoneInfo("America/Los_Angeles")

    def review(number: int) -> dict[str, Any]:
        created = (START + timedelta(days=number)).astimezone(pacific)
        return {
            "id": f"yelp-{number:03d}xQ",
            "url": f"https://www.yelp.com/biz/{fake.business_id}?hrid=yelp-{number:03d}xQ",
            "text": f"Friendly staff, visit {number}...",
            "rating": 1 + number % 5,
            "time_created": created.strftime("%Y-%m-%d %H:%M:%S"),
            "user": {
                "id": f"u{number}",
                "profile_url": f"https://www.yelp.com/user_details?userid=u{number}",
                "image_url": None,
                "name": f"Alex {chr(64 + number % 26 + 1)}.",
            },
        }

    def seed(count: int) -> None:
        fake.reviews.extend(review(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.reviews.append(review(len(fake.reviews) + 1))

    def edit_old() -> tuple[str, str]:
        # edited a day before the newest review loaded: inside the two-day lookback
        old = fake.reviews[-2]
        old["text"] = "Updated: they sorted out my return quickly..."
        return old["id"], old["text"]

    return VendorCase(
        "yelp", fake, "reviews", "review_id", "body", seed, add_new, edit_old,
        yelp.from_environment, {"BUSINESS_ID": fake.business_id, "LOOKBACK_DAYS": "2"},
    )  # fmt: skip


def qualtrics_case() -> VendorCase:
    fake = FakeQualtrics()

    def response(number: int) -> QualtricsResponse:
        return QualtricsResponse(
            response_id=f"R_{number:04d}abc",
            recorded=START + timedelta(days=number),
            nps=number % 11,
            why=f'Because {number}, "quoted"\nand on two lines',
            external_reference=f"cust-{number}",
            email=f"respondent{number}@example.com",
            finished=number != 2,
        )

    def seed(count: int) -> None:
        fake.responses.extend(response(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.responses.append(response(len(fake.responses) + 1))

    def edit_old() -> tuple[str, str]:
        # the external reference of a response recorded inside the lookback is corrected
        old = fake.responses[-2]
        old.external_reference = "cust-corrected"
        return old.response_id, old.external_reference

    return VendorCase(
        "qualtrics", fake, "survey_responses", "response_id", "external_reference", seed,
        add_new, edit_old, qualtrics.from_environment,
        {"SURVEY_ID": fake.survey_id, "LOOKBACK_DAYS": "2"}, pages_before_failure=0,
    )  # fmt: skip


GOOGLE_PLAY_YELP_QUALTRICS_CASES: dict[str, Callable[[], VendorCase]] = {
    "google_play": google_play_case,
    "yelp": yelp_case,
    "qualtrics": qualtrics_case,
}
