"""Verdicts of the text scorer's asset checks, read from the warehouse.

- The sentiment model: every model that scores texts (the multilingual one, and each
  language's own) must reach `min_macro_f1` cross-validated macro-F1. Languages scored
  by the multilingual model as a fallback are listed but not judged: their own held-out
  texts are too few for a stable estimate (that is why they fall back).
- The undetermined languages: the share of `und` among the texts a run scored may not
  rise by more than `und_share_max_rise` over the share of the last run before it that
  scored at least `und_check_min_texts` texts; a run that scored fewer is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from analytics.text.sentiment import ALL_LANGUAGES
from analytics.text.settings import TextSettings
from ingestion.warehouse import connect, table_exists

SQL_DIR = Path(__file__).resolve().parent / "sql"


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Verdict:
    passed: bool
    description: str
    metadata: dict[str, object] = field(default_factory=dict)


def sentiment_model_verdict(warehouse: Path, settings: TextSettings) -> Verdict:
    with connect(warehouse, read_only=True) as conn:
        if not table_exists(conn, "analytics", "text_sentiment_models"):
            return Verdict(False, "the text scorer has not run: no sentiment model")
        rows = conn.execute(_sql("current_model_card.sql")).fetchall()
    if not rows:
        return Verdict(
            False,
            f"no sentiment model: fewer than {settings.min_labels_per_class} labelled texts"
            " of each class (negative, positive) to learn from",
        )
    judged = {
        language: macro_f1
        for language, _, is_fallback, _, macro_f1, _ in rows
        if language == ALL_LANGUAGES or not is_fallback
    }
    failing = {
        language: macro_f1
        for language, macro_f1 in judged.items()
        if macro_f1 is None or macro_f1 < settings.min_macro_f1
    }
    fallback = sorted(language for language, _, is_fallback, *_ in rows if is_fallback)
    metadata: dict[str, object] = {
        "min_macro_f1": settings.min_macro_f1,
        "macro_f1": {language: macro_f1 for language, _, _, _, macro_f1, _ in rows},
        "labelled_texts": {language: labelled for language, _, _, labelled, _, _ in rows},
        "fallback_languages": fallback,
    }
    if failing:
        listed = ", ".join(f"{language} {value}" for language, value in sorted(failing.items()))
        return Verdict(
            False, f"cross-validated macro-F1 below {settings.min_macro_f1}: {listed}", metadata
        )
    return Verdict(
        True,
        f"{len(judged)} models at or above macro-F1 {settings.min_macro_f1}"
        + (f"; {len(fallback)} languages scored by the multilingual model" if fallback else ""),
        metadata,
    )


def undetermined_share_verdict(warehouse: Path, settings: TextSettings) -> Verdict:
    with connect(warehouse, read_only=True) as conn:
        if not table_exists(conn, "analytics", "text_scoring_runs"):
            return Verdict(False, "the text scorer has not run")
        latest = conn.execute(_sql("latest_run.sql")).fetchone()
        if latest is None:
            return Verdict(False, "the text scorer has not run")
        run_id, scored, undetermined, _ = latest
        if scored < settings.und_check_min_texts:
            return Verdict(
                True,
                f"{scored} texts scored in the latest run, fewer than"
                f" {settings.und_check_min_texts}: not judged",
                {"texts_scored": scored, "undetermined": undetermined},
            )
        previous = conn.execute(
            _sql("previous_judged_run.sql"),
            {"run_id": run_id, "min_texts": settings.und_check_min_texts},
        ).fetchone()
    share = undetermined / scored
    metadata: dict[str, object] = {
        "texts_scored": scored,
        "undetermined": undetermined,
        "undetermined_share": round(share, 4),
        "max_rise": settings.und_share_max_rise,
    }
    if previous is None:
        return Verdict(True, f"undetermined share {share:.1%}; no earlier run to compare", metadata)
    before = previous[2] / previous[1]
    metadata["previous_undetermined_share"] = round(before, 4)
    rise = share - before
    if rise > settings.und_share_max_rise:
        return Verdict(
            False,
            f"undetermined share rose from {before:.1%} to {share:.1%} of the texts scored,"
            f" more than {settings.und_share_max_rise:.0%} points",
            metadata,
        )
    return Verdict(True, f"undetermined share {share:.1%} (previous run {before:.1%})", metadata)
