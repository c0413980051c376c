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
from datetime import UTC, datetime, timedelta

import duckdb

from ingestion.warehouse import quote_identifier, record_edit

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
    edited: list[str] = []
    for table, column in FREE_TEXT_COLUMNS:
        qualified, quoted = f"raw.{quote_identifier(table)}", quote_identifier(column)
        row = conn.execute(
            f"update {qualified} set {quoted} = regexp_replace({quoted}, $pattern, '[email]', 'g')"
            f" where regexp_matches({quoted}, $pattern)",
            {"pattern": pattern},
        ).fetchone()
        if row and row[0]:
            changed += int(row[0])
            edited.append(table)
    row = conn.execute(
        "update raw.survey_answers set answers = list_transform(answers,"
        " answer -> regexp_replace(answer, $pattern, '[email]', 'g'))"
        " where list_bool_or(list_transform(answers, answer -> regexp_matches(answer, $pattern)))",
        {"pattern": pattern},
    ).fetchone()
    answers = int(row[0]) if row else 0
    if answers:
        edited.append("survey_answers")
    if edited:
        record_edit(conn, edited, "address masked on request")
    return changed + answers


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


# Retention: what a record older than the retention period keeps no more. Its age is its
# own date where raw holds one in ISO 8601, else the time it was loaded. Customers and
# orders are the team's own records of a relationship: `pulse forget` removes them.


def _age(*columns: str) -> str:
    """SQL: a record's date from its first column that holds one (ISO 8601, or the
    month-first and day-first forms survey tools export), else when it was loaded."""
    formats = "['%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M']"
    dates = [
        f"try_cast({column} as timestamptz), try_strptime({column}, {formats})::timestamptz"
        for column in columns
    ]
    return f"coalesce({', '.join(dates)}, _loaded_at)"


_REVIEW_AGE = _age("created_at")
_RESPONSE_AGE = _age("submitted_at", "started_at")
_NOTE_AGE = _age("acted_at")
# Answers the registry scores or uses as a segment are no free text: they stay.
_KEPT_INSTRUMENTS = ("nps", "csat", "ces", "driver", "intent", "category", "attribute")
RETENTION_LABELS = {
    "reviews": "reviews",
    "survey_responses": "survey responses",
    "survey_answers": "responses' open answers",
    "case_actions": "case notes",
    "quarantine": "quarantined records",
}


def _redact(conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> int:
    row = conn.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def redact_older_than(
    conn: duckdb.DuckDBPyConnection, cutoff: datetime, load_id: str | None = None
) -> dict[str, int]:
    """Redact free text and personal fields of records dated before `cutoff`, in one load
    or in all; rows changed per raw table. Rows stay (the metrics keep their scores and
    counts): review texts, open answers and case notes become null, the keyed hashes of
    reviewers' and respondents' e-mails and names null, a quarantined record's text null.
    A sweep over all loads records the tables it changed as edited in place, so the next
    build rebuilds what reads them."""
    params: dict[str, object] = {"cutoff": cutoff}
    scope = ""
    if load_id is not None:
        params["load_id"] = load_id
        scope = " and _load_id = $load_id"
    counts = {
        "reviews": _redact(
            conn,
            "update raw.reviews set title = null, body = null, reply_body = null,"
            " reviewer_email_hash = null, reviewer_name_hash = null"
            f" where {_REVIEW_AGE} < $cutoff{scope} and (title is not null or body is not null"
            " or reply_body is not null or reviewer_email_hash is not null"
            " or reviewer_name_hash is not null)",
            params,
        ),
        "survey_responses": _redact(
            conn,
            "update raw.survey_responses set respondent_email_hash = null,"
            f" respondent_name_hash = null where {_RESPONSE_AGE} < $cutoff{scope}"
            " and (respondent_email_hash is not null or respondent_name_hash is not null)",
            params,
        ),
        "survey_answers": _redact_answers(conn, scope, params),
        "case_actions": _redact(
            conn,
            f"update raw.case_actions set note = null where {_NOTE_AGE} < $cutoff{scope}"
            " and note is not null",
            params,
        ),
        "quarantine": _redact(
            conn,
            "update raw.quarantine set original_line = null where quarantined_at < $cutoff"
            + scope.replace("_load_id", "load_id")
            + " and original_line is not null",
            params,
        ),
    }
    if load_id is None:
        edited = [table for table, count in counts.items() if count]
        if edited:
            record_edit(conn, edited, "retention period")
    return counts


def _redact_answers(conn: duckdb.DuckDBPyConnection, scope: str, params: dict[str, object]) -> int:
    """Open answers of responses dated before the cutoff become null; numbers and the
    answers of items the registry scores or segments by stay."""
    kept = ", ".join(f"'{instrument}'" for instrument in _KEPT_INSTRUMENTS)
    conn.execute(
        f"""
        create or replace temp table retention_answers as
        with old as (
            select a.rowid as row_key, a.item_ids, a.answers,
                coalesce(registry.items, []::varchar[]) as kept_items
            from raw.survey_answers as a
            left join (
                select survey_id, list(item_id) as items from raw.survey_registry
                where instrument in ({kept}) group by survey_id
            ) as registry on registry.survey_id = a.survey_id
            where coalesce((
                select min({_RESPONSE_AGE}) from raw.survey_responses as r
                where r._load_id = a._load_id and r.survey_id is not distinct from a.survey_id
                    and r.response_id is not distinct from a.response_id
            ), a._loaded_at) < $cutoff{scope.replace("_load_id", "a._load_id")}
        ),
        redacted as (
            select row_key, answers, list_transform(range(1, len(answers) + 1), i ->
                case
                    when answers[i] is null or try_cast(answers[i] as double) is not null
                        or list_contains(kept_items, item_ids[i]) then answers[i]
                end) as kept_answers
            from old
        )
        select row_key, kept_answers from redacted where kept_answers is distinct from answers
        """,
        params,
    )
    row = conn.execute("select count(*) from retention_answers").fetchone()
    count = int(row[0]) if row else 0
    if count:
        conn.execute(
            "update raw.survey_answers set answers = retention_answers.kept_answers"
            " from retention_answers where raw.survey_answers.rowid = retention_answers.row_key"
        )
    conn.execute("drop table retention_answers")
    return count


def apply_retention(conn: duckdb.DuckDBPyConnection, days: int) -> tuple[datetime, dict[str, int]]:
    """The retention sweep over all loads, in one transaction: the cutoff and the counts."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    conn.execute("begin transaction")
    try:
        counts = redact_older_than(conn, cutoff)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return cutoff, counts


def describe_retention(days: int, cutoff: datetime, counts: dict[str, int]) -> str:
    """One line: what the retention period redacted."""
    parts = ", ".join(f"{RETENTION_LABELS[table]} {count}" for table, count in counts.items())
    return (
        f"retention ({days} days): free text and personal fields of records before"
        f" {cutoff:%Y-%m-%d} redacted: {parts}"
    )
