"""Local vendor APIs on 127.0.0.1 speaking each vendor's wire format, with scripted faults."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

Answer = tuple[int, dict[str, str], bytes]

HTML_404 = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    b"<body><h1>Page not found</h1><p>The page you requested does not exist.</p></body></html>"
)


def json_answer(document: Any, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    content_type = {"Content-Type": "application/json"}
    return status, {**content_type, **(headers or {})}, json.dumps(document).encode()


class FakeVendor:
    """Answers requests; script[n] replaces the answer to the n-th request (1-based)."""

    token = "secret-token-123"

    def __init__(self) -> None:
        self.base_url = ""
        self.requests: list[str] = []
        self.script: dict[int, Answer] = {}
        self.posted: list[bytes] = []  # bodies of POST requests, in order

    def dispatch(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        self.requests.append(path + ("?" + urllib.parse.urlencode(query) if query else ""))
        scripted = self.script.get(len(self.requests))
        if scripted is not None:
            return scripted
        if not self.authorised(headers):
            return self.unauthorised()
        return self.answer(path, query)

    def authorised(self, headers: dict[str, str]) -> bool:
        return headers.get("authorization") == f"Bearer {self.token}"

    def unauthorised(self) -> Answer:
        return json_answer({"message": "Unauthorized"}, 401)

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        raise NotImplementedError

    def records(self) -> list[dict[str, Any]]:
        raise NotImplementedError


@contextmanager
def serve(vendor: FakeVendor) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parsed.query))
            headers = {name.lower(): value for name, value in self.headers.items()}
            headers[":method"] = self.command  # as HTTP/2 names it
            status, answer_headers, body = vendor.dispatch(parsed.path, query, headers)
            self.send_response(status)
            for name, value in answer_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:  # the JSON body is kept, then answered like a GET
            length = int(self.headers.get("Content-Length") or 0)
            vendor.posted.append(self.rfile.read(length))
            self.do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    vendor.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield vendor.base_url
    finally:
        server.shutdown()
        server.server_close()


class FakeTrustpilot(FakeVendor):
    business_unit_id = "bu-1"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.reviews

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/v1/private/business-units/{self.business_unit_id}/reviews":
            return 404, {"Content-Type": "text/html"}, HTML_404
        start = query.get("startDateTime", "")
        end = query.get("endDateTime", "9999")  # inclusive, as the API documents
        matching = sorted(
            (review for review in self.reviews if start <= review["createdAt"] <= end),
            key=lambda review: review["createdAt"],
        )
        per_page, page = int(query["perPage"]), int(query["page"])
        chunk = matching[(page - 1) * per_page : page * per_page]
        links = []
        if page * per_page < len(matching):
            next_query = urllib.parse.urlencode({**query, "page": page + 1})
            links.append({"href": f"{self.base_url}{path}?{next_query}", "rel": "next-page"})
        return json_answer({"reviews": chunk, "links": links})


class FakeTypeform(FakeVendor):
    form_id = "form-1"

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.items

    def unauthorised(self) -> Answer:
        return json_answer(
            {
                "code": "AUTHENTICATION_FAILED",
                "description": "Authentication credentials not found on the Request Headers",
            },
            401,
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/forms/{self.form_id}/responses":
            return json_answer({"code": "FORM_NOT_FOUND", "description": "Non existing form"}, 404)
        wanted = set(query.get("response_type", "completed").split(","))
        since, until = query.get("since", ""), query.get("until", "9999")  # both inclusive
        matching = sorted(
            (
                item
                for item in self.items
                if item["response_type"] in wanted
                and since <= (item.get("submitted_at") or item["landed_at"]) <= until
            ),
            key=lambda item: item.get("submitted_at") or item["landed_at"],
            reverse=True,
        )
        if "before" in query:
            tokens = [item["token"] for item in matching]
            matching = matching[tokens.index(query["before"]) + 1 :]
        page_size = int(query["page_size"])
        return json_answer(
            {"total_items": len(matching), "page_count": 1, "items": matching[:page_size]}
        )


class FakeShopify(FakeVendor):
    api_version = "2024-10"

    def __init__(self) -> None:
        super().__init__()
        self.orders: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.orders

    def authorised(self, headers: dict[str, str]) -> bool:
        return headers.get("x-shopify-access-token") == self.token

    def unauthorised(self) -> Answer:
        return json_answer(
            {
                "errors": "[API] Invalid API key or access token (unrecognized login or wrong"
                " password)"
            },
            401,
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/admin/api/{self.api_version}/orders.json":
            return 404, {"Content-Type": "text/html"}, HTML_404
        if "page_info" in query:
            state = json.loads(base64.urlsafe_b64decode(query["page_info"]))
            if set(query) - {"page_info", "limit"}:
                return json_answer({"errors": {"page_info": ["Invalid value."]}}, 400)
        else:
            state = {
                "min": query.get("updated_at_min", ""),
                "max": query.get("updated_at_max", "9999"),  # inclusive, as documented
                "offset": 0,
            }
        limit = int(query["limit"])
        matching = sorted(
            (
                order
                for order in self.orders
                if state["min"] <= order["updated_at"] <= state.get("max", "9999")
            ),
            key=lambda order: (order["updated_at"], order["id"]),
        )
        chunk = matching[state["offset"] : state["offset"] + limit]
        headers = {"X-Shopify-Shop-Api-Call-Limit": f"{len(self.requests)}/40"}
        if state["offset"] + limit < len(matching):
            token = json.dumps({**state, "offset": state["offset"] + limit})
            page_info = base64.urlsafe_b64encode(token.encode()).decode()
            headers["Link"] = (
                f'<{self.base_url}{path}?limit={limit}&page_info={page_info}>; rel="next"'
            )
        return json_answer({"orders": chunk}, headers=headers)


class FakeSurveyMonkey(FakeVendor):
    survey_id = "sm-1"
    details: ClassVar[dict[str, Any]] = {
        "id": "sm-1",
        "title": "Delivery survey",
        "pages": [
            {
                "id": "p1",
                "questions": [
                    {
                        "id": "q1",
                        "family": "single_choice",
                        "headings": [{"heading": "How likely are you to recommend us?"}],
                        "answers": {
                            "choices": [{"id": f"c{n}", "text": str(n)} for n in range(11)]
                        },
                    },
                    {
                        "id": "q2",
                        "family": "open_ended",
                        "headings": [{"heading": "Why?"}],
                    },
                ],
            }
        ],
    }

    def __init__(self) -> None:
        super().__init__()
        self.responses: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.responses

    def unauthorised(self) -> Answer:
        return json_answer(
            {
                "error": {
                    "id": "1011",
                    "name": "Authorization Error",
                    "message": "The authorization token was not found.",
                    "http_status_code": 401,
                }
            },
            401,
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        limits = {
            "X-Ratelimit-App-Global-Minute-Remaining": "119",
            "X-Ratelimit-App-Global-Day-Remaining": "499",
        }
        if path == f"/v3/surveys/{self.survey_id}/details":
            return json_answer(self.details, headers=limits)
        if path != f"/v3/surveys/{self.survey_id}/responses/bulk":
            return 404, {"Content-Type": "text/html"}, HTML_404
        start = query.get("start_modified_at", "")
        end = query.get("end_modified_at", "9999")  # inclusive, as documented
        matching = sorted(
            (item for item in self.responses if start <= item["date_modified"] <= end),
            key=lambda item: item["date_modified"],
        )
        per_page, page = int(query["per_page"]), int(query.get("page", "1"))
        links = {"self": f"{self.base_url}{path}?{urllib.parse.urlencode(query)}"}
        if page * per_page < len(matching):
            next_query = urllib.parse.urlencode({**query, "page": page + 1})
            links["next"] = f"{self.base_url}{path}?{next_query}"
        document = {
            "data": matching[(page - 1) * per_page : page * per_page],
            "per_page": per_page,
            "page": page,
            "total": len(matching),
            "links": links,
        }
        return json_answer(document, headers=limits)
