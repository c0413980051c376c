"""TikTok poll-sticker results (see social_polls for the layout)."""

from ingestion.vendors.social_polls import poll_results_vendor

VENDOR = poll_results_vendor(
    "tiktok",
    ("video_id",),
    ("post_time", "video_post_time", "publish_time"),
    "TikTok poll-sticker results CSV: Video ID, Video link, Post time, Poll question,"
    " Option, Votes (optional: Option position, Poll end time).",
)
