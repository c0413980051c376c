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
    # Values for staged columns the vendor's file does not carry (the platform it is from).
    constants: dict[str, str] = field(default_factory=dict)
    # Staged columns holding wall-clock time stamps without a zone, rewritten as ISO 8601
    # UTC; `timezone` names the zone they are in (None: the configured default zone).
    local_time_columns: tuple[str, ...] = ()
    timezone: str | None = None
    # Statement files (ingestion/sql) run on the staged rows before they are checked.
    derive_sql: tuple[str, ...] = ()

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


# Review exports. Each vendor's file lands in raw.reviews with its platform named.
TRUSTPILOT_REVIEWS_CSV = TableLayout(
    name="trustpilot_review_csv",
    family="reviews",
    vendor="trustpilot",
    target_table="raw.reviews",
    insert_sql="insert_reviews.sql",
    columns={
        "review_id": ("review_id",),
        "created_at": ("review_created_(utc)",),
        "rating": ("review_stars", "review_rating"),
        "title": ("review_title",),
        "body": ("review_content",),
        "language": ("review_language",),
        "reviewer_name": ("consumer_name", "review_consumer_name"),
        "reviewer_email": ("consumer_email", "review_consumer_email"),
        "customer_reference": ("reference_id",),
        "location": ("location_name", "location"),
        "product": ("product_name", "business_unit_name", "webshop_name"),
        "reply_body": ("reply", "reply_content", "company_reply"),
        "replied_at": ("reply_date_(utc)", "company_reply_date_(utc)", "reply_created_(utc)"),
    },
    required=frozenset({"review_id", "created_at", "rating"}),
    key_column="review_id",
    description=(
        "Trustpilot review export CSV (Business app, Reviews > Export), one review per row:"
        " Review Id, Review Created (UTC), Review Stars (or Review Rating), Review Title,"
        " Review Content, Review Language, Reply, Reply Date (UTC), Reference Id,"
        " Consumer Name, Consumer Email, Location Name. Dates are UTC without a zone."
    ),
    constants={"platform": "trustpilot"},
    local_time_columns=("created_at", "replied_at"),
    timezone="UTC",
)

GOOGLE_PLAY_REVIEWS_CSV = TableLayout(
    name="google_play_review_csv",
    family="reviews",
    vendor="google_play",
    target_table="raw.reviews",
    insert_sql="insert_reviews.sql",
    columns={
        "product": ("package_name",),
        "language": ("reviewer_language",),
        "created_at": ("review_submit_date_and_time",),
        "submitted_millis": ("review_submit_millis_since_epoch",),
        "rating": ("star_rating",),
        "title": ("review_title",),
        "body": ("review_text",),
        "replied_at": ("developer_reply_date_and_time",),
        "reply_body": ("developer_reply_text",),
        "review_link": ("review_link",),
        "review_id": ("review_id",),
    },
    required=frozenset({"product", "created_at", "rating"}),
    key_column="review_id",
    description=(
        "Google Play Console reviews report (reviews_<package>_<yyyymm>.csv from the"
        " Cloud Storage bucket), UTF-16 with BOM: Package Name, App Version Code, App Version"
        " Name, Reviewer Language, Device, Review Submit Date and Time, Review Submit Millis"
        " Since Epoch, Review Last Update Date and Time, Review Last Update Millis Since Epoch,"
        " Star Rating, Review Title, Review Text, Developer Reply Date and Time, Developer"
        " Reply Millis Since Epoch, Developer Reply Text, Review Link. The review id is the"
        " reviewId of the Review Link (else derived from package and submit millis)."
    ),
    constants={"platform": "google_play"},
    local_time_columns=("created_at", "replied_at"),
    timezone="UTC",
    derive_sql=("derive_google_play_review_ids.sql",),
)

YELP_REVIEWS_JSONL = TableLayout(
    name="yelp_review_jsonl",
    family="reviews",
    vendor="yelp",
    target_table="raw.reviews",
    insert_sql="insert_reviews.sql",
    columns={
        "review_id": ("review_id",),
        "location": ("business_id",),
        # Yelp user ids are pseudonymous but stable: hashed like a name.
        "reviewer_name": ("user_id",),
        "rating": ("stars",),
        "body": ("text",),
        "created_at": ("date",),
    },
    required=frozenset({"review_id", "location", "rating"}),
    key_column="review_id",
    description=(
        "Yelp Open Dataset review.json, one review per line: review_id, user_id,"
        " business_id, stars, useful, funny, cool, text, date ('YYYY-MM-DD HH:MM:SS',"
        " no zone: the configured default zone applies)."
    ),
    constants={"platform": "yelp"},
    local_time_columns=("created_at",),
)

# Poll exports. No platform offers a per-poll CSV in one documented shape, so each layout
# below is the one Customer Pulse accepts, modelled on the columns that platform's insights
# export shows; one row per poll option. Option order is the row order within a poll.
_POLL_OPTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "question": ("poll_question", "question"),
    "option_label": ("option", "poll_option", "option_text"),
    "votes": ("votes", "option_votes"),
    "option_position": ("option_position", "option_number"),
    "voting_status": ("poll_status", "status"),
    "ends_at": ("poll_end_date", "poll_end_time", "end_time"),
}


def _poll_layout(
    name: str, vendor: str, id_headers: tuple[str, ...], started: tuple[str, ...], text: str
) -> TableLayout:
    return TableLayout(
        name=name,
        family="polls",
        vendor=vendor,
        target_table="raw.poll_options",
        insert_sql="insert_poll_options.sql",
        columns={
            "poll_id": id_headers,
            "started_at": started,
            **_POLL_OPTION_COLUMNS,
            "permalink": ("permalink", "post_link", "video_link", "story_link"),
        },
        required=frozenset({"poll_id", "option_label", "votes"}),
        key_column="poll_id",
        description=text,
        constants={"platform": vendor},
        local_time_columns=("started_at", "ends_at"),
        derive_sql=("derive_poll_option_positions.sql",),
    )


FACEBOOK_POLLS_CSV = _poll_layout(
    "facebook_poll_csv",
    "facebook",
    ("post_id",),
    ("publish_time",),
    "Facebook poll results CSV: Post ID, Permalink, Publish time, Poll question, Option,"
    " Votes (optional: Option position, Poll status, Poll end time). Publish time as in"
    " Meta Business Suite exports (MM/DD/YYYY HH:MM, or ISO 8601), in the page's zone.",
)
INSTAGRAM_POLLS_CSV = _poll_layout(
    "instagram_poll_csv",
    "instagram",
    ("story_id", "media_id"),
    ("publish_time",),
    "Instagram poll-sticker results CSV: Story ID (or Media ID), Permalink, Publish time,"
    " Poll question, Option, Votes (optional: Option position, Poll end time).",
)
TIKTOK_POLLS_CSV = _poll_layout(
    "tiktok_poll_csv",
    "tiktok",
    ("video_id",),
    ("post_time", "video_post_time", "publish_time"),
    "TikTok poll-sticker results CSV: Video ID, Video link, Post time, Poll question,"
    " Option, Votes (optional: Option position, Poll end time).",
)
LINKEDIN_POLLS_CSV = _poll_layout(
    "linkedin_poll_csv",
    "linkedin",
    ("poll_urn", "post_urn"),
    ("created_date", "post_date", "poll_start_date"),
    "LinkedIn poll results CSV: Poll URN (or Post URN), Created date, Question, Option,"
    " Votes, Total votes, Poll end date (optional: Option position, Poll status).",
)

# Every staged column each raw table's insert statement reads; a vendor layout that lacks
# some gets them empty.
INSERT_COLUMNS: dict[str, tuple[str, ...]] = {
    layout.target_table: tuple(layout.columns)
    for layout in (GENERIC_REVIEWS_CSV, GENERIC_POLLS_CSV, CUSTOMERS_CSV, ORDERS_CSV)
}

TABLE_LAYOUTS: tuple[TableLayout, ...] = (
    TRUSTPILOT_REVIEWS_CSV,
    GOOGLE_PLAY_REVIEWS_CSV,
    FACEBOOK_POLLS_CSV,
    INSTAGRAM_POLLS_CSV,
    TIKTOK_POLLS_CSV,
    LINKEDIN_POLLS_CSV,
    ORDERS_CSV,
    CUSTOMERS_CSV,
    GENERIC_POLLS_CSV,
    GENERIC_REVIEWS_CSV,
)

# JSON lines (one object per line) and JSON arrays of flat objects, read by DuckDB; keys
# are matched like CSV headers. Tried in this order.
JSON_LINES_LAYOUTS: tuple[TableLayout, ...] = (
    YELP_REVIEWS_JSONL,
    replace(GENERIC_REVIEWS_CSV, name="generic_review_jsonl"),
    replace(ORDERS_CSV, name="orders_jsonl", description="Orders, one JSON object per line."),
    replace(
        CUSTOMERS_CSV, name="customers_jsonl", description="Customers, one JSON object per line."
    ),
)
JSON_ARRAY_LAYOUTS: tuple[TableLayout, ...] = (
    replace(ORDERS_CSV, name="orders_json", description="Orders as one JSON array of objects."),
    replace(
        CUSTOMERS_CSV, name="customers_json", description="Customers as one JSON array of objects."
    ),
)

# Vendor API bodies (one JSON document each), parsed by ingestion.loaders.json_documents
# into the columns of the generic layouts.
APP_STORE_RSS_JSON = replace(
    GENERIC_REVIEWS_CSV,
    name="app_store_rss_json",
    vendor="apple_app_store",
    description=(
        "App Store customer-reviews RSS feed as JSON; entry 0 is the app. A review's time"
        " stamp is its `updated.label`; feeds whose entries carry none get the feed's own"
        " `updated.label` (the latest time the review can have been written)."
    ),
)
GOOGLE_PLACES_DETAILS_JSON = replace(
    GENERIC_REVIEWS_CSV,
    name="google_places_details_json",
    vendor="google_places",
    description="Google Places place-details response with result.reviews[].",
)
GOOGLE_BUSINESS_PROFILE_REVIEWS_JSON = replace(
    GENERIC_REVIEWS_CSV,
    name="google_business_profile_reviews_json",
    vendor="google_business_profile",
    description=(
        "Google Business Profile API accounts.locations.reviews.list body: reviews[] with"
        " name, reviewId, reviewer{displayName}, starRating (ONE..FIVE, kept as sent),"
        " comment, createTime, updateTime, reviewReply{comment, updateTime}."
    ),
)
X_API_V2_POLLS_JSON = replace(
    GENERIC_POLLS_CSV,
    name="x_api_v2_polls_json",
    vendor="x",
    description="X API v2 tweets response with includes.polls.",
)
SHOPIFY_ORDERS_JSON = replace(
    ORDERS_CSV,
    name="shopify_orders_json",
    vendor="shopify",
    description=(
        'Shopify Admin REST orders body {"orders": [...]}: id, name, created_at,'
        " updated_at, customer{id, email, phone, first_name, last_name}, currency,"
        " total_price, total_discounts, subtotal_price, financial_status, cancelled_at,"
        " line_items[], source_name, location_id; mapped as the Shopify API client maps"
        " them. Each order's customer also lands in raw.customers."
    ),
)

DOCUMENT_LAYOUTS: tuple[TableLayout, ...] = (
    APP_STORE_RSS_JSON,
    GOOGLE_PLACES_DETAILS_JSON,
    GOOGLE_BUSINESS_PROFILE_REVIEWS_JSON,
    X_API_V2_POLLS_JSON,
    SHOPIFY_ORDERS_JSON,
)
