"""Cases for the X polls, Google Business Profile and App Store Connect clients."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

from ingestion.api import app_store, google_business, x_polls
from tests.api.fake_x_google_business_app_store import (
    FakeAppStoreConnect,
    FakeGoogleBusiness,
    FakeX,
)
from tests.api.vendor_cases import START, VendorCase, at, day

FIRST_TWEET_ID = 1_850_000_000_000_000_000
PLAIN_TWEETS_PER_POLL = 2  # a brand timeline is mostly tweets without polls
OPEN_POLLS_AT_SEED = 2


def x_case() -> VendorCase:
    fake = FakeX()

    def add_poll(number: int, status: str) -> None:
        tweet_id = str(FIRST_TWEET_ID + 10 * number)
        poll_id = str(1_400_000_000_000_000_000 + number)
        fake.tweets.append(
            {"id": tweet_id, "text": f"Which delivery option do you prefer? ({number})",
             "created_at": at(number), "attachments": {"poll_ids": [poll_id]},
             "edit_history_tweet_ids": [tweet_id]}
        )  # fmt: skip
        fake.polls[poll_id] = {
            "id": poll_id,
            "options": [
                {"position": position, "label": f"Option {position}", "votes": number * position}
                for position in range(1, 3 + number % 3)
            ],
            "voting_status": status,
            "duration_minutes": 1440,
            "end_datetime": at(number + 24),
        }
        for plain in range(1, PLAIN_TWEETS_PER_POLL + 1):
            fake.tweets.append(
                {"id": str(int(tweet_id) + plain), "text": f"Update {number}.{plain}",
                 "created_at": at(number)}
            )  # fmt: skip

    def seed(count: int) -> None:
        for number in range(1, count + 1):
            add_poll(number, "open" if number > count - OPEN_POLLS_AT_SEED else "closed")

    def add_new() -> None:
        add_poll(len(fake.polls) + 1, "open")

    def edit_old() -> tuple[str, str]:
        # votes keep coming in on the newest open poll
        poll = list(fake.polls.values())[-1]
        poll["options"][0]["votes"] += 40
        return poll["id"], str(poll["options"][0]["votes"])

    return VendorCase(
        "x", fake, "poll_options", "poll_id", "votes", seed, add_new, edit_old,
        x_polls.from_environment, {"USER_ID": fake.user_id, "PAGE_SIZE": "5"},
        count_sql=(
            # rows beyond one per (poll, option) are duplicates: (polls + duplicates, polls)
            "select count(*) - count(distinct (poll_id, option_position))"
            " + count(distinct poll_id), count(distinct poll_id) from raw.poll_options"
        ),
        value_filter="option_position = '1'",
    )  # fmt: skip


def google_business_case() -> VendorCase:
    fake = FakeGoogleBusiness()
    stars = ["ONE", "TWO", "THREE", "FOUR", "FIVE"]

    def review(number: int) -> dict[str, Any]:
        return {
            "name": f"accounts/{fake.account_id}/locations/{fake.location_id}/reviews/g{number}",
            "reviewId": f"g{number}",
            "reviewer": {"profilePhotoUrl": "https://example.com/p.png",
                         "displayName": f"Reviewer {number}"},
            "starRating": stars[number % 5],
            "comment": f"Comment {number}",
            "createTime": day(number),
            "updateTime": day(number),
        }  # fmt: skip

    def seed(count: int) -> None:
        fake.reviews.extend(review(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.reviews.append(review(len(fake.reviews) + 1))

    def edit_old() -> tuple[str, str]:
        # a reply leaves the review's updateTime alone: only the lookback finds it
        old = fake.reviews[-2]
        old["reviewReply"] = {"comment": "Thank you for visiting", "updateTime": day(20)}
        return old["reviewId"], "Thank you for visiting"

    return VendorCase(
        "google_business", fake, "reviews", "review_id", "reply_body", seed, add_new, edit_old,
        google_business.from_environment,
        {"ACCOUNT_ID": fake.account_id, "LOCATION_ID": fake.location_id, "LOOKBACK_DAYS": "2"},
    )  # fmt: skip


def app_store_local_time(days: int) -> str:
    """App Store Connect writes times in Pacific time with an offset."""
    pacific = timezone(timedelta(hours=-7))
    return (START + timedelta(days=days)).astimezone(pacific).isoformat()


def app_store_case() -> VendorCase:
    fake = FakeAppStoreConnect()

    def review(number: int) -> dict[str, Any]:
        return {
            "type": "customerReviews",
            "id": f"00000{number}-a1b2-c3d4",
            "attributes": {
                "rating": 1 + number % 5,
                "title": f"Title {number}",
                "body": f"Body {number}",
                "reviewerNickname": f"nick{number}",
                "createdDate": app_store_local_time(number),
                "territory": "USA" if number % 2 else "DEU",
            },
            "links": {"self": f"https://api.appstoreconnect.apple.com/v1/customerReviews/{number}"},
        }

    def seed(count: int) -> None:
        fake.reviews.extend(review(number) for number in range(1, count + 1))

    def add_new() -> None:
        fake.reviews.append(review(len(fake.reviews) + 1))

    def edit_old() -> tuple[str, str]:
        old = fake.reviews[-2]
        fake.responses[old["id"]] = {
            "type": "customerReviewResponses",
            "id": f"response-{old['id']}",
            "attributes": {
                "responseBody": "Fixed in version 2.1, thanks",
                "lastModifiedDate": app_store_local_time(20),
                "state": "PUBLISHED",
            },
        }
        return old["id"], "Fixed in version 2.1, thanks"

    return VendorCase(
        "app_store_connect", fake, "reviews", "review_id", "reply_body", seed, add_new, edit_old,
        app_store.from_environment, {"APP_ID": fake.app_id, "LOOKBACK_DAYS": "2"},
    )  # fmt: skip
