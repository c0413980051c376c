"""Trustpilot: service reviews from the export CSV, the API, the review page and webhooks.

- Export CSV (Business app, Reviews > Export), one review per row: Review Id, Review
  Created (UTC), Review Stars (or Review Rating), Review Title, Review Content, Review
  Language, Reply, Reply Date (UTC), Reference Id, Consumer Name, Consumer Email, Location
  Name. Dates are UTC without a zone.
- Private reviews API (`/v1/private/business-units/{id}/reviews`, ingestion/api/trustpilot.py;
  also a saved page of it, and the `private_reviews` stream of EL tools): `reviews[]` with
  `id`, `stars`, `title`, `text`, `language`, `createdAt`, `referenceId`, `referralEmail`,
  `consumer.displayName`, `location.name`, `companyReply{text, createdAt, updatedAt}`.
- The public review page's embedded data (the JSON of its `__NEXT_DATA__` script, saved
  whole or as its `props.pageProps`): `reviews[]` with `id`, `rating`, `title`, `text`,
  `language`, `dates{publishedDate, experiencedDate, updatedDate}`,
  `consumer{displayName, countryCode}`, `reply{message, publishedDate, updatedDate}`,
  `location{name}`.
- Service review webhooks: one event object, a list of events, or `{"events": [...]}`;
  an event has `eventName` (`service-review-created`, `-updated`, `-deleted`) and
  `eventData{id, stars, title, text, language, referenceId, createdAt, isVerified,
  consumer{id, name}}`. A deleted-review event carries no review: it is quarantined with
  that reason, as is any other event it cannot read.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ingestion.layouts import TableLayout, shape_layout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_documents import read_document
from ingestion.loaders.quarantine import quarantine_records
from ingestion.loaders.staging import stage_rows
from ingestion.loaders.tables import finish_table_load
from ingestion.records import Record, Row, make_record, whole_number_text
from ingestion.staged import REVIEWS
from ingestion.vendors.base import (
    JSON_ARRAY,
    JSON_DOCUMENT,
    ApiSource,
    FileFormat,
    ItemMapping,
    Sample,
    Vendor,
)
from ingestion.vendors.formats import csv_table, first_object, json_document

NAME = "trustpilot"
PLATFORM = "trustpilot"
STAR_RATING = {"platform": PLATFORM}
REVIEW_EVENTS = frozenset({"service-review-created", "service-review-updated"})


def review_row(review: dict[str, Any]) -> Row:
    """A review of the private reviews API."""
    reply = review.get("companyReply") or {}
    consumer = review.get("consumer") or {}
    location = review.get("location") or {}
    return {
        "review_id": review.get("id"),
        "platform": PLATFORM,
        "location": location.get("name"),
        "rating": whole_number_text(review.get("stars")),
        "title": review.get("title"),
        "body": review.get("text"),
        "language": review.get("language"),
        "reviewer_email": review.get("referralEmail"),
        "reviewer_name": consumer.get("displayName"),
        "customer_reference": review.get("referenceId"),
        "created_at": review.get("createdAt"),
        "reply_body": reply.get("text"),
        "replied_at": reply.get("updatedAt") or reply.get("createdAt"),
    }


def review_record(review: dict[str, Any], _survey_id: str | None = None) -> Record:
    return make_record(str(review["id"]), review, {"reviews": [review_row(review)]})


def is_api_review(item: Any) -> bool:
    return isinstance(item, dict) and {"id", "stars", "createdAt"} <= set(item)


def page_review_row(review: dict[str, Any]) -> Row:
    """A review of the review page's embedded data."""
    dates = review.get("dates") or {}
    reply = review.get("reply") or {}
    consumer = review.get("consumer") or {}
    location = review.get("location") or {}
    return {
        "review_id": review.get("id"),
        "platform": PLATFORM,
        "location": location.get("name") if isinstance(location, dict) else None,
        "rating": whole_number_text(review.get("rating")),
        "title": review.get("title"),
        "body": review.get("text"),
        "language": review.get("language"),
        "reviewer_name": consumer.get("displayName"),
        "created_at": dates.get("publishedDate"),
        "reply_body": reply.get("message"),
        "replied_at": reply.get("updatedDate") or reply.get("publishedDate"),
    }


def _page_props(document: Any) -> dict[str, Any]:
    props = (document.get("props") or {}).get("pageProps") if isinstance(document, dict) else None
    return props if isinstance(props, dict) else document if isinstance(document, dict) else {}


def _is_page(document: Any) -> str | None:
    first = first_object(_page_props(document), "reviews")
    if {"id", "rating", "dates"} <= set(first):
        return "Trustpilot review page data (__NEXT_DATA__ props.pageProps.reviews[])"
    return None


def _page_rows(document: Any) -> Iterator[Row]:
    for review in _page_props(document).get("reviews") or []:
        yield page_review_row(review)


def _is_api_page(document: Any) -> str | None:
    if is_api_review(first_object(document, "reviews")):
        return "Trustpilot private reviews API body (reviews[].stars, createdAt)"
    return None


def _api_page_rows(document: Any) -> Iterator[Row]:
    for review in document.get("reviews") or []:
        yield review_row(review)


# --- webhooks ------------------------------------------------------------------------


def _events(document: Any) -> list[Any]:
    if isinstance(document, dict) and isinstance(document.get("events"), list):
        return list(document["events"])
    if isinstance(document, list):
        return document
    return [document]


def _is_event(value: Any) -> bool:
    return isinstance(value, dict) and str(value.get("eventName", "")).startswith("service-review")


def _is_webhook(sample: Sample) -> str | None:
    events = _events(sample.document)
    if events and _is_event(events[0]):
        return "Trustpilot service review webhook events (eventName, eventData)"
    return None


def event_review_row(data: dict[str, Any]) -> Row:
    consumer = data.get("consumer") or {}
    return {
        "review_id": data.get("id"),
        "platform": PLATFORM,
        "rating": whole_number_text(data.get("stars")),
        "title": data.get("title"),
        "body": data.get("text"),
        "language": data.get("language"),
        "reviewer_name": consumer.get("name") or consumer.get("displayName"),
        "customer_reference": data.get("referenceId"),
        "created_at": data.get("createdAt"),
    }


def load_webhook_events(ctx: LoadContext) -> LoadCounts:
    """Each review event is a review row; any other event is quarantined with its reason."""
    rows: list[Row] = []
    numbers: list[int] = []
    refused: list[tuple[int, object, str]] = []
    for number, event in enumerate(_events(read_document(ctx)), start=1):
        name = event.get("eventName") if isinstance(event, dict) else None
        data = event.get("eventData") if isinstance(event, dict) else None
        if name in REVIEW_EVENTS and isinstance(data, dict):
            rows.append(event_review_row(data))
            numbers.append(number)
        elif name == "service-review-deleted":
            refused.append((number, event, "a deleted-review event carries no review to load"))
        else:
            refused.append((number, event, f"not a service review event ({name!r})"))
    quarantine_records(ctx, REVIEWS.raw_table, refused)
    stage_rows(ctx.conn, REVIEWS, rows, numbers, table="staged")
    return finish_table_load(ctx, shape_layout("trustpilot_webhook_json", REVIEWS), len(refused))


EXPORT_CSV = TableLayout(
    name="trustpilot_review_csv",
    shape=REVIEWS,
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
    description=(
        "Trustpilot review export CSV (Business app, Reviews > Export), one review per row;"
        " dates are UTC without a zone."
    ),
    constants=STAR_RATING,
    local_time_columns=("created_at", "replied_at"),
    timezone="UTC",
    whole_number_columns=("rating",),
)

VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Trustpilot service reviews: export CSV, API, review page data, webhooks.",
    formats=(
        csv_table(EXPORT_CSV, "reviews"),
        json_document(
            "trustpilot_reviews_json",
            "reviews",
            REVIEWS,
            _is_api_page,
            _api_page_rows,
            "Trustpilot private reviews API body saved as a file.",
        ),
        json_document(
            "trustpilot_page_json",
            "reviews",
            REVIEWS,
            _is_page,
            _page_rows,
            "Trustpilot review page data: the JSON of its __NEXT_DATA__ script.",
        ),
        FileFormat(
            name="trustpilot_webhook_json",
            family="reviews",
            target=REVIEWS,
            containers=frozenset({JSON_DOCUMENT, JSON_ARRAY}),
            recognise=_is_webhook,
            load=load_webhook_events,
            description="Trustpilot service review webhook events (one, a list, or events[]).",
        ),
    ),
    items=(
        ItemMapping(
            streams=frozenset({"private_reviews", "reviews"}),
            target=REVIEWS,
            matches=is_api_review,
            to_record=review_record,
        ),
    ),
    api=ApiSource(
        client="ingestion.api.trustpilot",
        settings_name="trustpilot",
        asset_name="trustpilot_reviews",
        tables=("reviews",),
        by_day=True,
    ),
)
