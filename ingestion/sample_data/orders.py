"""Order history simulated customer by customer, written in time order.

Each customer's latent satisfaction drives their behaviour: happier customers are less
often one-time buyers, order again sooner, stay active longer and spend more. Orders of
all customers are merged through a heap keyed on time, so files come out chronological
without holding the whole history in memory.
"""

from __future__ import annotations

import csv
import heapq
import math
import random
from array import array
from pathlib import Path

from ingestion.sample_data.catalog import (
    CATEGORIES,
    CATEGORY_BASKET_EUR,
    CATEGORY_WEIGHTS,
    DAY,
    HISTORY_END,
    YEAR_2025_START,
)
from ingestion.sample_data.customers import CHANNELS, Roster, customer_id, iso_utc

ORDER_COLUMNS: tuple[str, ...] = (
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
)
NEVER_ORDER_SHARE = 0.05
# UTC hours people shop at (roughly 07:00-23:00 in the European markets), weighted.
_HOURS = tuple(range(5, 22))
_HOUR_WEIGHTS = (1, 2, 3, 4, 5, 5, 5, 5, 5, 6, 6, 7, 8, 8, 7, 5, 3)


def _time_of_day(rng: random.Random, day_start: float) -> float:
    hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
    return day_start + hour * 3600 + rng.randrange(3600)


def _first_order_at(rng: random.Random, signed_up: float) -> float:
    if rng.random() < 0.4:  # account created while checking out
        return signed_up + rng.randrange(60, 1800)
    day = math.floor((signed_up + rng.expovariate(1 / 6) * DAY) / DAY) * DAY
    return max(_time_of_day(rng, day), signed_up + 60)


def _next_order_at(rng: random.Random, previous: float, satisfaction: float) -> float:
    mean_gap_days = 145.0 - 100.0 * satisfaction
    gap = max(1.0, rng.expovariate(1 / mean_gap_days))
    day = math.floor((previous + gap * DAY) / DAY) * DAY
    return _time_of_day(rng, day)


def _active_until(rng: random.Random, first_order: float, satisfaction: float) -> float:
    """When the customer lapses: one-time buyers at once, others after a while."""
    if rng.random() < 0.65 - 0.6 * satisfaction:
        return first_order
    return first_order + rng.expovariate(1 / (120.0 + 650.0 * satisfaction)) * DAY


def _order_row(
    rng: random.Random, roster: Roster, customer: int, ordered_at: float, sequence: int
) -> tuple[str, ...]:
    satisfaction = roster.satisfaction[customer]
    market = roster.market_of(customer)
    channel_index = roster.preferred_channel[customer]
    if rng.random() < 0.25:
        channel_index = rng.randrange(3 if market.has_store else 2)
    channel = CHANNELS[channel_index]
    location = market.city if channel == "store" else channel
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    basket = CATEGORY_BASKET_EUR[category] * rng.lognormvariate(0.0, 0.45)
    gross_cents = max(500, round(basket * (0.7 + 0.7 * satisfaction) * 100))
    discount_cents = 0
    if rng.random() < 0.3:
        discount_cents = round(gross_cents * rng.choice((5, 10, 15, 20)) / 100)
    draw = rng.random()
    refund_share = 0.02 + 0.08 * (1.0 - satisfaction)
    status = (
        "refunded"
        if draw < refund_share
        else ("cancelled" if draw < refund_share + 0.03 else "completed")
    )
    return (
        f"O{sequence:07d}",
        customer_id(customer),
        iso_utc(ordered_at),
        status,
        "EUR",
        _euros(gross_cents),
        _euros(discount_cents),
        _euros(gross_cents - discount_cents),
        channel,
        location,
        category,
    )


def _euros(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def write_orders(
    rng: random.Random, roster: Roster, path_2024: Path, path_2025: Path
) -> tuple[int, int]:
    """Write both order files; returns the number of data rows in each."""
    active_until = array("d", [0.0]) * len(roster)
    pending: list[tuple[float, int]] = []
    rows = [0, 0]
    path_2024.parent.mkdir(parents=True, exist_ok=True)
    with (
        path_2024.open("w", encoding="utf-8", newline="") as file_2024,
        path_2025.open("w", encoding="utf-8", newline="") as file_2025,
    ):
        writers = (
            csv.writer(file_2024, lineterminator="\n"),
            csv.writer(file_2025, lineterminator="\n"),
        )
        for writer in writers:
            writer.writerow(ORDER_COLUMNS)

        def emit_until(limit: float) -> None:
            while pending and pending[0][0] < limit:
                ordered_at, customer = heapq.heappop(pending)
                year = 0 if ordered_at < YEAR_2025_START else 1
                sequence = rows[0] + rows[1] + 1
                writers[year].writerow(_order_row(rng, roster, customer, ordered_at, sequence))
                rows[year] += 1
                following = _next_order_at(rng, ordered_at, roster.satisfaction[customer])
                if following < min(active_until[customer], HISTORY_END):
                    heapq.heappush(pending, (following, customer))

        # Customers arrive in sign-up order and never order before signing up, so every
        # order earlier than the next sign-up can already be written.
        for customer in range(len(roster)):
            signed_up = roster.signed_up_at[customer]
            emit_until(signed_up)
            if rng.random() < NEVER_ORDER_SHARE:
                continue
            first = _first_order_at(rng, signed_up)
            active_until[customer] = _active_until(rng, first, roster.satisfaction[customer])
            if first < HISTORY_END:
                heapq.heappush(pending, (first, customer))
        emit_until(HISTORY_END)
    return rows[0], rows[1]
