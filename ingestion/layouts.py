"""The file layouts Customer Pulse reads, and how each column maps to the raw layer.

A layout names the accepted header spellings of every raw column. Headers are compared
after normalising (lower case, spaces and dashes to underscores), so `Order ID` and
`order_id` are the same column. Columns a layout does not know are not loaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


def normalise_header(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


@dataclass(frozen=True)
class TableLayout:
    """A flat file whose rows become rows of one raw table."""

    name: str
    family: str
    vendor: str
    target_table: str
    insert_sql: str
    # staged column -> accepted header spellings (normalised)
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    key_column: str
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def match_headers(self, headers: list[str]) -> dict[int, str]:
        """Position in the file -> staged column, for the headers this layout knows."""
        spellings = {
            spelling: column for column, names in self.columns.items() for spelling in names
        }
        matched: dict[int, str] = {}
        for position, header in enumerate(headers):
            column = spellings.get(normalise_header(header))
            if column is not None and column not in matched.values():
                matched[position] = column
        return matched

    def missing_required(self, headers: list[str]) -> list[str]:
        found = set(self.match_headers(headers).values())
        return sorted(self.required - found)


def _same(*names: str) -> dict[str, tuple[str, ...]]:
    return {name: (name,) for name in names}


GENERIC_REVIEWS_CSV = TableLayout(
    name="generic_review_csv",
    family="reviews",
    vendor="generic",
    target_table="raw.reviews",
    insert_sql="insert_reviews.sql",
    columns={
        **_same("review_id", "platform", "product", "location", "title", "body", "language"),
        "rating": ("rating", "stars", "star_rating"),
        "reviewer_name": ("reviewer_name", "author", "author_name"),
        "reviewer_email": ("reviewer_email", "author_email", "email"),
        "customer_reference": ("customer_reference", "customer_id", "reference_id"),
        "created_at": ("created_at", "review_date", "created"),
        "reply_body": ("reply_body", "reply", "response"),
        "replied_at": ("replied_at", "reply_date"),
    },
    required=frozenset({"review_id", "platform", "rating", "created_at"}),
    key_column="review_id",
    description="Generic review export: one review per row (CSV) or per line (JSON lines).",
)

GENERIC_POLLS_CSV = TableLayout(
    name="generic_poll_csv",
    family="polls",
    vendor="generic",
    target_table="raw.poll_options",
    insert_sql="insert_poll_options.sql",
    columns={
        **_same("poll_id", "platform", "question", "voting_status", "topic"),
        "option_position": ("option_position", "position"),
        "option_label": ("option_label", "option", "label"),
        "votes": ("votes", "vote_count"),
        "started_at": ("started_at", "start_datetime"),
        "ends_at": ("ends_at", "end_datetime"),
    },
    required=frozenset({"poll_id", "option_label", "votes"}),
    key_column="poll_id",
    description="Poll results export: one row per poll option with its vote count.",
)

CUSTOMERS_CSV = TableLayout(
    name="customers_csv",
    family="commerce",
    vendor="generic",
    target_table="raw.customers",
    insert_sql="insert_customers.sql",
    columns={
        **_same("customer_id", "first_name", "last_name", "country", "city", "birth_date"),
        "email": ("email", "email_address"),
        "phone": ("phone", "phone_number"),
        "signed_up_at": ("signed_up_at", "created_at"),
        "referred_by_customer_id": ("referred_by_customer_id", "referred_by"),
    },
    required=frozenset({"customer_id", "email"}),
    key_column="customer_id",
    description="Customers export (shop or POS): one customer per row.",
)

ORDERS_CSV = TableLayout(
    name="orders_csv",
    family="commerce",
    vendor="generic",
    target_table="raw.orders",
    insert_sql="insert_orders.sql",
    columns={
        **_same(
            "order_id",
            "customer_id",
            "status",
            "currency",
            "gross_amount",
            "discount_amount",
            "net_amount",
            "channel",
            "location",
            "product_category",
        ),
        "ordered_at": ("ordered_at", "created_at", "order_date"),
    },
    required=frozenset({"order_id", "customer_id", "ordered_at", "net_amount"}),
    key_column="order_id",
    description="Orders export (shop or POS): one order per row.",
)

TABLE_LAYOUTS: tuple[TableLayout, ...] = (
    ORDERS_CSV,
    CUSTOMERS_CSV,
    GENERIC_POLLS_CSV,
    GENERIC_REVIEWS_CSV,
)

# Vendor API bodies (one JSON document each), parsed by ingestion.loaders.json_documents
# into the columns of the generic layouts.
APP_STORE_RSS_JSON = replace(
    GENERIC_REVIEWS_CSV,
    name="app_store_rss_json",
    vendor="apple_app_store",
    description="App Store customer-reviews RSS feed as JSON; entry 0 is the app.",
)
GOOGLE_PLACES_DETAILS_JSON = replace(
    GENERIC_REVIEWS_CSV,
    name="google_places_details_json",
    vendor="google_places",
    description="Google Places place-details response with result.reviews[].",
)
X_API_V2_POLLS_JSON = replace(
    GENERIC_POLLS_CSV,
    name="x_api_v2_polls_json",
    vendor="x",
    description="X API v2 tweets response with includes.polls.",
)

DOCUMENT_LAYOUTS: tuple[TableLayout, ...] = (
    APP_STORE_RSS_JSON,
    GOOGLE_PLACES_DETAILS_JSON,
    X_API_V2_POLLS_JSON,
)
