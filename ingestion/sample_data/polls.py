"""Social-media polls run by the shop during 2025, one row per option."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime
from pathlib import Path

from ingestion.sample_data.catalog import BRAND, DAY
from ingestion.sample_data.customers import iso_utc

POLL_COLUMNS: tuple[str, ...] = (
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
)
POLL_PLATFORMS: tuple[str, ...] = ("x", "facebook", "instagram", "linkedin", "tiktok")
# Typical votes per poll: audiences differ a lot between platforms.
PLATFORM_AUDIENCE: dict[str, float] = {
    "x": 900.0,
    "facebook": 650.0,
    "instagram": 1400.0,
    "linkedin": 220.0,
    "tiktok": 2300.0,
}
_FIRST_START = datetime(2025, 1, 6, 9, tzinfo=UTC).timestamp()
_LAST_START = datetime(2025, 12, 29, 9, tzinfo=UTC).timestamp()
# Results were exported at the end of the history; polls still running are "open".
_EXPORTED_AT = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()

# topic -> variants of (question, options with their expected share of votes)
POLL_BANK: dict[str, tuple[tuple[str, tuple[tuple[str, float], ...]], ...]] = {
    "mobile_shopping": (
        (
            f"How do you like shopping on the {BRAND} app?",
            (
                ("Love it", 0.38),
                ("It's okay", 0.30),
                ("Needs work", 0.17),
                ("Haven't tried it", 0.15),
            ),
        ),
        (
            "Do you shop more on your phone than on a computer?",
            (("Phone", 0.64), ("Computer", 0.36)),
        ),
    ),
    "product_quality": (
        (
            "How would you rate the quality of your latest gear from us?",
            (("Excellent", 0.35), ("Good", 0.40), ("Average", 0.18), ("Poor", 0.07)),
        ),
        (
            "Did your jacket survive the winter?",
            (("Like new", 0.52), ("Some wear", 0.38), ("Fell apart", 0.10)),
        ),
    ),
    "support": (
        (
            "Did our support team solve your issue?",
            (("Yes, quickly", 0.48), ("Yes, eventually", 0.32), ("No", 0.20)),
        ),
        (
            "How would you rather contact our support?",
            (("Chat", 0.46), ("E-mail", 0.30), ("Phone", 0.24)),
        ),
    ),
    "repurchase_intent": (
        (
            "How likely are you to shop with us again?",
            (("Very likely", 0.55), ("Maybe", 0.32), ("Unlikely", 0.13)),
        ),
        ("Will you buy from us again this year?", (("Yes", 0.71), ("No", 0.29))),
    ),
    "missing_items": (
        (
            "What was missing from our range this season?",
            (
                ("Bigger sizes", 0.28),
                ("More colours", 0.25),
                ("Kids' gear", 0.20),
                ("Nothing", 0.27),
            ),
        ),
    ),
    "improvements": (
        (
            "What should we improve first?",
            (("Delivery speed", 0.30), ("Prices", 0.30), ("Returns", 0.22), ("The app", 0.18)),
        ),
        (
            "Which would make you shop more often?",
            (("Free returns", 0.44), ("Loyalty points", 0.34), ("Repair service", 0.22)),
        ),
    ),
}
TOPICS: tuple[str, ...] = tuple(POLL_BANK)


def write_polls(rng: random.Random, path: Path, total: int) -> int:
    """Write `total` polls spread over 2025; returns the number of option rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefixes = {platform: platform[:2] if platform != "x" else "x" for platform in POLL_PLATFORMS}
    rows = 0
    span = _LAST_START - _FIRST_START
    still_running = max(1, round(total / 12))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(POLL_COLUMNS)
        for index in range(total):
            started = _FIRST_START + span * (index + rng.random()) / total
            ends = started + rng.choice((1, 1, 3, 7)) * DAY
            if index >= total - still_running:  # launched in the last days of the year
                started = _EXPORTED_AT - rng.uniform(0.2, 2.0) * DAY
                ends = started + rng.choice((3, 7)) * DAY
            topic = TOPICS[index % len(TOPICS)]
            question, options = rng.choice(POLL_BANK[topic])
            platform = rng.choice(POLL_PLATFORMS)
            total_votes = round(PLATFORM_AUDIENCE[platform] * rng.lognormvariate(0.0, 0.5))
            # Each poll's audience leans its own way around the expected shares.
            leanings = [share * rng.gammavariate(20.0, 1.0) for _, share in options]
            leaning_sum = sum(leanings)
            status = "closed" if ends <= _EXPORTED_AT else "open"
            poll_id = f"{prefixes[platform]}-{1001 + index}"
            for position, ((label, _), leaning) in enumerate(
                zip(options, leanings, strict=True), start=1
            ):
                votes = round(total_votes * leaning / leaning_sum)
                writer.writerow(
                    (
                        poll_id,
                        platform,
                        question,
                        position,
                        label,
                        votes,
                        status,
                        iso_utc(started),
                        iso_utc(ends),
                        topic,
                    )
                )
                rows += 1
    return rows
