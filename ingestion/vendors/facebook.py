"""Facebook poll results (see social_polls for the layout)."""

from ingestion.vendors.social_polls import poll_results_vendor

VENDOR = poll_results_vendor(
    "facebook",
    ("post_id",),
    ("publish_time",),
    "Facebook poll results CSV: Post ID, Permalink, Publish time, Poll question, Option,"
    " Votes (optional: Option position, Poll status, Poll end time). Publish time as in"
    " Meta Business Suite exports (MM/DD/YYYY HH:MM, or ISO 8601), in the page's zone.",
)
