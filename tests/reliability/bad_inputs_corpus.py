"""A corpus of bad landing files, generated from the small fixture files: each case is a
file name, its bytes and the outcome the ingestion must give it."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIXTURE_LANDING = Path(__file__).resolve().parent.parent / "fixtures" / "landing"


@dataclass(frozen=True)
class Outcome:
    """`loaded` with (rows in, loaded, quarantined), or `failed` whose reason holds `reason`."""

    status: str
    rows: tuple[int, int, int] | None = None
    reason: str | None = None


def loaded(rows_in: int, rows_loaded: int, rows_quarantined: int) -> Outcome:
    return Outcome("loaded", (rows_in, rows_loaded, rows_quarantined))


def failed(reason: str) -> Outcome:
    return Outcome("failed", reason=reason)


@dataclass(frozen=True)
class Case:
    name: str  # relative to the landing folder
    data: bytes
    expected: Outcome


def _text(relative: str) -> str:
    return (FIXTURE_LANDING / relative).read_text(encoding="utf-8")


REVIEWS = _text("reviews/reviews_small.csv").splitlines()
REVIEW_HEADER = REVIEWS[0]
JSONL = _text("reviews/app_reviews_small.jsonl").splitlines()
ORDERS = _text("commerce/orders_small.csv").splitlines()
POLLS = _text("polls/poll_results_small.csv").splitlines()
QUALTRICS = _text("surveys/qualtrics_pulse_small.csv")


def review_row(number: int, rating: str = "4", body: str = "Fine boots") -> str:
    """A review row with its own id (so that no two files share their bytes)."""
    return (
        f"bx-{number:06d},trustpilot,footwear,web,{rating},Title {number},{body},en,,,,"
        "2025-03-09T10:00:00Z,,"
    )


def reviews_file(number: int, *rows: str, header: str = REVIEW_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def jsonl_line(number: int, **changes: object) -> str:
    record: dict[str, object] = json.loads(JSONL[0])
    record["review_id"] = f"jx-{number:06d}"
    record.update(changes)
    return json.dumps(record, ensure_ascii=False)


def order_row(number: int, amount: str = "10.00", when: str = "2024-06-01T10:00:00Z") -> str:
    return f"O09{number:05d},C000002,{when},completed,EUR,{amount},0.00,{amount},web,web,bags"


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _cases() -> list[Case]:
    good = reviews_file(1, review_row(1), review_row(2))
    cases: list[Case] = [
        # Files that are not what they claim, or hold nothing.
        Case("reviews/empty.csv", b"", failed("empty")),
        Case("reviews/blank_lines.csv", b"\n\n \n", failed("empty")),
        Case("reviews/gzipped.csv", gzip.compress(good), failed("gzip")),
        Case("reviews/zipped.csv", _zip("reviews.csv", good), failed("a ZIP archive")),
        Case("reviews/utf16_no_bom.csv", good.decode().encode("utf-16-le"), loaded(2, 2, 0)),
        Case("reviews/binary.csv", bytes(range(256)) * 8, failed("NUL bytes")),
        Case(
            "reviews/html_error_page.csv",
            b"<!DOCTYPE html><html><body>502</body></html>\n",
            failed("no known layout"),
        ),
        Case(
            "reviews/prose.csv",
            b"Dear team,\nplease find the export attached.\n",
            failed("no known layout"),
        ),
        Case("reviews/header_only.csv", reviews_file(3), loaded(0, 0, 0)),
        Case("reviews/only_delimiters.csv", b",,,,\n,,,,\n", failed("no known layout")),
        Case(
            "reviews/unknown_columns.csv",
            b"a,b,c\n1,2,3\n",
            failed("no known layout has the columns [a, b, c]"),
        ),
        Case("reviews/nul_bytes.csv", good.replace(b"Fine", b"Fi\x00ne"), failed("NUL bytes")),
        Case("reviews/deep.json", b"[" * 200_000, failed("nested")),
        Case("reviews/json_number.json", b"42\n", failed("no known layout")),
        Case(
            "reviews/json_trailing_garbage.json",
            ("[" + jsonl_line(40) + "] trailing").encode(),
            failed("not valid JSON"),
        ),
        # Rows that are cut, stretched or broken: each one record in quarantine.
        Case(
            "reviews/short_last_row.csv",
            reviews_file(4, review_row(4), review_row(5)[:25]),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/short_middle_row.csv",
            reviews_file(6, review_row(6), "bx-000007,trustpilot", review_row(8)),
            loaded(3, 2, 1),
        ),
        Case(
            "reviews/extra_columns.csv",
            reviews_file(9, review_row(9), review_row(10) + ",x,y"),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/unterminated_quote.csv",
            reviews_file(11, review_row(11), review_row(12, body='"never closed')),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/rating_text.csv",
            reviews_file(13, review_row(13), review_row(14, rating="five")),
            loaded(2, 2, 0),
        ),
        Case(
            "reviews/rating_off_scale.csv",
            reviews_file(15, review_row(15, rating="9")),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/rating_fraction.csv",
            reviews_file(16, review_row(16, rating="4.5")),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/empty_review_id.csv",
            reviews_file(17, review_row(17), review_row(18).replace("bx-000018", "", 1)),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/bad_date.csv",
            reviews_file(19, review_row(19).replace("2025-03-09T10:00:00Z", "yesterday")),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/very_long_body.csv",
            reviews_file(20, review_row(20, body="x" * 2_000_000)),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/many_short_rows.csv",
            reviews_file(21, *[f"bx-{n:06d},trustpilot" for n in range(100, 140)]),
            loaded(40, 0, 40),
        ),
        # Encodings and line endings that are odd but readable.
        Case(
            "reviews/crlf.csv",
            reviews_file(22, review_row(22)).replace(b"\n", b"\r\n"),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/cr_only.csv",
            reviews_file(23, review_row(23)).replace(b"\n", b"\r"),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/utf8_bom.csv",
            b"\xef\xbb\xbf" + reviews_file(24, review_row(24)),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/utf16_bom.csv",
            reviews_file(25, review_row(25)).decode().encode("utf-16"),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/windows_1252.csv",
            reviews_file(26, review_row(26, body="Caf\u00e9 \u20ac5 \u2013 ok"))
            .decode()
            .encode("cp1252"),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/emoji_and_controls.csv",
            reviews_file(27, review_row(27, body="Great \U0001f600\x07 boots")),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/trailing_blank_lines.csv",
            reviews_file(28, review_row(28)) + b"\n\n\n",
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/duplicated_column.csv",
            reviews_file(29, review_row(29) + ",dup", header=REVIEW_HEADER + ",body"),
            failed("both give body"),
        ),
        # JSON lines and JSON documents.
        Case(
            "reviews/jsonl_bad_line.jsonl",
            ("\n".join([jsonl_line(30), "{not json", jsonl_line(31)]) + "\n").encode(),
            loaded(3, 2, 1),
        ),
        Case(
            "reviews/jsonl_array_line.jsonl",
            ("\n".join([jsonl_line(32), "[1, 2]"]) + "\n").encode(),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/jsonl_duplicate_key.jsonl",
            (jsonl_line(33)[:-1] + ', "rating": 1}\n').encode(),
            failed("names the key 'rating' twice"),
        ),
        # One line: a JSON-lines file with one review (refused as an unknown JSON document
        # before); its rating in words is the raw gate's to hold, not the loader's.
        Case(
            "reviews/jsonl_rating_text.jsonl",
            (jsonl_line(34, rating="great") + "\n").encode(),
            loaded(1, 1, 0),
        ),
        Case(
            "reviews/jsonl_null_record.jsonl",
            ("\n".join([jsonl_line(35), "null"]) + "\n").encode(),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/jsonl_cut_last_line.jsonl",
            ("\n".join([jsonl_line(36), jsonl_line(37)[:30]])).encode(),
            loaded(2, 1, 1),
        ),
        Case(
            "reviews/json_array.json",
            ("[" + jsonl_line(38) + "," + jsonl_line(39) + "]").encode(),
            failed("valid JSON array, unknown shape"),
        ),
        Case("reviews/json_empty_array.json", b"[]", failed("no objects")),
        # Orders: amounts and dates as the gate types them.
        Case(
            "commerce/orders_text_amount.csv",
            ("\n".join([ORDERS[0], order_row(1), order_row(2, amount="ten")]) + "\n").encode(),
            loaded(2, 2, 0),
        ),
        Case(
            "commerce/orders_short_row.csv",
            ("\n".join([ORDERS[0], order_row(3), "O0900004,C000002"]) + "\n").encode(),
            loaded(2, 1, 1),
        ),
        Case(
            "commerce/orders_semicolons.csv",
            (
                "\n".join([ORDERS[0].replace(",", ";"), order_row(5).replace(",", ";")]) + "\n"
            ).encode(),
            loaded(1, 1, 0),
        ),
        Case(
            "commerce/orders_bad_date.csv",
            ("\n".join([ORDERS[0], order_row(6, when="31/02/2024")]) + "\n").encode(),
            loaded(1, 1, 0),
        ),
        # Polls.
        Case(
            "polls/polls_short_row.csv",
            ("\n".join([*POLLS[:3], POLLS[3][:10]]) + "\n").encode(),
            loaded(3, 2, 1),
        ),
        Case(
            "polls/polls_extra_column.csv",
            ("\n".join([*POLLS[:2], POLLS[2] + ",extra"]) + "\n").encode(),
            loaded(2, 1, 1),
        ),
        # Surveys: the Qualtrics export with its last row cut (the 34-for-6 case).
        Case(
            "surveys/qualtrics_cut.csv",
            QUALTRICS.rstrip("\n")[: QUALTRICS.rstrip("\n").rfind(",", 0, -40)].encode(),
            loaded(5, 3, 2),
        ),
        Case("surveys/qualtrics_gzipped.csv", gzip.compress(QUALTRICS.encode()), failed("gzip")),
    ]
    return cases


def corpus() -> list[Case]:
    return _cases()
