"""Reviews in Customer Pulse's own documented layout, for platforms without an export of
their own: CSV, or JSON lines with the same keys. Every row names its platform, which must
be one the vendor registry knows (the raw gate holds the load otherwise)."""

from __future__ import annotations

from dataclasses import replace

from ingestion.layouts import TableLayout, same_names
from ingestion.staged import REVIEWS
from ingestion.vendors.base import GENERIC_PRIORITY, Vendor
from ingestion.vendors.formats import csv_table, json_lines_table

REVIEWS_CSV = TableLayout(
    name="generic_review_csv",
    shape=REVIEWS,
    columns={
        **same_names("review_id", "platform", "product", "location", "title", "body", "language"),
        "rating": ("rating", "stars", "star_rating"),
        "reviewer_name": ("reviewer_name", "author", "author_name"),
        "reviewer_email": ("reviewer_email", "author_email", "email"),
        "customer_reference": ("customer_reference", "customer_id", "reference_id"),
        "created_at": ("created_at", "review_date", "created"),
        "reply_body": ("reply_body", "reply", "response"),
        "replied_at": ("replied_at", "reply_date"),
    },
    required=frozenset({"review_id", "platform", "rating", "created_at"}),
    description="Generic review export: one review per row (CSV) or per line (JSON lines).",
    whole_number_columns=("rating",),
)

VENDOR = Vendor(
    name="generic_reviews",
    family="reviews",
    description="Reviews in the documented generic layout (CSV or JSON lines).",
    formats=(
        csv_table(REVIEWS_CSV, "reviews", GENERIC_PRIORITY),
        json_lines_table(
            replace(REVIEWS_CSV, name="generic_review_jsonl"), "reviews", GENERIC_PRIORITY
        ),
    ),
)
