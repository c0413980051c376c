"""Customer lists as CRM imports (`pulse export audience NAME --format csv`).

An audience is a mart read from the published copy, cut down to the pseudonymous
customer key and the few fields a CRM needs to send the right message: no spend, no
contact details (the CRM joins its own on the key).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import TextIO

import duckdb

from ingestion import settings


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    query: str  # fixed SQL on the published copy; no user input reaches it


AUDIENCES: dict[str, Audience] = {
    "lapsing": Audience(
        "lapsing",
        "dim_customers_at_risk: lapsed against their own usual gap between orders, for a"
        " 'we miss you' message; contact_priority 1 first",
        """
        select
            customer_id,
            'lapsing' as audience,
            contact_priority,
            loyalty_tier,
            rfm_segment,
            cast(last_order_at as date) as last_order_date,
            days_since_last_order
        from marts.dim_customers_at_risk
        order by contact_priority
        """,
    ),
    "appreciation": Audience(
        "appreciation",
        "fct_customers_to_appreciate: VIPs, long-standing customers, upcoming birthdays, top"
        " referrers and promoters who reviewed; one row per customer and reason",
        """
        select
            customer_id,
            'appreciation' as audience,
            appreciation_reason,
            reason_detail,
            loyalty_tier
        from marts.fct_customers_to_appreciate
        order by customer_id, appreciation_reason
        """,
    ),
}
# Names people use for the same lists.
ALIASES = {"we-miss-you": "lapsing", "at-risk": "lapsing", "appreciate": "appreciation"}
FORMATS = ("csv",)


class AudienceError(Exception):
    """An audience that cannot be exported, said in one line."""


def audience_named(name: str) -> Audience:
    key = ALIASES.get(name, name)
    if key not in AUDIENCES:
        known = ", ".join(sorted([*AUDIENCES, *ALIASES]))
        raise AudienceError(f"no audience {name!r} (known: {known})")
    return AUDIENCES[key]


def export_audience(name: str, output: TextIO, file_format: str = "csv") -> int:
    """Write the audience to `output`; returns the number of customers rows written."""
    if file_format not in FORMATS:
        raise AudienceError(f"format {file_format!r} is not supported (use {', '.join(FORMATS)})")
    audience = audience_named(name)
    path = settings.published_warehouse_path()
    if not path.is_file():
        raise AudienceError(f"no published copy at {path}: run `pulse run` first")
    with duckdb.connect(str(path), read_only=True) as conn:
        try:
            cursor = conn.execute(audience.query)
        except duckdb.CatalogException as error:
            raise AudienceError(f"the published copy lacks the {name} list: {error}") from None
        columns = [column[0] for column in cursor.description or []]
        rows = cursor.fetchall()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return len(rows)
