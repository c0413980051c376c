"""Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE, Windows-1252 load byte-exact;
mojibake is quarantined with a reason, never loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect
from ingestion.pipeline import ingest
from tests.conftest import RAW_ANSWERS_LONG

ENCODINGS = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "encodings"

# The sentences the multilingual fixtures hold, one review each, in every encoding.
SENTENCES = {
    "en": "The delivery was quick and the staff were friendly.",
    "fi": "Pöytä oli likainen, mutta kahvi oli hyvää ja henkilökunta ystävällistä.",
    "et": "Teenindus oli kiire ja sõbralik, šokolaadikook ja žele olid väga head.",
    "hr": "Dostava je bila brza, ali čaša je stigla razbijena; šteta što je ćevapčić bio"
    " hladan, a đuveč i žlica prljavi.",
    "ro": "Produsul a sosit târziu, dar ambalajul a fost în stare bună și prețul corect;"
    " mulțumesc!",
    "de": "Die Größe passt perfekt, aber die Lieferung dauerte über eine Woche.",
    "fr": "Très bon accueil, le café était délicieux et le garçon très poli.",
    "ja": "配送がとても早くて、店員さんも親切でした。ありがとうございます。",
}
MULTILINGUAL = {
    "multilingual_utf8.csv": ("utf8", "utf-8"),
    "multilingual_utf8_bom.csv": ("utf8_bom", "utf-8-sig"),
    "multilingual_utf16le.csv": ("utf16le", "utf-16"),
    "multilingual_utf16be.csv": ("utf16be", "utf-16"),
}


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _ingest_one(tmp_path: Path, name: str) -> list:  # type: ignore[type-arg]
    folder = tmp_path / "encoded"
    folder.mkdir(exist_ok=True)
    shutil.copyfile(ENCODINGS / name, folder / name)
    return ingest(landing_root=folder)


@pytest.mark.parametrize("name", sorted(MULTILINGUAL))
def test_multilingual_text_survives_byte_exact(pulse_env: Path, tmp_path: Path, name: str) -> None:
    prefix, encoding = MULTILINGUAL[name]
    assert detect(ENCODINGS / name).encoding == encoding
    [result] = _ingest_one(tmp_path, name)
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 8, 0)
    loaded = dict(_query(pulse_env, "select review_id, body from raw.reviews"))
    assert {f"{prefix}-{lang}": text for lang, text in SENTENCES.items()} == loaded
    for lang, text in SENTENCES.items():
        assert loaded[f"{prefix}-{lang}"].encode("utf-8") == text.encode("utf-8")


def test_windows_1252_from_excel_is_decoded(pulse_env: Path, tmp_path: Path) -> None:
    raw = (ENCODINGS / "excel_windows_1252.csv").read_bytes()
    assert b"caf\xe9" in raw and b"\x80" in raw and b"\x92" in raw and b"\x93" in raw
    assert detect(ENCODINGS / "excel_windows_1252.csv").encoding == "cp1252"
    [result] = _ingest_one(tmp_path, "excel_windows_1252.csv")
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert _query(pulse_env, "select title, body from raw.reviews order by review_id") == [
        ("Le café", "Un café à 2,50 €, servi avec le sourire."),
        ("Smart quotes", "It’s “fine”, they said – and it was."),
    ]
    assert _query(pulse_env, "select encoding from raw.load_ledger") == [("cp1252",)]


def test_mojibake_rows_are_quarantined_with_file_row_and_text(
    pulse_env: Path, tmp_path: Path
) -> None:
    [result] = _ingest_one(tmp_path, "mojibake_reviews.csv")
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        4,
        2,
        2,
    )
    assert _query(pulse_env, "select review_id from raw.reviews order by 1") == [
        ("mj-1",),
        ("mj-4",),
    ]
    reasons = [
        row[0] for row in _query(pulse_env, "select reason from raw.quarantine order by reason")
    ]
    assert reasons[0].startswith("mojibake_reviews.csv, data row 2: mojibake in title")
    assert '"Le cafÃ©"' in reasons[0]
    assert reasons[1].startswith("mojibake_reviews.csv, data row 3: mojibake in body")
    assert "â‚¬" in reasons[1] and "UTF-8 text decoded as Windows-1252" in reasons[1]
    kept = _query(pulse_env, "select original_line from raw.quarantine order by reason")
    assert "hÃ¤sslich" in kept[1][0]


def test_accented_words_are_not_mistaken_for_mojibake(pulse_env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    folder.mkdir()
    text = "Ärger über Öl; À bientôt; Šta? Ćao; Ñandú; Ø; São Paulo; ÉTÉ « chaud »; 日本語"
    (folder / "reviews.csv").write_text(
        f'review_id,platform,rating,created_at,body\nok-1,google,4,2025-01-01T00:00:00Z,"{text}"\n',
        encoding="utf-8",
    )
    [result] = ingest(landing_root=folder)
    assert (result.rows_loaded, result.rows_quarantined) == (1, 0)
    assert _query(pulse_env, "select body from raw.reviews") == [(text,)]


def test_survey_rows_with_mojibake_are_quarantined(pulse_env: Path, tmp_path: Path) -> None:
    [result] = _ingest_one(tmp_path, "mojibake_google_forms.csv")
    assert (result.status, result.rows_in, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        3,
        1,
        2,
    )
    reasons = [
        reason
        for (reason,) in _query(pulse_env, "select reason from raw.quarantine order by line_number")
    ]
    assert len(reasons) == 2
    assert reasons[0].startswith("mojibake_google_forms.csv, data row 1: mojibake in ")
    assert "cafÃ©" in reasons[0]
    assert "â‚¬" in reasons[1]
    answers = _query(pulse_env, f"select answer from {RAW_ANSWERS_LONG}")
    assert ("Alles gut – schnelle Lieferung",) in answers
    assert not any("Ã" in str(answer) or "â‚" in str(answer) for (answer,) in answers)
