"""Known people's names inside free text, masked as `[name]` in raw.

Raw never holds a name in clear: customers, reviewers and respondents arrive with their
names as keyed hashes (`pseudonymise_name`: the key, then the name lower-cased with its
spaces collapsed). Those hashes are the list of known names. A free text (a review's
title, body or reply, an open survey answer, a follow-up note) is cut into runs of two and
three consecutive words, punctuation trimmed at each word's ends; every run is hashed the
same way, and a run whose hash is a known name is replaced by `[name]`.

Only runs of two or three words, each of two letters or more, are compared: a first name
alone ("Will", "May") or a surname alone is never masked, nor an initial ("Mari T.").
The text is masked once, when its load is written, against every name known then,
including the names of the same load. A customers file that brings new names masks them
in the texts loaded before it too (its names are the people the team knows); a review or
survey file's own reviewer and respondent names mask texts from that load on.

The hashing is done once per distinct run, not per occurrence: the texts in scope are
split into words once, each distinct (word, next word, next but one) is hashed, and only
the texts holding the first word of a run that matched are matched run by run and
rewritten (in one statement per table).

The key is bound as a parameter and never stored: the hashing runs during ingestion, the
only time the key is at hand, and dbt sees masked text only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import duckdb

from ingestion.warehouse import execute_sql, quote_identifier, record_edit, table_exists

# (raw table, its keyed name hash column).
NAME_HASH_COLUMNS = (
    ("customers", "name_hash"),
    ("reviews", "reviewer_name_hash"),
    ("survey_responses", "respondent_name_hash"),
)
# Free text that staging passes through `mask_pii` (list columns hold one text each), and
# quarantined records as they stood in their file (their e-mails are masked before this).
TEXT_COLUMNS = (
    ("reviews", "title"),
    ("reviews", "body"),
    ("reviews", "reply_body"),
    ("case_actions", "note"),
    ("quarantine", "original_line"),
)
# The column naming a row's load: raw tables say `_load_id`, the quarantine `load_id`.
LOAD_ID_COLUMNS = {"quarantine": "load_id"}
ANSWER_TABLE = "survey_answers"
PLACEHOLDER = "[name]"
MIN_WORD_LETTERS = 2

# Words of a text (split at white space, non-letters trimmed at both ends), then the runs
# of two and three words whose words all have MIN_WORD_LETTERS letters or more.
_RUNS = f"""
    list_filter(
        list_concat(
            list_transform(range(1, len(words)), i -> [words[i], words[i + 1]]),
            list_transform(range(1, len(words) - 1), i -> [words[i], words[i + 1], words[i + 2]])
        ),
        run -> list_bool_and(list_transform(run, word -> length(word) >= {MIN_WORD_LETTERS}))
    )
"""
_WORDS = (
    "list_transform(string_split_regex(trim({text}), '\\s+'),"
    " word -> regexp_replace(word, '^[^\\p{{L}}]+|[^\\p{{L}}]+$', '', 'g'))"
)
# The same words in two steps: the split (a template like `_WORDS`), then the trim of one
# word (plain SQL, `%s` standing for the word).
_TOKENS = "string_split_regex(trim({text}), '\\s+')"
_TRIM = "regexp_replace(%s, '^[^\\p{L}]+|[^\\p{L}]+$', '', 'g')"
# A quarantined record may be a JSON object ("body":"Aino Virtanen ..."), where a name
# follows punctuation with no space: its words are its runs of letters (nothing to trim).
_LETTER_WORDS = "regexp_extract_all({text}, '\\p{{L}}+')"


def _known_names(load_id: str | None, new_only: bool) -> str:
    """SQL: the known name hashes (all, or those first brought by the load `$load_id`)."""
    parts = []
    for table, column in NAME_HASH_COLUMNS:
        parts.append(f"select {column} as name_hash from raw.{table} where {column} is not null")
    everything = " union ".join(parts)
    if not new_only or load_id is None:
        return everything
    this_load = " union ".join(f"{part} and _load_id = $load_id" for part in parts)
    others = " union ".join(f"{part} and _load_id <> $load_id" for part in parts)
    return f"({this_load}) except ({others})"


def _matches_sql(texts: str, known: str, words: str = _WORDS) -> str:
    """SQL: (row key, position, matched word runs) for the texts `texts` selects as
    (row_key, position, text)."""
    return f"""
        with texts as ({texts}),
        runs as (
            select row_key, position, unnest({_RUNS}) as run
            from (select row_key, position, {words.format(text="text")} as words from texts)
        )
        select row_key, position, list(distinct array_to_string(run, ' '))
        from runs
        where sha256(concat($key, '|name|', lower(array_to_string(run, ' ')))) in ({known})
        group by row_key, position
    """


# The first words (as split, before trimming) of the distinct runs of `_name_tokens`
# whose hash is a known name: a text holding none of them holds no known name. Words are
# trimmed once per distinct word; one too short to be in a run leaves the vocabulary.
_FIRST_WORDS_SQL = f"""
    with triples as materialized (
        select distinct unnest(list_zip(tokens, tokens[2:], tokens[3:])) as triple
        from _name_tokens
    ),
    vocabulary as (
        select token, word from (
            select token, {_TRIM % "token"} as word
            from (select distinct unnest([triple[1], triple[2], triple[3]]) as token from triples)
        ) where length(word) >= {MIN_WORD_LETTERS}
    ),
    runs as (
        select triple[1] as first, lower(one.word || ' ' || two.word) as pair,
            lower(three.word) as third
        from triples
        join vocabulary as one on one.token = triple[1]
        join vocabulary as two on two.token = triple[2]
        left join vocabulary as three on three.token = triple[3]
    )
    select distinct first from runs
    where sha256(concat($key, '|name|', pair)) in (select name_hash from _name_known)
        or sha256(concat($key, '|name|', pair, ' ', third)) in (select name_hash from _name_known)
"""


def _run(conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> list:
    """Rows of `sql`, bound to the parameters it uses."""
    return execute_sql(conn, sql, params).fetchall()


def _matches(
    conn: duckdb.DuckDBPyConnection, texts: str, params: dict[str, object], letters: bool
) -> list[tuple[int, int, list[str]]]:
    """(row key, position, matched word runs) for the texts `texts` selects as (row_key,
    position, text), against the names in `_name_known` (`letters`: words are runs of
    letters, as in `_LETTER_WORDS`).

    Hashing every run of every text was most of a load's time, and runs repeat far more
    than texts do: each distinct run is hashed once, and the exact matching runs only on
    the texts that hold the first word of a run that matched."""
    _run(conn, f"create or replace temp table _name_texts as {texts}", params)
    tokens = (_LETTER_WORDS if letters else _TOKENS).format(text="text")
    _run(
        conn,
        "create or replace temp table _name_tokens as select text, "
        f"{tokens} as tokens from (select distinct text from _name_texts)",
        params,
    )
    found = _run(conn, f"create or replace temp table _name_firsts as {_FIRST_WORDS_SQL}", params)
    if not found[0][0]:
        return []
    candidates = (
        "select row_key, position, text from _name_texts where text in (select text from"
        " (select text, unnest(tokens) as token from _name_tokens)"
        " where token in (select first from _name_firsts))"
    )
    known = "select name_hash from _name_known"
    words = _LETTER_WORDS if letters else _WORDS
    return _run(conn, _matches_sql(candidates, known, words), params)


def _run_pattern(run: str) -> re.Pattern[str]:
    """The words of a run as they stand in the text: any punctuation at the ends of each
    word, white space between them, no letter or digit right before or after."""
    words = [re.escape(word) for word in run.split(" ")]
    return re.compile(r"(?<!\w)" + r"[^\w\s]*\s+[^\w\s]*".join(words) + r"(?!\w)", re.IGNORECASE)


def mask_runs(text: str, runs: Sequence[str]) -> str:
    """The text with each matched run of words replaced by the placeholder (longest
    runs first, so a three-word name is not left with a word over)."""
    for run in sorted(runs, key=len, reverse=True):
        text = _run_pattern(run).sub(PLACEHOLDER, text)
    return text


def mask_names(
    conn: duckdb.DuckDBPyConnection,
    key: str,
    load_id: str | None = None,
) -> int:
    """Mask known names in the free text of one load (`load_id`) or of all loads; when a
    load is named and it brought new customer names, the texts of other loads are
    masked for those names too. Returns the texts changed in earlier loads, which are
    recorded as edited in place (a load's own texts are new to every model)."""
    if not table_exists(conn, "raw", "customers"):
        return 0
    params: dict[str, object] = {"key": key}
    if load_id is not None:
        params["load_id"] = load_id
    scope = "" if load_id is None else " and {load_id} = $load_id"
    masked = _mask(conn, scope, _known_names(None, False), params)
    if load_id is None:
        edited = masked
    elif _brings_customer_names(conn, load_id):
        edited = _mask(conn, " and {load_id} <> $load_id", _known_names(load_id, True), params)
    else:
        edited = {}
    if any(edited.values()):
        # The quarantine feeds no model and no lake file: nothing to rebuild for it.
        tables = [table for table, count in edited.items() if count and table != "quarantine"]
        record_edit(conn, tables, "names masked")
    return sum(edited.values())


def _brings_customer_names(conn: duckdb.DuckDBPyConnection, load_id: str) -> bool:
    row = conn.execute(
        "select count(*) from raw.customers where _load_id = $load_id and name_hash is not null"
        " and name_hash not in (select name_hash from raw.customers where _load_id <> $load_id"
        " and name_hash is not null)",
        {"load_id": load_id},
    ).fetchone()
    return bool(row and row[0])


def _mask(
    conn: duckdb.DuckDBPyConnection, scope: str, known: str, params: dict[str, object]
) -> dict[str, int]:
    """Texts changed, per raw table. `scope` narrows the rows with `{load_id}` standing for
    the table's load column."""
    changed: dict[str, int] = defaultdict(int)
    _run(conn, f"create or replace temp table _name_known as {known}", params)
    if not conn.execute("select count(*) from _name_known").fetchone()[0]:  # type: ignore[index]
        _drop_work_tables(conn)
        return changed  # no name to look for
    for table, column in TEXT_COLUMNS:
        table_scope = scope.format(load_id=LOAD_ID_COLUMNS.get(table, "_load_id"))
        quoted, qualified = quote_identifier(column), f"raw.{quote_identifier(table)}"
        texts = (
            f"select rowid as row_key, 0 as position, {quoted} as text from {qualified}"
            f" where {quoted} like '% %'{table_scope}"
        )
        matches = _matches(conn, texts, params, letters=table == "quarantine")
        if not matches:
            continue
        rows = conn.execute(
            f"select rowid, {quoted} from {qualified} where rowid in"
            f" (select unnest($rows::bigint[]))",
            {"rows": [row_key for row_key, _, _ in matches]},
        ).fetchall()
        current = dict(rows)
        updates = []
        for row_key, _, runs in matches:
            masked = mask_runs(current[row_key], runs)
            if masked != current[row_key]:
                updates.append((masked, row_key))
        _update(conn, qualified, quoted, updates)
        changed[table] += len(updates)
    changed[ANSWER_TABLE] = _mask_answers(conn, scope.format(load_id="_load_id"), params)
    _drop_work_tables(conn)
    return changed


def _drop_work_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for table in ("_name_known", "_name_texts", "_name_tokens", "_name_firsts"):
        conn.execute(f"drop table if exists {table}")


def _mask_answers(conn: duckdb.DuckDBPyConnection, scope: str, params: dict[str, object]) -> int:
    """Open answers: raw holds a response's answers as one list."""
    texts = (
        "select row_key, position, text from (select rowid as row_key,"
        " unnest(range(1, len(answers) + 1)) as position, unnest(answers) as text"
        f" from raw.{ANSWER_TABLE} where list_bool_or(list_transform(answers,"
        f" answer -> answer like '% %')){scope}) where text like '% %'"
    )
    matches = _matches(conn, texts, params, letters=False)
    if not matches:
        return 0
    by_row: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
    for row_key, position, runs in matches:
        by_row[int(row_key)].append((int(position), runs))
    rows = conn.execute(
        f"select rowid, answers from raw.{ANSWER_TABLE}"
        " where rowid in (select unnest($rows::bigint[]))",
        {"rows": sorted(by_row)},
    ).fetchall()
    updates = []
    for row_key, answers in rows:
        masked = list(answers)
        for position, runs in by_row[int(row_key)]:
            masked[position - 1] = mask_runs(masked[position - 1], runs)
        if masked != list(answers):
            updates.append((masked, row_key))
    _update(conn, f"raw.{ANSWER_TABLE}", "answers", updates)
    return len(updates)


def _update(
    conn: duckdb.DuckDBPyConnection, table: str, column: str, updates: Sequence[tuple[object, int]]
) -> None:
    """Set `column` to each (value, rowid) pair, in one statement: an update a row took
    about 5 ms each on a 1M-row table, and under DuckDB 1.4 some of them were lost (rows
    an earlier update had moved were left as they were)."""
    if updates:
        conn.execute(
            f"update {table} set {column} = new.value from (select unnest($values) as value,"
            f" unnest($rows::bigint[]) as row_key) as new where {table}.rowid = new.row_key",
            {"values": [value for value, _ in updates], "rows": [row for _, row in updates]},
        )
