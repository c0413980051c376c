"""Local Google Play, Yelp and Qualtrics APIs speaking each vendor's documented wire format."""

from __future__ import annotations

import base64
import csv
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.api.fake_vendors import HTML_404, Answer, FakeVendor, json_answer


def page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode()


def offset_of(token: str) -> int:
    return int(json.loads(base64.urlsafe_b64decode(token))["offset"])


class FakeGooglePlay(FakeVendor):
    """androidpublisher v3 reviews: only the last week's, newest change first, token paging."""

    package_name = "com.example.pulse"

    def __init__(self, now: datetime) -> None:
        super().__init__()
        self.now = now
        self.reviews: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.reviews

    def unauthorised(self) -> Answer:
        return json_answer(
            {
                "error": {
                    "code": 401,
                    "message": "Request had invalid authentication credentials. Expected OAuth"
                    " 2 access token, login cookie or other valid authentication credential.",
                    "status": "UNAUTHENTICATED",
                }
            },
            401,
        )

    @staticmethod
    def modified(review: dict[str, Any]) -> int:
        return max(
            int(comment[kind]["lastModified"]["seconds"])
            for comment in review["comments"]
            for kind in comment
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/androidpublisher/v3/applications/{self.package_name}/reviews":
            return 404, {"Content-Type": "text/html"}, HTML_404
        week_ago = (self.now - timedelta(days=7)).timestamp()
        matching = sorted(
            (review for review in self.reviews if self.modified(review) >= week_ago),
            key=self.modified,
            reverse=True,
        )
        size = int(query.get("maxResults", "10"))
        offset = offset_of(query["token"]) if "token" in query else 0
        chunk = matching[offset : offset + size]
        document: dict[str, Any] = {
            "pageInfo": {"totalResults": len(matching), "resultPerPage": size,
                         "startIndex": offset},
        }  # fmt: skip
        if chunk:
            document["reviews"] = chunk
        if offset + size < len(matching):
            document["tokenPagination"] = {"nextPageToken": page_token(offset + size)}
        return json_answer(document)


class FakeYelp(FakeVendor):
    """Fusion business reviews: newest first, limit/offset paging, `total`."""

    business_id = "northwind-outfitters-berlin"

    def __init__(self) -> None:
        super().__init__()
        self.reviews: list[dict[str, Any]] = []

    def records(self) -> list[dict[str, Any]]:
        return self.reviews

    def unauthorised(self) -> Answer:
        return json_answer(
            {
                "error": {
                    "code": "TOKEN_INVALID",
                    "description": "Invalid access token or authorization header.",
                }
            },
            401,
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        if path != f"/v3/businesses/{self.business_id}/reviews":
            return json_answer(
                {"error": {"code": "NOT_FOUND", "description": "Resource could not be found."}},
                404,
            )
        if query.get("sort_by") != "newest":
            return json_answer({"error": {"code": "VALIDATION_ERROR"}}, 400)
        newest_first = sorted(self.reviews, key=lambda review: review["time_created"])[::-1]
        limit, offset = int(query.get("limit", "20")), int(query.get("offset", "0"))
        return json_answer(
            {
                "reviews": newest_first[offset : offset + limit],
                "total": len(self.reviews),
                "possible_languages": ["en"],
            }
        )


@dataclass
class QualtricsResponse:
    response_id: str
    recorded: datetime  # UTC
    nps: int
    why: str
    external_reference: str
    email: str
    finished: bool = True


# Column id, question text, ImportId, whether the column is a date in the export's zone.
QUALTRICS_COLUMNS: tuple[tuple[str, str, str, bool], ...] = (
    ("StartDate", "Start Date", "startDate", True),
    ("EndDate", "End Date", "endDate", True),
    ("Status", "Response Type", "status", False),
    ("IPAddress", "IP Address", "ipAddress", False),
    ("Progress", "Progress", "progress", False),
    ("Duration (in seconds)", "Duration (in seconds)", "duration", False),
    ("Finished", "Finished", "finished", False),
    ("RecordedDate", "Recorded Date", "recordedDate", True),
    ("ResponseId", "Response ID", "_recordId", False),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName", False),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName", False),
    ("RecipientEmail", "Recipient Email", "recipientEmail", False),
    ("ExternalReference", "External Data Reference", "externalDataReference", False),
    ("DistributionChannel", "Distribution Channel", "distributionChannel", False),
    ("UserLanguage", "User Language", "userLanguage", False),
    ("Q1", "How likely are you to recommend us to a friend or colleague?", "QID1", False),
    ("Q2_TEXT", "What could we do better?", "QID2_TEXT", False),
)


class FakeQualtrics(FakeVendor):
    """API v3 response exports: start (POST), progress polls, then the ZIP of a 3-header CSV."""

    survey_id = "SV_0NwPulse1"
    timezone = "America/Denver"

    def __init__(self) -> None:
        super().__init__()
        self.responses: list[QualtricsResponse] = []
        self.polls_before_complete = 0  # progress answers "inProgress" this many times first
        self.fail_exports = False  # progress answers "failed"
        self.exports: dict[str, dict[str, Any]] = {}
        self.last_method = "GET"

    def records(self) -> list[dict[str, Any]]:
        return [asdict(response) for response in self.responses]

    def authorised(self, headers: dict[str, str]) -> bool:
        return headers.get("x-api-token") == self.token

    def unauthorised(self) -> Answer:
        return self.error(401, "401 - Unauthorized", "Invalid API token.", "AUTH_1.0")

    @staticmethod
    def error(status: int, http_status: str, message: str, code: str) -> Answer:
        return json_answer(
            {
                "meta": {
                    "httpStatus": http_status,
                    "error": {"errorMessage": message, "errorCode": code},
                    "requestId": "0f2b8d3e-4c1a-4f0e-9c1e-7a1d3b5c9e21",
                }
            },
            status,
        )

    def result(self, result: dict[str, Any]) -> Answer:
        return json_answer(
            {"result": result, "meta": {"requestId": "7c9e", "httpStatus": "200 - OK"}}
        )

    def answer(self, path: str, query: dict[str, str]) -> Answer:
        exports = f"/API/v3/surveys/{self.survey_id}/export-responses"
        method = self.last_method
        if path == exports and method == "POST":
            return self.start(json.loads(self.posted[-1]))
        if path.startswith(exports + "/") and method == "GET":
            rest = path.removeprefix(exports + "/").split("/")
            if len(rest) == 1 and rest[0] in self.exports:
                return self.progress(rest[0])
            if len(rest) == 2 and rest[1] == "file":
                for export in self.exports.values():
                    if export["fileId"] == rest[0] and export["polls"] > self.polls_before_complete:
                        return 200, {"Content-Type": "application/zip"}, export["zip"]
        return self.error(404, "404 - Not Found", "Resource not found", "RP_0.1")

    def dispatch(self, path: str, query: dict[str, str], headers: dict[str, str]) -> Answer:
        self.last_method = headers.get(":method", "GET")
        return super().dispatch(path, query, headers)

    def start(self, request: dict[str, Any]) -> Answer:
        if request.get("format") != "csv" or request.get("useLabels") is not False:
            return self.error(400, "400 - Bad Request", "Invalid export format", "RP_0.2")
        since = request.get("startDate")
        chosen = [
            response
            for response in self.responses
            if since is None
            or response.recorded >= datetime.fromisoformat(since.replace("Z", "+00:00"))
        ]
        progress_id = f"ES_{len(self.exports) + 1:04d}"
        self.exports[progress_id] = {
            "fileId": f"{progress_id}-file",
            "polls": 0,
            "zip": self.export_zip(sorted(chosen, key=lambda response: response.recorded)),
        }
        return self.result({"progressId": progress_id, "percentComplete": 0.0,
                            "status": "inProgress"})  # fmt: skip

    def progress(self, progress_id: str) -> Answer:
        export = self.exports[progress_id]
        export["polls"] += 1
        if self.fail_exports:
            return self.result({"percentComplete": 0.0, "status": "failed"})
        if export["polls"] <= self.polls_before_complete:
            done = 100.0 * export["polls"] / (self.polls_before_complete + 1)
            return self.result({"percentComplete": done, "status": "inProgress"})
        return self.result(
            {"fileId": export["fileId"], "percentComplete": 100.0, "status": "complete"}
        )

    def local(self, moment: datetime) -> str:
        return moment.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m-%d %H:%M:%S")

    def export_zip(self, responses: list[QualtricsResponse]) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([column[0] for column in QUALTRICS_COLUMNS])
        writer.writerow([column[1] for column in QUALTRICS_COLUMNS])
        writer.writerow(
            [
                json.dumps({"ImportId": import_id, "timeZone": self.timezone} if dated
                           else {"ImportId": import_id}, separators=(",", ":"))
                for _, _, import_id, dated in QUALTRICS_COLUMNS
            ]
        )  # fmt: skip
        for response in responses:
            started = response.recorded - timedelta(minutes=3)
            writer.writerow(
                [
                    self.local(started), self.local(response.recorded), "IP Address",
                    "203.0.113.7", "100" if response.finished else "60", "180",
                    "1" if response.finished else "0", self.local(response.recorded),
                    response.response_id, "Doe", "Jane", response.email,
                    response.external_reference, "email", "EN", str(response.nps),
                    response.why,
                ]
            )  # fmt: skip
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            # Qualtrics writes a UTF-8 BOM and names the file after the survey
            bundle.writestr("Customer pulse survey.csv", "\ufeff" + text.getvalue())
        return archive.getvalue()
