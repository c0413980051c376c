"""Amazon: product reviews in the Amazon Customer Reviews dataset layout (TSV).

One review per line, tab-separated, as the public `amazon_reviews_<marketplace>_*.tsv`
files are written: marketplace, customer_id, review_id, product_id, product_parent,
product_title, product_category, star_rating, helpful_votes, total_votes, vine,
verified_purchase, review_headline, review_body, review_date (`YYYY-MM-DD`, no zone: the
configured default zone applies). The reviewer is known only by the pseudonymous
customer id, hashed like a name.
"""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.staged import REVIEWS
from ingestion.vendors.base import Vendor
from ingestion.vendors.formats import csv_table

PLATFORM = "amazon"

REVIEWS_TSV = TableLayout(
    name="amazon_review_tsv",
    shape=REVIEWS,
    columns={
        "review_id": ("review_id",),
        "location": ("marketplace",),
        "product": ("product_title",),
        "rating": ("star_rating",),
        "title": ("review_headline",),
        "body": ("review_body",),
        "reviewer_name": ("customer_id",),
        "created_at": ("review_date",),
    },
    required=frozenset({"review_id", "location", "rating", "created_at"}),
    description="Amazon Customer Reviews dataset layout: one review per tab-separated line.",
    constants={"platform": PLATFORM},
    local_time_columns=("created_at",),
    whole_number_columns=("rating",),
)

VENDOR = Vendor(
    name="amazon",
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Amazon product reviews (Customer Reviews dataset layout, TSV).",
    formats=(csv_table(REVIEWS_TSV, "reviews"),),
)
