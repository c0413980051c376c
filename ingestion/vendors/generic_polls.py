"""Poll results in Customer Pulse's own documented layout: one row per poll option with
its vote count; every row names its platform."""

from __future__ import annotations

from ingestion.layouts import TableLayout, same_names
from ingestion.staged import POLL_OPTIONS
from ingestion.vendors.base import GENERIC_PRIORITY, Vendor
from ingestion.vendors.formats import csv_table

POLLS_CSV = TableLayout(
    name="generic_poll_csv",
    shape=POLL_OPTIONS,
    columns={
        **same_names("poll_id", "platform", "question", "voting_status", "topic"),
        "option_position": ("option_position", "position"),
        "option_label": ("option_label", "option", "label"),
        "votes": ("votes", "vote_count"),
        "started_at": ("started_at", "start_datetime"),
        "ends_at": ("ends_at", "end_datetime"),
    },
    required=frozenset({"poll_id", "option_label", "votes"}),
    description="Poll results export: one row per poll option with its vote count.",
    unique_key=False,
)

VENDOR = Vendor(
    name="generic_polls",
    family="polls",
    description="Poll results in the documented generic layout (CSV).",
    formats=(csv_table(POLLS_CSV, "polls", GENERIC_PRIORITY),),
)
