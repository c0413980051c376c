"""Language, sentiment and themes of every feedback text, scored between dbt models.

The scorer reads the dbt model int_feedback_texts and writes the analytics tables that
the dbt staging models of the text marts read as sources, so Dagster runs the dbt
project in two steps around it (it splits the dbt assets at the Python asset).
"""

from collections.abc import Iterator

import dagster as dg

from analytics.text.scoring import DBT_SOURCE_TABLES, TEXT_SCHEMA, score_warehouse
from analytics.text.settings import text_settings
from ingestion import settings
from orchestration.defs.quality.guard import refuse_unresolved_failures
from orchestration.freshness import DAILY_FRESHNESS
from orchestration.project import DUCKDB_WRITER_POOL

TEXT_INPUT_KEY = dg.AssetKey(["intermediate", "int_feedback_texts"])
# The tables dbt reads as the `analytics` source (models/staging/analytics).
TEXT_SCORES_KEY, TEXT_THEME_MENTIONS_KEY, TEXT_MODEL_CARD_KEY, TEXT_PHRASES_KEY = (
    dg.AssetKey([TEXT_SCHEMA, table]) for table in DBT_SOURCE_TABLES
)
DESCRIPTIONS = {
    TEXT_SCORES_KEY: "Each text's language (vendor's, else detected), sentiment and themes.",
    TEXT_THEME_MENTIONS_KEY: "One row per text and theme it mentions.",
    TEXT_MODEL_CARD_KEY: "Each fitted sentiment model's cross-validated quality per language.",
    TEXT_PHRASES_KEY: "Frequent phrases no theme covers, per language.",
}


@dg.multi_asset(
    name="text_scores",
    specs=[
        dg.AssetSpec(
            key,
            deps=[TEXT_INPUT_KEY],
            description=description,
            group_name="text",
            kinds={"python", "duckdb"},
            freshness_policy=DAILY_FRESHNESS,
        )
        for key, description in DESCRIPTIONS.items()
    ],
    pool=DUCKDB_WRITER_POOL,
)
def text_scores(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Score the texts not yet scored with the current sentiment model and theme
    dictionary (all of them after either changes), refitting the model when enough new
    labelled text has arrived (analytics/text/scoring.py)."""
    refuse_unresolved_failures(context, [TEXT_INPUT_KEY])
    result = score_warehouse(settings.warehouse_path(), text_settings(), run_id=context.run.run_id)
    context.log.info(
        f"text_scores: {result.texts_scored} of {result.input_texts} texts scored,"
        f" {result.languages_detected} languages detected, model {result.model_version}"
        f"{' (refitted)' if result.refitted else ''}, {result.seconds:.1f} s"
    )
    shared: dict[str, dg.RawMetadataValue] = {
        "model_version": result.model_version,
        "dictionary_version": result.dictionary_version,
        "refitted": result.refitted,
        "duration_seconds": round(result.seconds, 3),
    }
    yield dg.MaterializeResult(
        asset_key=TEXT_SCORES_KEY,
        metadata={
            **shared,
            "input_texts": result.input_texts,
            "texts_scored": result.texts_scored,
            "languages_detected": result.languages_detected,
            "undetermined_scored": result.undetermined_scored,
            "texts_per_second": round(result.texts_per_second or 0.0, 1),
        },
    )
    for key in (TEXT_THEME_MENTIONS_KEY, TEXT_MODEL_CARD_KEY, TEXT_PHRASES_KEY):
        yield dg.MaterializeResult(asset_key=key, metadata=shared)
