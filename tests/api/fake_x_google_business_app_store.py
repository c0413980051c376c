"""Local X, Google Business Profile and App Store Connect APIs speaking their wire formats."""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from typing import Any

from tests.api.fake_vendors import HTML_404, Answer, FakeVendor, json_answer


def opaque_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def token_offset(token: str | None) -> int:
    return 0 if not token else int(json.loads(base64.urlsafe_b64decode(token))["offset"])


class FakeX(FakeVendor):
    """A user timeline and the tweets lookup; `tweets` newest last, polls by id."""

    user_id = "2244994945"

    def __init__(self) -> None:
        super().__init__()
        self.tweets: list[dict[str, Any]] = []
        self.polls: dict[str, dict[str, Any]] = {}
        self.rate_limit_remaining: dict[int, int] = {}  # request number -> remaining

    def records(self) -> list[dict[str, Any]]:
        return list(self.polls.values())

    def unauthorised(self) -> Answer:
        return json_answer(
            {"title": "Unauthorized", "type": "about:blank", "status": 401,
             "detail": "Unauthorized"},
            401,
        )  # fmt: skip

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        remaining = self.rate_limit_remaining.get(len(self.requests), 899)
        limits = {
            "x-rate-limit-limit": "900",
            "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(time.time()) + 30),
        }
        if path == f"/2/users/{self.user_id}/tweets":
            return self.timeline(query, limits)
        if path == "/2/tweets":
            return self.lookup(query, limits)
        return 404, {"Content-Type": "text/html"}, HTML_404

    def expanded(self, tweets: list[dict[str, Any]], query: dict[str, str]) -> dict[str, Any]:
        """`data` and, when asked for, `includes.polls` with the requested fields."""
        document: dict[str, Any] = {"data": tweets} if tweets else {}
        poll_ids = [
            poll_id
            for tweet in tweets
            for poll_id in tweet.get("attachments", {}).get("poll_ids", [])
        ]
        if poll_ids and query.get("expansions") == "attachments.poll_ids":
            fields = set(query.get("poll.fields", "").split(","))
            document["includes"] = {
                "polls": [
                    {key: value for key, value in self.polls[pid].items()
                     if key == "id" or key in fields}
                    for pid in poll_ids
                ]
            }  # fmt: skip
        return document

    def timeline(self, query: dict[str, str], headers: dict[str, str]) -> Answer:
        size = int(query["max_results"])
        if not 5 <= size <= 100:
            return json_answer(
                {"errors": [{"parameters": {"max_results": [str(size)]},
                             "message": f"The `max_results` query parameter value [{size}] is"
                             " not between 5 and 100"}],
                 "title": "Invalid Request", "detail": "One or more parameters to your request"
                 " was invalid.", "type": "https://api.twitter.com/2/problems/invalid-request"},
                400,
            )  # fmt: skip
        since = int(query.get("since_id", "0"))
        start, end = query.get("start_time", ""), query.get("end_time", "9999")
        newest_first = [
            tweet
            for tweet in reversed(self.tweets)
            if int(tweet["id"]) > since and start <= tweet["created_at"] <= end
        ]
        offset = token_offset(query.get("pagination_token"))
        chunk = newest_first[offset : offset + size]
        document = self.expanded(chunk, query)
        meta: dict[str, Any] = {"result_count": len(chunk)}
        if chunk:
            meta.update(newest_id=chunk[0]["id"], oldest_id=chunk[-1]["id"])
        if offset + size < len(newest_first):
            meta["next_token"] = opaque_token(offset + size)
        return json_answer({**document, "meta": meta}, headers=headers)

    def lookup(self, query: dict[str, str], headers: dict[str, str]) -> Answer:
        ids = query["ids"].split(",")
        known = {tweet["id"]: tweet for tweet in self.tweets}
        document = self.expanded([known[tid] for tid in ids if tid in known], query)
        missing = [tid for tid in ids if tid not in known]
        if missing:
            document["errors"] = [
                {"value": tid, "detail": f"Could not find tweet with ids: [{tid}].",
                 "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
                 "resource_id": tid,
                 "type": "https://api.twitter.com/2/problems/resource-not-found"}
                for tid in missing
            ]  # fmt: skip
        return json_answer(document, headers=headers)


class FakeGoogleBusiness(FakeVendor):
    account_id = "1043"
    location_id = "9281"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.reviews

    def unauthorised(self) -> Answer:
        return json_answer(
            {"error": {"code": 401, "message": "Request had invalid authentication credentials."
                       " Expected OAuth 2 access token, login cookie or other valid"
                       " authentication credential.", "status": "UNAUTHENTICATED"}},
            401,
        )  # fmt: skip

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/v4/accounts/{self.account_id}/locations/{self.location_id}/reviews":
            return 404, {"Content-Type": "text/html; charset=UTF-8"}, HTML_404
        if query.get("orderBy") != "updateTime desc":
            return json_answer(
                {"error": {"code": 400, "message": "Invalid orderBy",
                           "status": "INVALID_ARGUMENT"}},
                400,
            )  # fmt: skip
        newest_first = sorted(self.reviews, key=lambda review: review["updateTime"], reverse=True)
        size, offset = int(query["pageSize"]), token_offset(query.get("pageToken"))
        chunk = newest_first[offset : offset + size]
        document: dict[str, Any] = {"averageRating": 4.1, "totalReviewCount": len(self.reviews)}
        if chunk:  # Google leaves out empty lists
            document["reviews"] = chunk
        if offset + size < len(newest_first):
            document["nextPageToken"] = opaque_token(offset + size)
        return json_answer(document)


class FakeAppStoreConnect(FakeVendor):
    app_id = "1234567890"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[dict[str, Any]] = []
        self.responses: dict[str, dict[str, Any]] = {}  # review id -> customerReviewResponse

    def records(self) -> list[dict[str, Any]]:
        return self.reviews

    def unauthorised(self) -> Answer:
        return json_answer(
            {"errors": [{"status": "401", "code": "NOT_AUTHORIZED",
                         "title": "Authentication credentials are missing or invalid.",
                         "detail": "Provide a properly configured and signed bearer token, and"
                         " make sure that it has not expired."}]},
            401,
        )  # fmt: skip

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/v1/apps/{self.app_id}/customerReviews":
            return 404, {"Content-Type": "text/html"}, HTML_404
        newest_first = sorted(
            self.reviews, key=lambda review: review["attributes"]["createdDate"], reverse=True
        )
        if query.get("sort") != "-createdDate":
            newest_first.reverse()
        limit, offset = int(query["limit"]), token_offset(query.get("cursor"))
        chunk = newest_first[offset : offset + limit]
        data, included = [], []
        for review in chunk:
            reply = self.responses.get(review["id"])
            relation = {"type": "customerReviewResponses", "id": reply["id"]} if reply else None
            data.append({**review, "relationships": {"response": {"data": relation}}})
            if reply and query.get("include") == "response":
                included.append(reply)
        url = f"{self.base_url}{path}"
        links = {"self": f"{url}?{urllib.parse.urlencode(query)}"}
        if offset + limit < len(newest_first):
            next_query = {**query, "cursor": opaque_token(offset + limit)}
            links["next"] = f"{url}?{urllib.parse.urlencode(next_query)}"
        document: dict[str, Any] = {
            "data": data,
            "links": links,
            "meta": {"paging": {"total": len(newest_first), "limit": limit}},
        }
        if included:
            document["included"] = included
        return json_answer(document)
