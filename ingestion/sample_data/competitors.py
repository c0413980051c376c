"""Two competitors' public reviews, on the same platforms and in the same export layout.

Their places (store locations, Trustpilot business units, app ids) are the ones the dbt
seed `review_brands` maps to each brand, read from that seed so the two never disagree.
Taiga Gear is liked a little more than Northwind Outfitters and praised for quality and
fit; Summit Supply is liked less and blamed for delivery and support.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from ingestion.sample_data.catalog import (
    CATEGORIES,
    DAY,
    FIRST_NAMES,
    HISTORY_END,
    HISTORY_START,
    LAST_NAMES,
    MARKET_WEIGHTS,
    MARKETS,
    Market,
)
from ingestion.sample_data.customers import iso_utc
from ingestion.sample_data.reviews import ID_PREFIX, REVIEW_COLUMNS
from ingestion.sample_data.texts import THEMES, feedback_text, reply_text, review_title
from ingestion.settings import DBT_PROJECT_DIR

REVIEW_BRANDS_SEED = DBT_PROJECT_DIR / "seeds" / "review_brands.csv"
COMPETITOR_REVIEWS_FILE = "competitor_reviews.csv"
# The store a location place stands in, by the city its id names.
_MARKET_BY_CITY = {market.city.lower(): market for market in MARKETS}


@dataclass(frozen=True)
class Competitor:
    brand: str
    code: str  # in review ids, so they never collide with ours
    satisfaction: tuple[float, float]  # beta distribution of how happy its reviewers are
    praised: tuple[str, ...]  # themes happy reviewers write about
    blamed: tuple[str, ...]  # themes unhappy reviewers write about
    reply_share: float


COMPETITORS: tuple[Competitor, ...] = (
    Competitor("Taiga Gear", "tg", (5.0, 1.6), ("product_quality", "sizing"), ("price",), 0.25),
    Competitor("Summit Supply", "ss", (2.4, 2.2), ("price",), ("delivery", "support"), 0.08),
)


@dataclass(frozen=True)
class Place:
    platform: str
    column: str  # location or product
    value: str


def competitor_places(seed: Path = REVIEW_BRANDS_SEED) -> dict[str, list[Place]]:
    """brand -> the places the seed maps to it (competitors only)."""
    places: dict[str, list[Place]] = {}
    with seed.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["is_own_brand"].strip().lower() == "true":
                continue
            places.setdefault(row["brand"], []).append(
                Place(row["platform"], row["match_column"], row["match_value"])
            )
    return places


def _market_of(place: Place, rng: random.Random) -> Market:
    """The market of a store's place (its city is in its id); online places draw one."""
    if place.column == "location":
        for city, market in _MARKET_BY_CITY.items():
            if city in place.value:
                return market
    return rng.choices(MARKETS, MARKET_WEIGHTS)[0]


def _review(
    rng: random.Random, competitor: Competitor, place: Place, moment: float, sequence: int
) -> list[str]:
    market = _market_of(place, rng)
    language = market.language
    satisfaction = rng.betavariate(*competitor.satisfaction)
    rating = min(5, max(1, round(4.6 * satisfaction + 0.6 + rng.gauss(0, 0.7))))
    themes = competitor.praised if rating >= 4 else competitor.blamed
    theme = rng.choice(themes) if rng.random() < 0.7 else rng.choice(THEMES)
    if place.column == "product":
        product, location = place.value, "app"
    else:
        product, location = rng.choice(CATEGORIES), place.value
    first = rng.choice(FIRST_NAMES[market.country])
    last = rng.choice(LAST_NAMES[market.country])
    reply = replied = ""
    if rng.random() < competitor.reply_share:
        reply = reply_text(language, rating)
        replied = iso_utc(moment + rng.uniform(0.2, 8.0) * DAY)
    return [
        f"{ID_PREFIX[place.platform]}-{competitor.code}{sequence:06d}",
        place.platform,
        product,
        location,
        str(rating),
        review_title(rng, language, rating),
        feedback_text(rng, language, theme, (rating - 1) / 4),
        language,
        f"{first} {last[0]}.",
        "",
        "",
        iso_utc(moment),
        reply,
        replied,
    ]


def write_competitor_reviews(rng: random.Random, reviews_dir: Path, per_brand: int) -> int:
    """Write both competitors' reviews over the whole history into one review CSV."""
    reviews_dir.mkdir(parents=True, exist_ok=True)
    places = competitor_places()
    span = HISTORY_END - HISTORY_START
    rows = []
    for competitor in COMPETITORS:
        brand_places = places[competitor.brand]
        for index in range(per_brand):
            moment = HISTORY_START + span * (index + rng.random()) / per_brand
            place = rng.choice(brand_places)
            rows.append((moment, _review(rng, competitor, place, moment, index + 1)))
    rows.sort(key=lambda item: (item[0], item[1][0]))
    with (reviews_dir / COMPETITOR_REVIEWS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REVIEW_COLUMNS)
        writer.writerows(row for _, row in rows)
    return len(rows)
