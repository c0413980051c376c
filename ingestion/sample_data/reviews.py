"""Public reviews on five platforms, in the reviewers' languages, with the shop's replies."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path
from typing import TextIO

from ingestion.sample_data.catalog import (
    CATEGORIES,
    DAY,
    FIRST_NAMES,
    HISTORY_END,
    HISTORY_START,
    LAST_NAMES,
    MARKET_WEIGHTS,
    MARKETS,
    STORE_CITIES,
    YEAR_2025_START,
)
from ingestion.sample_data.customers import Roster, customer_id, iso_utc
from ingestion.sample_data.texts import THEMES, feedback_text, reply_text, review_title

REVIEW_COLUMNS: tuple[str, ...] = (
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
)
PLATFORMS: tuple[str, ...] = ("trustpilot", "google", "app_store", "google_play", "yelp")
PLATFORM_WEIGHTS: tuple[float, ...] = (0.30, 0.32, 0.10, 0.10, 0.18)
ID_PREFIX: dict[str, str] = {
    "trustpilot": "tp",
    "google": "gg",
    "app_store": "as",
    "google_play": "gp",
    "yelp": "yp",
}
APP_PLATFORMS = frozenset({"app_store", "google_play"})
CUSTOMER_REVIEWER_SHARE = 0.85
# Reviews of the shop or a store talk about everything but the app.
_SHOP_THEMES: tuple[str, ...] = tuple(theme for theme in THEMES if theme != "app")


def _review(rng: random.Random, roster: Roster, moment: float, sequence: int) -> list[str]:
    platform = rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]
    available = roster.signed_up_before(moment)
    customer: int | None = None
    if available and rng.random() < CUSTOMER_REVIEWER_SHARE:
        customer = rng.randrange(available)
        satisfaction = min(1.0, max(0.0, roster.satisfaction[customer] + rng.gauss(0, 0.1)))
        market = roster.market_of(customer)
        language = roster.language[customer]
        first, last = roster.first_name[customer], roster.last_name[customer]
    else:
        satisfaction = rng.betavariate(4.0, 2.0)
        market = rng.choices(MARKETS, MARKET_WEIGHTS)[0]
        language = market.language
        first = rng.choice(FIRST_NAMES[market.country])
        last = rng.choice(LAST_NAMES[market.country])
    rating = min(5, max(1, round(4.6 * satisfaction + 0.6 + rng.gauss(0, 0.9))))

    if platform in APP_PLATFORMS:
        product, location = "app", "app"
        theme = "app" if rng.random() < 0.6 else rng.choice(THEMES)
    else:
        product = rng.choice(CATEGORIES)
        if platform == "trustpilot":
            location = "web"
        else:
            location = market.city if market.has_store else rng.choice(STORE_CITIES)
        theme = rng.choice(_SHOP_THEMES)

    reviewer_email = reference = ""
    contact = ""
    if customer is not None:
        contact = roster.phone[customer] or roster.email[customer]
        # Trustpilot invitations carry the shop's own e-mail and order reference.
        if platform == "trustpilot" and rng.random() < 0.55:
            reviewer_email = roster.email[customer]
            if rng.random() < 0.7:
                reference = customer_id(customer)
    reviewer_name = f"{first} {last}" if platform == "trustpilot" else f"{first} {last[0]}."

    reply = replied = ""
    reply_share = 0.17 + 0.12 * (5 - rating)
    if platform == "yelp":
        reply_share /= 2
    if rng.random() < reply_share:
        reply = reply_text(language, rating)
        replied = iso_utc(moment + rng.uniform(0.1, 5.0) * DAY)
    return [
        f"{ID_PREFIX[platform]}-{sequence:06d}",
        platform,
        product,
        location,
        str(rating),
        review_title(rng, language, rating),
        feedback_text(rng, language, theme, (rating - 1) / 4, contact),
        language,
        reviewer_name,
        reviewer_email,
        reference,
        iso_utc(moment),
        reply,
        replied,
    ]


def _json_line(handle: TextIO, row: list[str]) -> None:
    record: dict[str, object] = {}
    for column, value in zip(REVIEW_COLUMNS, row, strict=True):
        if column == "rating":
            record[column] = int(value)
        else:
            record[column] = value or None
    handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")


def write_reviews(
    rng: random.Random, roster: Roster, reviews_dir: Path, total: int
) -> dict[str, int]:
    """Write the 2024 and 2025 review CSVs and the 2025 app-store JSON lines."""
    reviews_dir.mkdir(parents=True, exist_ok=True)
    names = ("reviews_2024.csv", "reviews_2025.csv", "app_reviews_2025.jsonl")
    counts = dict.fromkeys(names, 0)
    span = HISTORY_END - HISTORY_START
    with (
        (reviews_dir / names[0]).open("w", encoding="utf-8", newline="") as file_2024,
        (reviews_dir / names[1]).open("w", encoding="utf-8", newline="") as file_2025,
        (reviews_dir / names[2]).open("w", encoding="utf-8", newline="") as app_file,
    ):
        csv_2024 = csv.writer(file_2024, lineterminator="\n")
        csv_2025 = csv.writer(file_2025, lineterminator="\n")
        csv_2024.writerow(REVIEW_COLUMNS)
        csv_2025.writerow(REVIEW_COLUMNS)
        for index in range(total):
            moment = HISTORY_START + span * (index + rng.random()) / total
            row = _review(rng, roster, moment, index + 1)
            if moment < YEAR_2025_START:
                csv_2024.writerow(row)
                counts[names[0]] += 1
            elif row[1] in APP_PLATFORMS:
                _json_line(app_file, row)
                counts[names[2]] += 1
            else:
                csv_2025.writerow(row)
                counts[names[1]] += 1
    return counts
