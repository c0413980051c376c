"""LinkedIn poll results (see social_polls for the layout)."""

from ingestion.vendors.social_polls import poll_results_vendor

VENDOR = poll_results_vendor(
    "linkedin",
    ("poll_urn", "post_urn"),
    ("created_date", "post_date", "poll_start_date"),
    "LinkedIn poll results CSV: Poll URN (or Post URN), Created date, Question, Option,"
    " Votes, Total votes, Poll end date (optional: Option position, Poll status).",
)
