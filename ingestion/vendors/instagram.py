"""Instagram poll-sticker results (see social_polls for the layout)."""

from ingestion.vendors.social_polls import poll_results_vendor

VENDOR = poll_results_vendor(
    "instagram",
    ("story_id", "media_id"),
    ("publish_time",),
    "Instagram poll-sticker results CSV: Story ID (or Media ID), Permalink, Publish time,"
    " Poll question, Option, Votes (optional: Option position, Poll end time).",
)
