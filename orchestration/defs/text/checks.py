"""Checks on the text scorer: the sentiment model's quality and the undetermined languages.

Neither blocks: a weak model in one language, or a feed of texts in a language not
configured, should be seen and fixed, not stop the NPS marts and the published copy.
The verdicts are computed in analytics/text/checks.py.
"""

import dagster as dg

from analytics.text.checks import Verdict, sentiment_model_verdict, undetermined_share_verdict
from analytics.text.settings import text_settings
from ingestion import settings
from orchestration.defs.text.assets import TEXT_MODEL_CARD_KEY, TEXT_SCORES_KEY
from orchestration.project import DUCKDB_WRITER_POOL


def _result(verdict: Verdict, severity: dg.AssetCheckSeverity) -> dg.AssetCheckResult:
    metadata = {
        key: dg.MetadataValue.json(value) if isinstance(value, dict | list) else value
        for key, value in verdict.metadata.items()
    }
    return dg.AssetCheckResult(
        passed=verdict.passed,
        severity=severity,
        description=verdict.description,
        metadata=metadata,  # type: ignore[arg-type]
    )


@dg.asset_check(
    asset=TEXT_MODEL_CARD_KEY,
    name="sentiment_macro_f1",
    blocking=False,
    pool=DUCKDB_WRITER_POOL,
    description=(
        "Every sentiment model in use (multilingual, and each language's own) has a"
        " cross-validated macro-F1 of at least PULSE_TEXT_MIN_MACRO_F1 (0.70)."
    ),
)
def sentiment_macro_f1() -> dg.AssetCheckResult:
    verdict = sentiment_model_verdict(settings.warehouse_path(), text_settings())
    return _result(verdict, dg.AssetCheckSeverity.ERROR)


@dg.asset_check(
    asset=TEXT_SCORES_KEY,
    name="undetermined_language_share",
    blocking=False,
    pool=DUCKDB_WRITER_POOL,
    description=(
        "The share of texts whose language could not be determined (und) among those a run"
        " scored rose by at most 10 points over the previous run's."
    ),
)
def undetermined_language_share() -> dg.AssetCheckResult:
    verdict = undetermined_share_verdict(settings.warehouse_path(), text_settings())
    return _result(verdict, dg.AssetCheckSeverity.WARN)
