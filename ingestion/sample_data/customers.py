"""The customer base: who they are, how satisfied they are, written to customers.csv."""

from __future__ import annotations

import csv
import random
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingestion.sample_data.catalog import (
    FIRST_NAMES,
    HISTORY_START,
    LAST_NAMES,
    MARKET_WEIGHTS,
    MARKETS,
    Market,
    ascii_fold,
)

CUSTOMER_COLUMNS: tuple[str, ...] = (
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
)
CHANNELS: tuple[str, ...] = ("web", "app", "store")
REFERRED_SHARE = 0.15
# Sign-ups run until mid-December 2025 so even the newest customers can order once.
_SIGNUP_SPAN = datetime(2025, 12, 15, tzinfo=UTC).timestamp() - HISTORY_START
# Below 1 pushes sign-ups later: the shop grows, as its order volume does.
_SIGNUP_GROWTH = 0.8


def customer_id(index: int) -> str:
    return f"C{index + 1:06d}"


def iso_utc(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Roster:
    """What the other generators need to know about each customer, by 0-based index.

    Parallel compact arrays rather than one object per customer keep memory small at
    benchmark scale.
    """

    signed_up_at: array = field(default_factory=lambda: array("d"))
    satisfaction: array = field(default_factory=lambda: array("d"))  # latent, 0..1
    market: array = field(default_factory=lambda: array("b"))
    preferred_channel: array = field(default_factory=lambda: array("b"))
    language: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    phone: list[str] = field(default_factory=list)
    first_name: list[str] = field(default_factory=list)
    last_name: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.signed_up_at)

    def signed_up_before(self, timestamp: float) -> int:
        """How many customers had signed up by `timestamp` (sign-ups are in id order)."""
        return bisect_right(self.signed_up_at, timestamp)

    def market_of(self, index: int) -> Market:
        return MARKETS[self.market[index]]


def _phone(rng: random.Random, market: Market) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(market.subscriber_digits))
    return f"{market.phone_prefix}{rng.choice(market.mobile_codes)}{digits}"


def _email(rng: random.Random, first: str, last: str, market: Market, taken: set[str]) -> str:
    first_ascii, last_ascii = ascii_fold(first), ascii_fold(last)
    pattern = rng.random()
    if pattern < 0.45:
        local = f"{first_ascii}.{last_ascii}"
    elif pattern < 0.65:
        local = f"{first_ascii[0]}{last_ascii}"
    elif pattern < 0.85:
        local = f"{first_ascii}{last_ascii}{rng.randrange(1, 100)}"
    else:
        local = f"{first_ascii}_{last_ascii[:3]}{rng.randrange(1960, 2008)}"
    domain = rng.choice(market.email_domains)
    address = f"{local}@{domain}"
    while address in taken:
        address = f"{local}{rng.randrange(100, 10_000)}@{domain}"
    taken.add(address)
    # Some shops keep the capitals people typed; matching must ignore case.
    if rng.random() < 0.06:
        local_part, _, domain_part = address.partition("@")
        capitalised = ".".join(piece.capitalize() for piece in local_part.split("."))
        return f"{capitalised}@{domain_part}"
    return address


def _referrer(rng: random.Random, roster: Roster, before: int) -> int:
    """An earlier customer; happier customers recommend the shop more often."""
    candidate = rng.randrange(before)
    for _ in range(8):
        if rng.random() < roster.satisfaction[candidate] ** 2:
            break
        candidate = rng.randrange(before)
    return candidate


def write_customers(rng: random.Random, count: int, path: Path) -> Roster:
    """Write `count` customers in sign-up order and return their roster."""
    roster = Roster()
    taken_emails: set[str] = set()
    market_indexes = list(range(len(MARKETS)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CUSTOMER_COLUMNS)
        for index in range(count):
            position = ((index + rng.random()) / count) ** _SIGNUP_GROWTH
            signed_up = HISTORY_START + _SIGNUP_SPAN * position
            market_index = rng.choices(market_indexes, MARKET_WEIGHTS)[0]
            market = MARKETS[market_index]
            first = rng.choice(FIRST_NAMES[market.country])
            last = rng.choice(LAST_NAMES[market.country])
            email = _email(rng, first, last, market, taken_emails)
            phone = _phone(rng, market) if rng.random() < 0.9 else ""
            channel_weights = (0.45, 0.25, 0.30) if market.has_store else (0.65, 0.35, 0.0)
            channel = rng.choices((0, 1, 2), channel_weights)[0]

            roster.signed_up_at.append(signed_up)
            roster.satisfaction.append(rng.betavariate(5.0, 2.0))
            roster.market.append(market_index)
            roster.preferred_channel.append(channel)
            roster.language.append(market.language if rng.random() < 0.85 else "en")
            roster.email.append(email)
            roster.phone.append(phone)
            roster.first_name.append(first)
            roster.last_name.append(last)

            birth_date = ""
            if rng.random() < 0.8:
                born = datetime(2007, 1, 1) - timedelta(days=rng.randrange(0, 57 * 365))
                birth_date = born.strftime("%Y-%m-%d")
            referred_by = ""
            if index > 0 and rng.random() < REFERRED_SHARE:
                referred_by = customer_id(_referrer(rng, roster, index))
            writer.writerow(
                (
                    customer_id(index),
                    email,
                    phone,
                    first,
                    last,
                    iso_utc(signed_up),
                    market.country,
                    market.city,
                    birth_date,
                    referred_by,
                )
            )
    return roster
