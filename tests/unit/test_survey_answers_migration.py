"""A warehouse whose raw.survey_answers still holds one row per answer is regrouped into
one row per response and load, with nothing lost."""

from pathlib import Path

import duckdb

from ingestion.warehouse import ensure_raw_schema

LONG_FORM_TABLE = """
create schema raw;
create table raw.survey_answers (
    survey_id varchar, response_id varchar, item_id varchar, answer varchar,
    _source varchar not null, _file_name varchar not null, _file_hash varchar not null,
    _row_number bigint not null, _load_id varchar not null, _loaded_at timestamptz not null
);
insert into raw.survey_answers values
    ('S1', 'R1', 'Q2', 'second column', 'qualtrics', 'a.csv', 'ha', 1, 'L1', '2025-03-05'),
    ('S1', 'R1', 'Q10', '9', 'qualtrics', 'a.csv', 'ha', 1, 'L1', '2025-03-05'),
    ('S1', 'R2', 'Q2', 'other', 'qualtrics', 'a.csv', 'ha', 2, 'L1', '2025-03-05'),
    ('S1', 'R1', 'Q2', 'corrected', 'qualtrics', 'b.csv', 'hb', 4, 'L2', '2025-03-06');
"""


def test_long_form_answers_become_lists_in_load_order(tmp_path: Path) -> None:
    warehouse = tmp_path / "old.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(LONG_FORM_TABLE)
        ensure_raw_schema(conn)
        ensure_raw_schema(conn)  # the second call finds nothing to migrate
        rows = conn.execute(
            "select response_id, item_ids, answers, _file_name, _file_hash, _row_number,"
            " _load_id from raw.survey_answers order by _load_id, response_id"
        ).fetchall()
        columns = [row[0] for row in conn.execute("describe raw.survey_answers").fetchall()]
    assert rows == [
        ("R1", ["Q2", "Q10"], ["second column", "9"], "a.csv", "ha", 1, "L1"),
        ("R2", ["Q2"], ["other"], "a.csv", "ha", 2, "L1"),
        ("R1", ["Q2"], ["corrected"], "b.csv", "hb", 4, "L2"),
    ]
    assert "item_id" not in columns and {"item_ids", "answers"} <= set(columns)
