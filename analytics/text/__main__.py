"""`python -m analytics.text`: score the texts of PULSE_WAREHOUSE once, as `pulse run` does.

For dbt runs by hand: build int_feedback_texts first, then this, then the text marts.
"""

from analytics.text.scoring import score_warehouse
from ingestion.settings import warehouse_path


def main() -> None:
    result = score_warehouse(warehouse_path())
    print(
        f"{result.texts_scored} of {result.input_texts} texts scored"
        f" ({result.languages_detected} languages detected), model {result.model_version}"
        f"{' (refitted)' if result.refitted else ''}, dictionary {result.dictionary_version},"
        f" {result.seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
