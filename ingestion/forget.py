"""Forget a person on request: their rows leave the raw layer and quarantine, and the
request is kept as a keyed hash so that no later load brings them back.

A person is named by e-mail address or customer id. Raw already stores e-mails only as
keyed hashes (`email_hash`, `respondent_email_hash`, `reviewer_email_hash`) and quarantined
records with personal fields hashed the same way, so the request is matched against
those; customer ids are stored in clear and are matched through the same keyed hash. An
e-mail request also forgets the customer ids raw links to it, and a customer-id request
the e-mails, so an orders file (which has no e-mail) stays out too.

Removed rows leave the ledger's counts as if never received (rows in and loaded, or in
and quarantined, both drop), so the ledger and raw still reconcile; rows of a vendor API
window count as replaced. Staging and the marts lose the rows at the next `dbt build`
(incremental marts delete rows gone upstream), and the published copy at its next
publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb

from ingestion.warehouse import quote_identifier

_FORGOTTEN_EMAILS = "(select subject_hash from raw.forget_requests where subject_kind = 'email')"
_FORGOTTEN_CUSTOMERS = (
    "(select subject_hash from raw.forget_requests where subject_kind = 'customer_id')"
)
CUSTOMER_HASH = "sha256(concat($key, '|customer_id|', trim({column})))"


def _about_subject(email_columns: tuple[str, ...], customer_columns: tuple[str, ...]) -> str:
    """SQL predicate: the row carries a forgotten e-mail hash or customer id."""
    tests = [f"{column} in {_FORGOTTEN_EMAILS}" for column in email_columns]
    tests += [
        f"{CUSTOMER_HASH.format(column=column)} in {_FORGOTTEN_CUSTOMERS}"
        for column in customer_columns
    ]
    return "(" + " or ".join(tests) + ")"


# Raw tables with a person's own rows: (table, e-mail hash columns, customer id columns).
PERSONAL_TABLES = (
    ("customers", ("email_hash",), ("customer_id",)),
    ("orders", (), ("customer_id",)),
    ("survey_responses", ("respondent_email_hash",), ("external_reference",)),
    ("reviews", ("reviewer_email_hash",), ("customer_reference",)),
)
_RESPONSE_OF_SUBJECT = _about_subject(("r.respondent_email_hash",), ("r.external_reference",))
# A quarantined record holds the e-mail's hash, or a token that hashes to a customer id.
_QUARANTINE_OF_SUBJECT = (
    f"(exists (select 1 from {_FORGOTTEN_EMAILS} f where contains(original_line, f.subject_hash))"
    " or list_has_any("
    "list_transform(regexp_extract_all(original_line, '[A-Za-z0-9_.:-]+'),"
    f" token -> {CUSTOMER_HASH.format(column='token')}),"
    f" coalesce((select list(subject_hash) from {_FORGOTTEN_CUSTOMERS}), []))"
    ")"
)
# Free text where someone may have written the address in clear.
FREE_TEXT_COLUMNS = (
    ("reviews", "title"),
    ("reviews", "body"),
    ("reviews", "reply_body"),
    ("case_actions", "note"),
)


@dataclass
class Forgotten:
    """What a request or a load's check removed, per raw table (rows) and quarantine."""

    rows: dict[str, int] = field(default_factory=dict)
    quarantined: int = 0
    text_masked: int = 0

    @property
    def rows_removed(self) -> int:
        return sum(count for table, count in self.rows.items() if table != "survey_answers")


def record_request(
    conn: duckdb.DuckDBPyConnection,
    key: str,
    *,
    email: str | None = None,
    customer_id: str | None = None,
) -> None:
    """Store the request as hashes, with the ids raw links to it."""
    now = datetime.now(UTC)
    emails: set[str] = set()
    customers: set[str] = set()
    if email is not None:
        row = conn.execute("select pseudonymise_email($key, $email)", {"key": key, "email": email})
        emails.add(str(row.fetchone()[0]))  # type: ignore[index]
        linked = conn.execute(
            "select customer_id from raw.customers where email_hash = $hash"
            " union select external_reference from raw.survey_responses"
            " where respondent_email_hash = $hash"
            " union select customer_reference from raw.reviews where reviewer_email_hash = $hash",
            {"hash": next(iter(emails))},
        ).fetchall()
        customers |= {str(value) for (value,) in linked if value}
    if customer_id is not None:
        customers.add(customer_id)
        linked = conn.execute(
            "select email_hash from raw.customers where trim(customer_id) = trim($id)",
            {"id": customer_id},
        ).fetchall()
        emails |= {str(value) for (value,) in linked if value}
    hashed_customers = [
        conn.execute(
            "select " + CUSTOMER_HASH.format(column="$id"), {"key": key, "id": value}
        ).fetchone()[0]  # type: ignore[index]
        for value in sorted(customers)
    ]
    rows = [(value, "email", now) for value in sorted(emails)]
    rows += [(value, "customer_id", now) for value in hashed_customers]
    conn.executemany(
        "insert into raw.forget_requests values (?, ?, ?) on conflict do nothing", rows
    )


def has_requests(conn: duckdb.DuckDBPyConnection) -> bool:
    row = conn.execute("select count(*) from raw.forget_requests").fetchone()
    return bool(row and row[0])


def remove_forgotten(
    conn: duckdb.DuckDBPyConnection, key: str, load_id: str | None = None
) -> Forgotten:
    """Delete the rows of every forgotten person, of one load or of all, and keep the
    ledger's and the API windows' counts in step."""
    forgotten = Forgotten()
    if not has_requests(conn):
        return forgotten
    scope = "" if load_id is None else " and _load_id = $load_id"
    params: dict[str, object] = {"key": key}
    if load_id is not None:
        params["load_id"] = load_id
    # Answers first: they are found through their response.
    answers = conn.execute(
        "delete from raw.survey_answers a where exists (select 1 from raw.survey_responses r"
        " where r._load_id = a._load_id and r.survey_id is not distinct from a.survey_id"
        f" and r.response_id is not distinct from a.response_id and {_RESPONSE_OF_SUBJECT})"
        + scope.replace("_load_id", "a._load_id"),
        params,
    ).fetchone()
    forgotten.rows["survey_answers"] = int(answers[0]) if answers else 0
    for table, email_columns, customer_columns in PERSONAL_TABLES:
        predicate = _about_subject(email_columns, customer_columns) + scope
        qualified = f"raw.{quote_identifier(table)}"
        per_load = conn.execute(
            f"select _load_id, count(*) from {qualified} where {predicate} group by all", params
        ).fetchall()
        if not per_load:
            continue
        conn.execute(f"delete from {qualified} where {predicate}", params)
        for removed_from, count in per_load:
            _count_out(conn, str(removed_from), f"raw.{table}", int(count), quarantined=False)
        forgotten.rows[table] = sum(int(count) for _, count in per_load)
    quarantine_scope = "" if load_id is None else " and load_id = $load_id"
    per_load = conn.execute(
        "select load_id, count(*) from raw.quarantine"
        f" where {_QUARANTINE_OF_SUBJECT}{quarantine_scope} group by all",
        params,
    ).fetchall()
    if per_load:
        conn.execute(
            f"delete from raw.quarantine where {_QUARANTINE_OF_SUBJECT}{quarantine_scope}",
            params,
        )
        for removed_from, count in per_load:
            _count_out(conn, str(removed_from), None, int(count), quarantined=True)
        forgotten.quarantined = sum(int(count) for _, count in per_load)
    return forgotten


def _count_out(
    conn: duckdb.DuckDBPyConnection,
    load_id: str,
    table: str | None,
    count: int,
    *,
    quarantined: bool,
) -> None:
    """The ledger counts removed rows as never received; an API window as replaced."""
    column = "rows_quarantined" if quarantined else "rows_loaded"
    conn.execute(
        f"update raw.load_ledger set rows_in = rows_in - $n, {column} = {column} - $n"
        " where load_id = $load_id",
        {"n": count, "load_id": load_id},
    )
    if table is not None:
        conn.execute(
            "update raw.api_window_rows set rows_replaced = rows_replaced + $n"
            " where window_id = $load_id and table_name = $table",
            {"n": count, "load_id": load_id, "table": table},
        )


def mask_email_in_text(conn: duckdb.DuckDBPyConnection, email: str) -> int:
    """Replace the address where someone wrote it in clear in free text; rows changed."""
    pattern = "(?i)" + re.escape(email.strip())
    changed = 0
    for table, column in FREE_TEXT_COLUMNS:
        qualified, quoted = f"raw.{quote_identifier(table)}", quote_identifier(column)
        row = conn.execute(
            f"update {qualified} set {quoted} = regexp_replace({quoted}, $pattern, '[email]', 'g')"
            f" where regexp_matches({quoted}, $pattern)",
            {"pattern": pattern},
        ).fetchone()
        changed += int(row[0]) if row else 0
    row = conn.execute(
        "update raw.survey_answers set answers = list_transform(answers,"
        " answer -> regexp_replace(answer, $pattern, '[email]', 'g'))"
        " where list_bool_or(list_transform(answers, answer -> regexp_matches(answer, $pattern)))",
        {"pattern": pattern},
    ).fetchone()
    return changed + (int(row[0]) if row else 0)


def forget(
    conn: duckdb.DuckDBPyConnection,
    key: str,
    *,
    email: str | None = None,
    customer_id: str | None = None,
) -> Forgotten:
    """Record the request and remove the person from raw and quarantine, in one
    transaction."""
    conn.execute("begin transaction")
    try:
        record_request(conn, key, email=email, customer_id=customer_id)
        forgotten = remove_forgotten(conn, key)
        if email is not None:
            forgotten.text_masked = mask_email_in_text(conn, email)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return forgotten
