"""X API v2 polls of one account: per-option votes, closed polls final, open polls refreshed.

New tweets come from the user timeline, GET /2/users/{id}/tweets?since_id=&max_results=
&expansions=attachments.poll_ids&poll.fields=duration_minutes,end_datetime,voting_status,
options&tweet.fields=created_at,attachments, paged by `meta.next_token` sent back as
`pagination_token` (newest first; `data[]` tweets, `includes.polls[]` polls). Polls still
open at the last run are looked up again by tweet id, GET /2/tweets?ids= (at most 100 ids,
same expansions; a deleted tweet comes back in `errors[]`), because their counts change
until they close. The cursor keeps the newest tweet id seen and the ids of tweets whose
polls are open; a closed poll is never asked for again, and a replayed one writes nothing.

When a response says `x-rate-limit-remaining: 0`, the HTTP client makes the next request
wait until `x-rate-limit-reset` (Unix seconds); a 429 is retried the same way.
The timeline reaches back 3,200 tweets, so the first window loads at most those. A
backfill pulls the tweets of one explicit range (start_time/end_time) without touching
the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ingestion.api.config import ApiConfigError, VendorSettings, env_name, vendor_settings
from ingestion.api.http import ApiError, HttpClient, HttpResponse, RetryPolicy
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page, TimeRange
from ingestion.records import Record, make_record
from ingestion.timestamps import format_utc
from ingestion.vendors.x import NAME as SOURCE
from ingestion.vendors.x import poll_rows

VENDOR = "x"
DEFAULT_BASE_URL = "https://api.x.com"
DEFAULT_PAGE_SIZE = 100  # the timeline's max_results is 5..100
MIN_PAGE_SIZE = 5
LOOKUP_BATCH = 100  # ids per GET /2/tweets
MAX_RESET_WAIT_SECONDS = 15 * 60 + 5  # X rate limits reset every 15 minutes
POLL_FIELDS = {
    "expansions": "attachments.poll_ids",
    "poll.fields": "duration_minutes,end_datetime,voting_status,options",
    "tweet.fields": "created_at,attachments",
}


@dataclass(frozen=True)
class XCursor:
    """Newest tweet id loaded, and the tweets whose polls were open when last read."""

    since_id: str | None = None
    open_tweet_ids: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str | None) -> XCursor:
        if text is None:
            return cls()
        state = json.loads(text)
        return cls(state["since_id"], frozenset(state["open_tweet_ids"]))

    def dump(self) -> str | None:
        if self.since_id is None and not self.open_tweet_ids:
            return None
        return json.dumps(
            {"since_id": self.since_id, "open_tweet_ids": sorted(self.open_tweet_ids, key=int)}
        )


@dataclass(frozen=True)
class PollsOnPage:
    records: list[Record]
    open_tweet_ids: set[str]
    closed_tweet_ids: set[str]


def polls_on_page(document: Mapping[str, Any]) -> PollsOnPage:
    """One record per poll (tweet and poll hashed together), and which tweets are open."""
    polls = {poll["id"]: poll for poll in (document.get("includes") or {}).get("polls") or []}
    found = PollsOnPage([], set(), set())
    for tweet in document.get("data") or []:
        for poll_id in (tweet.get("attachments") or {}).get("poll_ids") or []:
            poll = polls.get(poll_id)
            if poll is None:
                continue  # the expansion is missing: nothing to load for this tweet
            content = {"tweet": tweet, "poll": poll}
            found.records.append(
                make_record(str(poll_id), content, {"poll_options": poll_rows(tweet, poll)})
            )
            is_open = poll.get("voting_status") == "open"
            (found.open_tweet_ids if is_open else found.closed_tweet_ids).add(str(tweet["id"]))
    return found


def newer_id(current: str | None, candidate: object) -> str | None:
    """Tweet ids are snowflakes: numerically larger is newer."""
    if candidate is None:
        return current
    if current is None or int(str(candidate)) > int(current):
        return str(candidate)
    return current


@dataclass
class XPolls:
    settings: VendorSettings
    http: HttpClient
    user_id: str
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "polls"
    targets: tuple[str, ...] = ("poll_options",)

    def __post_init__(self) -> None:
        self.endpoint = f"polls:{self.user_id}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        previous = XCursor.parse(cursor)
        since_id = previous.since_id
        open_ids = set(previous.open_tweet_ids)
        seen: set[str] = set()
        params: dict[str, str | int] = {
            **POLL_FIELDS,
            "max_results": self.settings.page_size,
            "exclude": "retweets",
        }
        if previous.since_id is not None:
            params["since_id"] = previous.since_id
        guard = PageGuard(VENDOR, None)
        while True:
            response, document, meta = self.timeline_page(params)
            found = polls_on_page(document)
            open_ids = (open_ids - found.closed_tweet_ids) | found.open_tweet_ids
            seen |= {str(tweet["id"]) for tweet in document.get("data") or []}
            since_id = newer_id(since_id, meta.get("newest_id"))
            yield Page(response.body, found.records, XCursor(since_id, frozenset(open_ids)).dump())
            if not meta.get("next_token"):
                break
            guard.follow(meta["next_token"])
            params = {**params, "pagination_token": meta["next_token"]}

        stale = sorted(previous.open_tweet_ids - seen, key=int)
        for start in range(0, len(stale), LOOKUP_BATCH):
            batch = stale[start : start + LOOKUP_BATCH]
            response = self.get(
                f"{self.settings.base_url}/2/tweets", {**POLL_FIELDS, "ids": ",".join(batch)}
            )
            document = response.json()
            if not isinstance(document, dict):
                raise ApiError(f"{VENDOR}: GET {response.url}: expected a JSON object")
            found = polls_on_page(document)
            # Deleted tweets (in errors[]) and closed polls are not looked up again.
            open_ids = (open_ids - set(batch)) | found.open_tweet_ids
            yield Page(response.body, found.records, XCursor(since_id, frozenset(open_ids)).dump())

    def pages_in(self, time_range: TimeRange) -> Iterator[Page]:
        """Polls of the tweets created in the range (a backfill day), as they stand now."""
        params: dict[str, str | int] = {
            **POLL_FIELDS,
            "max_results": self.settings.page_size,
            "exclude": "retweets",
            "start_time": format_utc(time_range.start),
            "end_time": format_utc(time_range.end),
        }
        guard = PageGuard(VENDOR, None)
        while True:
            response, document, meta = self.timeline_page(params)
            tweets = [
                tweet
                for tweet in document.get("data") or []
                if time_range.contains(tweet.get("created_at"))
            ]
            found = polls_on_page({**document, "data": tweets})
            yield Page(response.body, found.records, None)
            if not meta.get("next_token"):
                break
            guard.follow(meta["next_token"])
            params = {**params, "pagination_token": meta["next_token"]}

    def timeline_page(
        self, params: Mapping[str, str | int]
    ) -> tuple[HttpResponse, dict[str, Any], dict[str, Any]]:
        """One page of the account's timeline: the answer, its document and its meta."""
        timeline = f"{self.settings.base_url}/2/users/{self.user_id}/tweets"
        response = self.get(timeline, params)
        document = response.json()
        meta = document.get("meta") if isinstance(document, dict) else None
        if not isinstance(meta, dict):
            raise ApiError(f"{VENDOR}: GET {response.url}: no 'meta' object in the answer")
        return response, document, meta

    def get(self, url: str, params: Mapping[str, str | int]) -> HttpResponse:
        return self.http.get(url, params)


def from_environment() -> XPolls:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    if not MIN_PAGE_SIZE <= settings.page_size <= DEFAULT_PAGE_SIZE:
        raise ApiConfigError(
            f"{VENDOR}: {env_name(VENDOR, 'page_size')} must be between {MIN_PAGE_SIZE} and"
            f" {DEFAULT_PAGE_SIZE} (the timeline's max_results)"
        )
    return XPolls(
        settings=settings,
        # a 429 names the end of the 15-minute window: wait for it, not a shorter cap
        http=settings.client(retry=RetryPolicy(max_delay_seconds=MAX_RESET_WAIT_SECONDS)),
        user_id=settings.option("user_id"),
    )
