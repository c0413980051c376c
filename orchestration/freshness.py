"""Freshness expectations: what "up to date" means for the layers a daily team relies on."""

from datetime import timedelta

import dagster as dg

# The daily run starts at 05:00 UTC and every landing sensor run refreshes its family in
# between, so a raw table, a mart or the published copy older than a day plus the length
# of a run is late (warn), and one that missed a second morning has failed.
DAILY_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=30), warn_window=timedelta(hours=26)
)
