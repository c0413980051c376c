"""A scored answer that is not a whole number on its item's scale (9.5, 1e1, abc) is
quarantined with the reason; it neither counts (9.5 a promoter, 1e1 a 10) nor vanishes."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.pipeline import ingest

HEADER = (
    "Timestamp,Email Address,How satisfied were you with your purchase?,"
    "How likely are you to recommend Northwind Outfitters to a friend or colleague?,"
    "What could we improve?"
)


def test_off_scale_answers_are_quarantined(pulse_env: Path, landing: Path) -> None:
    rows = [
        "3/4/2025 9:05:07,,5,9,fine",
        "3/4/2025 9:06:07,,5,9.5,half",
        "3/4/2025 9:07:07,,5,1e1,exponent",
        "3/4/2025 9:08:07,,5,abc,letters",
    ]
    survey = landing / "surveys" / "google_forms_post_purchase.csv"
    survey.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")

    (result,) = [r for r in ingest() if r.file_name == "surveys/google_forms_post_purchase.csv"]

    assert (result.rows_in, result.rows_loaded, result.rows_quarantined) == (4, 1, 3)
    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        quarantined = conn.execute(
            "select reason from raw.quarantine where _file_name = ?", [result.file_name]
        ).fetchall()
    reasons = [reason for (reason,) in quarantined]
    assert len(reasons) == 3
    for value in ("9.5", "1e1", "abc"):
        assert any(f"'{value}'" in reason and "whole number" in reason for reason in reasons)
