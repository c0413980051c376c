"""The poll-results layout Customer Pulse accepts from the social platforms' insights.

Facebook, Instagram, TikTok and LinkedIn offer no documented per-poll CSV, so each
platform's vendor module declares the layout below, modelled on the columns its insights
export shows: one row per poll option, in ballot order (the option's position is its
place among its poll's rows unless an `Option position` column gives it).
"""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.staged import POLL_OPTIONS
from ingestion.vendors.base import Vendor
from ingestion.vendors.formats import csv_table

_OPTION_COLUMNS: dict[str, tuple[str, ...]] = {
    "question": ("poll_question", "question"),
    "option_label": ("option", "poll_option", "option_text"),
    "votes": ("votes", "option_votes"),
    "option_position": ("option_position", "option_number"),
    "voting_status": ("poll_status", "status"),
    "ends_at": ("poll_end_date", "poll_end_time", "end_time"),
}


def poll_results_vendor(
    platform: str, id_headers: tuple[str, ...], started: tuple[str, ...], description: str
) -> Vendor:
    """The vendor of one platform's poll results CSV."""
    layout = TableLayout(
        name=f"{platform}_poll_csv",
        shape=POLL_OPTIONS,
        columns={
            "poll_id": id_headers,
            "started_at": started,
            **_OPTION_COLUMNS,
            "permalink": ("permalink", "post_link", "video_link", "story_link"),
        },
        required=frozenset({"poll_id", "option_label", "votes"}),
        description=description,
        constants={"platform": platform},
        local_time_columns=("started_at", "ends_at"),
        derive_sql=("derive_poll_option_positions.sql",),
        unique_key=False,
    )
    return Vendor(
        name=platform,
        family="polls",
        platform=platform,
        description=f"{platform.capitalize()} poll results (CSV).",
        formats=(csv_table(layout, "polls"),),
    )
