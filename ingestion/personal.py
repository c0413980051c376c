"""Personal data in text the loaders keep: how it is found and pseudonymised.

Structured personal fields (an email column, a reviewer's name) are hashed by the insert
statements on the way into raw. Two kinds of text still carry personal data:

- quarantined records, kept as received so that nothing is lost: their personal fields
  (by column position or JSON key) and any e-mail address or phone number in them are
  replaced by the same keyed hash raw stores (`pseudonymise_quarantine`);
- free text (a review's body, an open answer) keeps what the author wrote in raw; its
  e-mails and phones are masked in staging (dbt macro `mask_pii`, the same rules in
  RE2/Postgres syntax). Known names are masked at load (`ingestion/names.py`).

The patterns match internationalised addresses (`jörg@bücher.de`), the "(at)" and "[at]"
forms, and phone numbers written with spaces, dots, dashes or full-width digits, while
an order number such as `O0004218` is left alone (a phone number never follows a letter).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

import duckdb

from ingestion.layouts import normalise_header

# Characters that never belong to an address: spaces, the separators of lists and quotes.
# CJK characters and full-width punctuation too (not full-width letters and digits):
# Japanese text runs into an address with no space before it.
_NOT_ADDRESS = r"\s@<>(),;:\"'\u3000-\u9fff\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_AT = r"(?:@|＠|\s*[(\[{]\s*at\s*[)\]}]\s*)"
_DOT = r"(?:\.|\s*[(\[{]\s*dot\s*[)\]}]\s*)"
_LABEL = rf"[^{_NOT_ADDRESS}.\[\]{{}}]+"
_TOP_LABEL = rf"[^{_NOT_ADDRESS}.\[\]{{}}0-9]{{2,}}"
EMAIL = re.compile(rf"[^{_NOT_ADDRESS}\[\]{{}}]+{_AT}(?:{_LABEL}{_DOT})+{_TOP_LABEL}", re.I)

_DIGIT = "[0-9０-９]"
_SEP = r"[ .\-\u00a0\u3000]"  # one space, dot or dash (full-width space included)
# With a country code, or an area code in brackets, any grouping is a phone number;
# without, three groups must start and end with three digits or more (040 123 4567), or
# there must be four groups or more (040 123 45 67), or seven digits and more in a row.
# A date (2025-03-04, 04.03.2025) fits none of them.
_PHONE_FORMS = (
    rf"[+＋]{_DIGIT}{{1,3}}{_SEP}?(?:\(?{_DIGIT}{{1,4}}\)?{_SEP}?){{1,4}}{_DIGIT}{{2,4}}",
    rf"\({_DIGIT}{{2,4}}\){_SEP}?(?:{_DIGIT}{{2,4}}{_SEP}){{1,3}}{_DIGIT}{{2,4}}",
    # Without a code, the groups share one separator: a date and a time never do.
    *(
        rf"{_DIGIT}{{3,4}}{sep}{_DIGIT}{{2,4}}{sep}{_DIGIT}{{3,4}}"
        rf"|{_DIGIT}{{2,4}}(?:{sep}{_DIGIT}{{2,4}}){{3,4}}"
        for sep in (" ", r"\.", "-", "\u00a0", "\u3000")
    ),
    rf"{_DIGIT}{{7,15}}",
)
PHONE = re.compile(rf"(?<![\w+＋])(?:{'|'.join(_PHONE_FORMS)})(?!{_DIGIT})")

# A JSON member whose key names personal data, with a string value.
_MEMBER = re.compile(r'("((?:[^"\\]|\\.)*)"\s*:\s*")((?:[^"\\]|\\.)*)(")')
_PERSON = r"(?:reviewer|respondent|recipient|consumer|customer|author|user|contact|buyer)?"
_KEY_KINDS = (
    (re.compile(rf"^{_PERSON}_?e_?mail(_?address)?$"), "email"),
    (re.compile(rf"^{_PERSON}_?(phone|mobile)(_?number)?$"), "phone"),
    (
        re.compile(rf"^{_PERSON}_?(full_?|first_?|last_?|given_?|family_?|display_?|sur)?name$"),
        "name",
    ),
)
# Survey export columns that raw never loads because they locate a person.
NOT_LOADED_PERSONAL = frozenset(
    {"ipaddress", "ip_address", "locationlatitude", "locationlongitude", "location_latitude",
     "location_longitude", "latitude", "longitude"}
)  # fmt: skip

_MACROS = {
    "email": "pseudonymise_email",
    "phone": "pseudonymise_phone",
    "name": "pseudonymise_name",
}


def personal_kind(key: str) -> str | None:
    """ "email", "phone" or "name" when a column or key names that personal field."""
    normalised = normalise_header(key).replace("-", "_")
    for pattern, kind in _KEY_KINDS:
        if pattern.match(normalised):
            return kind
    return None


class Hasher:
    """Keyed hashes of personal values computed by DuckDB's own macros (the very hashes
    raw stores), a batch at a time."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, pseudonym_key: str) -> None:
        self.conn = conn
        self.key = pseudonym_key

    def hashes(self, kind: str, values: Sequence[str]) -> dict[str, str]:
        distinct = sorted(set(values))
        if not distinct:
            return {}
        # The macro name comes from the fixed mapping above, never from input.
        rows = self.conn.execute(
            f"select value, {_MACROS[kind]}($key, value) from unnest($values::varchar[])"
            " as listed(value)",
            {"key": self.key, "values": distinct},
        ).fetchall()
        return {value: digest for value, digest in rows if digest is not None}


def pseudonymise_texts(
    texts: Sequence[str],
    hasher: Hasher,
    field_kinds: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Each text with personal JSON members, e-mail addresses and phone numbers replaced
    by `[<kind>:<keyed hash>]`; `field_kinds`, when given, rewrites a CSV line by the
    kinds of its columns first (see `rewrite_csv_fields`)."""
    found: dict[str, list[str]] = {"email": [], "phone": [], "name": []}

    def collect(kind: str, value: str) -> str:
        found[kind].append(value)
        return value

    # First pass: every value to hash, so each kind is hashed in one query.
    for text in texts:
        _replace_personal(text, collect)
    table = {kind: hasher.hashes(kind, values) for kind, values in found.items()}

    def token(kind: str, value: str) -> str:
        digest = table[kind].get(value)
        return f"[{kind}:{digest}]" if digest else f"[{kind}]"

    return [_replace_personal(text, token) for text in texts]


# A value already replaced by its hash.
HASHED = re.compile(r"(\[(?:email|phone|name):[0-9a-f]{64}\])")
_EMAIL_OR_PHONE = re.compile(f"(?P<email>{EMAIL.pattern})|(?P<phone>{PHONE.pattern})", re.I)


def _replace_personal(text: str, replace: Callable[[str, str], str]) -> str:
    """One pass: personal JSON members' values, then addresses and phones in the text
    between them. A replacement is never scanned again (a hash may hold digit runs)."""

    def free_text(segment: str) -> str:
        # Hashes already in the text (a field hashed by its column) are left whole.
        parts = HASHED.split(segment)
        for index in range(0, len(parts), 2):
            parts[index] = _EMAIL_OR_PHONE.sub(
                lambda match: replace(match.lastgroup or "email", match.group(0)), parts[index]
            )
        return "".join(parts)

    pieces: list[str] = []
    position = 0
    for match in _MEMBER.finditer(text):
        kind = personal_kind(match.group(2))
        if kind is None or not match.group(3).strip():
            continue
        try:
            value = json.loads(f'"{match.group(3)}"')
        except ValueError:
            value = match.group(3)
        pieces.append(free_text(text[position : match.start()]))
        replaced = json.dumps(replace(kind, value), ensure_ascii=False)[1:-1]
        pieces.append(match.group(1) + replaced + match.group(4))
        position = match.end()
    pieces.append(free_text(text[position:]))
    return "".join(pieces)
