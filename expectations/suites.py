"""The expectation suites, declared once and written into this GX file context.

Run `uv run --frozen python expectations/suites.py` after editing a rule: it rewrites the
suite JSON files under `gx/expectations/`, which are the versioned files the pipeline
validates with (see orchestration/lib/quality/gx_runner.py).

Raw suites guard each landed table: schema, required columns, instrument value ranges,
allowed vendors and platforms, time stamps not in the future. Raw keeps text as received,
so ratings, amounts and time stamps are checked as text here and typed in staging. Row
counts against the load ledger are the `reconciled_with_ledger` check, not a suite. A raw
suite reads only the loads it has not passed yet (`meta.batch` is "new_loads"), so a rule
that spans loads, such as a unique order id, names the whole table in its own query.

Mart suites guard what BI tools read: scores within their scale, intervals containing
the point estimate, counts adding up, poll shares summing to 100, small cells never
ranked.

Severity: every expectation carries GX's own `severity`; "critical" fails the check with
ERROR (blocking downstream assets), "warning" fails it with WARN (annotates only). The
suite's `meta.severity` is the default its expectations were written with.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import yaml
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.expectations.metadata_types import FailureSeverity

from ingestion.followup.actions import action_names

CONTEXT_ROOT = Path(__file__).resolve().parent
DBT_PROJECT_FILE = CONTEXT_ROOT.parent / "dbt_project" / "dbt_project.yml"

# ISO-8601 date with optional time, fraction and offset: 2024-03-01, 2024-03-01T10:15:00Z,
# 2024-03-01 10:15:00.123+02:00.
ISO_8601 = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
# Survey exports write local time as staging reads it (macro parse_local_timestamp_any):
# Google Forms M/D/YYYY H:MM[:SS] or YYYY/MM/DD H:MM[:SS], SurveyMonkey MM/DD/YYYY
# HH:MM:SS AM, in the zone the registry names.
US_SLASH = r"^\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?( ?[AaPp][Mm])?)?$"
YMD_SLASH = r"^\d{4}/\d{1,2}/\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$"
VENDOR_TIMESTAMP = f"({ISO_8601})|({US_SLASH})|({YMD_SLASH})"
DECIMAL = r"^-?\d+(\.\d+)?$"
WHOLE_NUMBER = r"^\d+$"
# A scored survey answer as the loader accepts it (ingestion/loaders/survey_scores.py).
SCORED_ANSWER = r"[0-9]{1,9}(\.0+)?"

# The canonical statuses every order load writes (ingestion/sql/order_macros.sql).
ORDER_STATUSES = ["completed", "refunded", "cancelled", "pending"]
INSTRUMENTS = ["nps", "csat", "ces", "driver", "intent", "open_text", "category", "attribute"]
LINEAGE_COLUMNS = ["_source", "_file_name", "_file_hash", "_row_number", "_load_id"]
# Vendors' clocks and time zones drift a little; more than a day ahead is a wrong stamp.
FUTURE_TOLERANCE = "interval 1 day"

ERROR = FailureSeverity.CRITICAL
WARNING = FailureSeverity.WARNING

Build = Callable[[], list[gxe.Expectation]]


def small_sample_min() -> int:
    """The dbt var below which a cell is flagged and never ranked (METRICS.md)."""
    document = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))
    return int(document["vars"]["small_sample_min"])


def _columns_exist(*columns: str) -> gxe.Expectation:
    return gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=False)


def _unique_together(*columns: str) -> gxe.Expectation:
    """No two rows share these columns' values. One grouped pass: GX's compound-unique
    expectation joins the grouped counts back to every row, several times, which on the
    16.6M survey answers of the benchmark took most of the raw suites' time."""
    listed = ", ".join(columns)
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=(
            f"select {listed}, count(*) as copies from {{batch}} "
            f"group by {listed} having count(*) > 1"
        ),
        description=f"one row per ({listed})",
    )


def _lineage() -> list[gxe.Expectation]:
    """Every raw row names the file and load it came from, typed as the raw schema says."""
    return [
        *(gxe.ExpectColumnValuesToNotBeNull(column=column) for column in LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToBeOfType(column="_row_number", type_="BIGINT"),
    ]


def _not_in_future(*columns: str) -> gxe.Expectation:
    # The two forms VENDOR_TIMESTAMP accepts, parsed as staging parses them.
    conditions = " or ".join(
        f"coalesce(try_cast({column} as timestamptz),"
        f" try_strptime({column}, '%m/%d/%Y %H:%M:%S')) > now() + {FUTURE_TOLERANCE}"
        for column in columns
    )
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=(
            f"select _file_name, _row_number, {', '.join(columns)} from {{batch}} "
            f"where {conditions}"
        ),
        description=f"{', '.join(columns)} not in the future",
    )


def _known_source(column: str, family: str) -> gxe.Expectation:
    """The value names a feedback source of the family that the vendor registry knows:
    raw.feedback_sources, which every load rewrites from the registry, is the one list."""
    return gxe.UnexpectedRowsExpectation(
        unexpected_rows_query=(
            f"select _file_name, _row_number, {column} from {{batch}} "
            f"where lower({column}) not in (select source from raw.feedback_sources "
            f"where family = '{family}')"
        ),
        description=f"{column} is a {family} source the vendor registry knows",
    )


def _raw_reviews() -> list[gxe.Expectation]:
    return [
        _columns_exist("review_id", "platform", "rating", "created_at", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToBeOfType(column="rating", type_="String"),
        gxe.ExpectColumnValuesToNotBeNull(column="review_id"),
        # A platform's review id is unique within one export file; the same review may
        # legitimately reappear in a later export, so uniqueness is per file.
        _unique_together("_file_name", "review_id"),
        _known_source("platform", "reviews"),
        # Vendor modules type ratings when they map them (Yelp's `3.0` is 3), so anything
        # but a whole number on the platform's own scale is a bad value, not a format.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select _file_name, _row_number, platform, rating from {batch} "
                "where not exists (select 1 from raw.feedback_sources as sources "
                "where sources.source = lower(platform) "
                "and regexp_full_match(trim(rating), '[0-9]+') "
                "and cast(trim(rating) as integer) between sources.scale_min and sources.scale_max)"
                " and lower(platform) in (select source from raw.feedback_sources)"
            ),
            description="rating a whole number on its platform's star scale",
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="created_at", regex=ISO_8601),
        _not_in_future("created_at"),
        *_lineage(),
    ]


def _raw_orders() -> list[gxe.Expectation]:
    return [
        _columns_exist("order_id", "customer_id", "ordered_at", "net_amount", "status"),
        gxe.ExpectColumnValuesToNotBeNull(column="order_id"),
        # An order id is unique within one export; a later export may deliver the order
        # again (updated, or in an overlapping window), and staging keeps the latest.
        _unique_together("_file_name", "order_id"),
        # Across loads, a re-delivered order is worth knowing about, not an error: the
        # rule reads the whole table, not just the loads being validated.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select order_id, count(*) as copies from raw.orders "
                "where order_id in (select order_id from {batch}) "
                "group by order_id having count(distinct _file_name) > 1"
            ),
            description="an order delivered by more than one file (the latest load wins)",
            severity=WARNING,
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="customer_id"),
        gxe.ExpectColumnValuesToMatchRegex(column="net_amount", regex=DECIMAL),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=ORDER_STATUSES),
        gxe.ExpectColumnValuesToMatchRegex(column="ordered_at", regex=ISO_8601),
        _not_in_future("ordered_at"),
        # A shop may sell at a loss, but a single order above a million is a unit error.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select _file_name, _row_number, net_amount from {batch} "
                "where abs(try_cast(net_amount as double)) >= 1000000"
            ),
            description="net_amount below one million",
            severity=WARNING,
        ),
        *_lineage(),
    ]


def _raw_customers() -> list[gxe.Expectation]:
    return [
        _columns_exist("customer_id", "email_hash", "signed_up_at", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="customer_id"),
        _unique_together("_file_name", "customer_id"),
        gxe.ExpectColumnValuesToMatchRegex(column="signed_up_at", regex=ISO_8601),
        gxe.ExpectColumnValuesToMatchRegex(column="birth_date", regex=ISO_8601),
        _not_in_future("signed_up_at", "birth_date"),
        *_lineage(),
    ]


def _raw_survey_responses() -> list[gxe.Expectation]:
    return [
        _columns_exist("survey_id", "response_id", "submitted_at", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="response_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="survey_id"),
        _known_source("_source", "surveys"),
        gxe.ExpectColumnValuesToMatchRegex(column="submitted_at", regex=VENDOR_TIMESTAMP),
        _not_in_future("started_at", "submitted_at"),
        # Vendors report progress as a percentage.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select _file_name, _row_number, progress from {batch} "
                "where try_cast(progress as double) not between 0 and 100"
            ),
            description="progress within 0..100",
        ),
        *_lineage(),
    ]


def _raw_survey_answers() -> list[gxe.Expectation]:
    """One row per response of a load, its items and answers as parallel lists (a wide
    export's blank cell as a null answer); the per-answer checks read them unnested, as
    staging does."""
    return [
        _columns_exist("survey_id", "response_id", "item_ids", "answers", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="response_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="item_ids"),
        gxe.ExpectColumnValuesToNotBeNull(column="answers"),
        _unique_together("_load_id", "survey_id", "response_id"),
        # Staging zips the two lists: a missing answer would shift or pad every later one.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select _file_name, _row_number, response_id, len(item_ids) as items, "
                "len(answers) as answers from {batch} where len(item_ids) <> len(answers)"
            ),
            description="item_ids and answers of the same length",
        ),
        # list_distinct drops nulls, so a null or repeated item id shortens the list. A
        # file's responses share one or two id lists: each distinct list (grouped by its
        # hash) is checked once, not once per response (0.25 s against 0.9 s on 1M rows).
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "with id_lists as (select hash(item_ids) as list_hash, any_value(item_ids)"
                " as ids from {batch} group by list_hash), "
                "faulty as (select list_hash from id_lists"
                " where len(list_distinct(ids)) <> len(ids)) "
                "select _file_name, _row_number, response_id, item_ids from {batch} "
                "where hash(item_ids) in (select list_hash from faulty)"
            ),
            description="item ids not null and unique within a response",
        ),
        # Scored answers typed at the gate: an answer to a registered scored item is a
        # whole number on the item's scale (the loader quarantines any other, so one
        # here holds its load: an NPS of 9.5 or 1e1 would count, an `abc` drop out of n).
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select answers._file_name, answers._row_number, answers.item_id, "
                "answers.answer, registry.instrument, registry.scale_min, registry.scale_max "
                "from (select survey_id, _file_name, _row_number, unnest(item_ids) as item_id, "
                "unnest(answers) as answer from {batch}) as answers "
                "join raw.survey_registry as registry "
                "on registry.survey_id = answers.survey_id "
                "and registry.item_id = answers.item_id "
                "where registry.instrument in ('nps', 'csat', 'ces', 'driver', 'intent') "
                "and trim(coalesce(answers.answer, '')) <> '' "
                # GX reads braces as placeholders: the pattern's {1,9} is doubled. try_cast:
                # DuckDB may cast on rows the pattern already refused ('abc').
                "and not (regexp_full_match(trim(answers.answer), "
                f"'{SCORED_ANSWER.replace('{', '{{').replace('}', '}}')}') "
                "and coalesce(try_cast(regexp_extract(trim(answers.answer), '^[0-9]+') as bigint) "
                "between registry.scale_min and registry.scale_max, false))"
            ),
            description="scored answers whole numbers on their item's scale",
        ),
        *_lineage(),
    ]


def _raw_survey_questions() -> list[gxe.Expectation]:
    return [
        _columns_exist("survey_id", "item_id", "item_position", "question_text"),
        gxe.ExpectColumnValuesToNotBeNull(column="survey_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="item_id"),
        _unique_together("_load_id", "survey_id", "item_id"),
        gxe.ExpectColumnValuesToBeOfType(column="item_position", type_="INTEGER"),
    ]


def _raw_survey_registry() -> list[gxe.Expectation]:
    return [
        _columns_exist("survey_id", "item_id", "instrument", "scale_min", "scale_max"),
        _unique_together("survey_id", "item_id"),
        gxe.ExpectColumnValuesToBeInSet(column="instrument", value_set=INSTRUMENTS),
        gxe.ExpectColumnValuesToBeInSet(
            column="direction", value_set=["higher_is_better", "lower_is_better"]
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="scale_max", column_B="scale_min", ignore_row_if="either_value_is_missing"
        ),
    ]


def _raw_poll_options() -> list[gxe.Expectation]:
    return [
        _columns_exist("poll_id", "platform", "option_label", "votes", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="poll_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="option_label"),
        gxe.ExpectColumnValuesToMatchRegex(column="votes", regex=WHOLE_NUMBER),
        _known_source("platform", "polls"),
        gxe.ExpectColumnValuesToMatchRegex(column="started_at", regex=ISO_8601),
        _not_in_future("started_at"),
        *_lineage(),
    ]


def _sql_list(values: list[str]) -> str:
    """Literals of a fixed vocabulary (a dbt seed of this project), quoted for SQL."""
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def _raw_case_actions() -> list[gxe.Expectation]:
    """Actions on follow-up cases. The loader quarantines rows it cannot apply (unknown
    case or action, unreadable time); these guard what it let through."""
    return [
        _columns_exist("case_id", "action", "actor", "acted_at", "note", *LINEAGE_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="case_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="acted_at"),
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select _file_name, _row_number, action from {batch} "
                f"where lower(trim(action)) not in ({_sql_list(action_names())})"
            ),
            description="action in dbt_project/seeds/case_action_types.csv",
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="acted_at", regex=ISO_8601),
        _not_in_future("acted_at"),
        *_lineage(),
    ]


def _score_cells(metric: str, low: int, high: int) -> list[gxe.Expectation]:
    """Expectations every metric-by-period-and-segment mart shares."""
    minimum = small_sample_min()
    return [
        _columns_exist(
            "metric_row_id",
            "period_grain",
            "period_start",
            "segment_type",
            "segment_value",
            "n",
            metric,
            f"{metric}_ci_lower",
            f"{metric}_ci_upper",
            "is_small_sample",
            "is_change_significant",
        ),
        gxe.ExpectColumnValuesToBeUnique(column="metric_row_id"),
        gxe.ExpectColumnValuesToBeBetween(column=metric, min_value=low, max_value=high),
        gxe.ExpectColumnValuesToBeBetween(column="n", min_value=1),
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                f"select metric_row_id, {metric}_ci_lower, {metric}, {metric}_ci_upper "
                f"from {{batch}} where {metric} < {metric}_ci_lower "
                f"or {metric} > {metric}_ci_upper"
            ),
            description=f"the 95% interval contains {metric}",
        ),
        # Cells under the minimum are flagged and never ranked as a significant change.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select metric_row_id, n, is_small_sample, is_change_significant from {batch} "
                f"where (n < {minimum}) <> is_small_sample "
                "or (is_small_sample and is_change_significant)"
            ),
            description=f"cells with n below {minimum} flagged small and never ranked",
        ),
        # A distribution check: the all-time overall cell should not itself be small.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select metric_row_id, n from {batch} where period_grain = 'all_time' "
                "and segment_type = 'overall' and is_small_sample"
            ),
            description=f"at least {minimum} responses overall",
            severity=WARNING,
        ),
    ]


def _metrics_nps() -> list[gxe.Expectation]:
    return [
        *_score_cells("nps", -100, 100),
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select metric_row_id, n, promoters, passives, detractors from {batch} "
                "where promoters + passives + detractors <> n"
            ),
            description="promoters, passives and detractors add up to n",
        ),
    ]


def _metrics_csat() -> list[gxe.Expectation]:
    return [
        *_score_cells("csat", 0, 100),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="n", column_B="top_box_count", or_equal=True
        ),
    ]


def _metrics_ces() -> list[gxe.Expectation]:
    return [
        *_score_cells("ces", 1, 7),
        gxe.ExpectColumnValuesToBeBetween(column="ces_agree_share", min_value=0, max_value=100),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="n", column_B="agree_count", or_equal=True
        ),
    ]


def _metrics_review_ratings() -> list[gxe.Expectation]:
    return [
        _columns_exist("platform", "n", "average_rating"),
        gxe.ExpectColumnValuesToBeBetween(column="average_rating", min_value=1, max_value=5),
        gxe.ExpectColumnValuesToBeBetween(column="n", min_value=1),
    ]


def _fct_poll_results() -> list[gxe.Expectation]:
    return [
        _columns_exist("platform_poll_id", "option_label", "votes", "vote_share"),
        gxe.ExpectColumnValuesToBeBetween(column="vote_share", min_value=0, max_value=100),
        # Shares are rounded per option, so a poll's total may miss 100 by a little.
        gxe.UnexpectedRowsExpectation(
            unexpected_rows_query=(
                "select platform_poll_id, sum(vote_share) as total_share from {batch}"
                " group by platform_poll_id"
                " having sum(votes) > 0 and abs(sum(vote_share) - 100) > 0.5"
            ),
            description="option shares sum to 100 per poll, within rounding",
        ),
    ]


# suite name -> (table it validates, its expectations); each suite runs as the asset check
# gx_<suite> on the asset keyed by its table.
RAW_SUITES: dict[str, tuple[str, Build]] = {
    "raw_reviews": ("raw.reviews", _raw_reviews),
    "raw_orders": ("raw.orders", _raw_orders),
    "raw_customers": ("raw.customers", _raw_customers),
    "raw_survey_responses": ("raw.survey_responses", _raw_survey_responses),
    "raw_survey_answers": ("raw.survey_answers", _raw_survey_answers),
    "raw_survey_questions": ("raw.survey_questions", _raw_survey_questions),
    "raw_survey_registry": ("raw.survey_registry", _raw_survey_registry),
    "raw_poll_options": ("raw.poll_options", _raw_poll_options),
    "raw_case_actions": ("raw.case_actions", _raw_case_actions),
}
MART_SUITES: dict[str, tuple[str, Build]] = {
    "metrics_nps": ("marts.metrics_nps", _metrics_nps),
    "metrics_csat": ("marts.metrics_csat", _metrics_csat),
    "metrics_ces": ("marts.metrics_ces", _metrics_ces),
    "metrics_review_ratings": ("marts.metrics_review_ratings", _metrics_review_ratings),
    "fct_poll_results": ("marts.fct_poll_results", _fct_poll_results),
}
SUITES = {**RAW_SUITES, **MART_SUITES}
# Raw suites whose table is append-only by `_load_id` validate only the loads they have not
# passed yet (orchestration/lib/quality/validated_loads.py); the registry is replaced
# whole on every load and the marts are rebuilt, so those validate the whole table.
WHOLE_TABLE_SUITES = {"raw_survey_registry", *MART_SUITES}


def build_suite(name: str) -> gx.ExpectationSuite:
    table, build = SUITES[name]
    stage = table.split(".", 1)[0]
    suite = gx.ExpectationSuite(
        name=name,
        meta={
            "table": table,
            "stage": stage,
            "severity": ERROR.value,
            "batch": "whole_table" if name in WHOLE_TABLE_SUITES else "new_loads",
        },
    )
    for expectation in build():
        suite.add_expectation(expectation)
    return suite


def write_suites(context_root: Path = CONTEXT_ROOT) -> list[Path]:
    """Write every suite into the file context at `context_root`; returns the JSON files."""
    context = gx.get_context(mode="file", project_root_dir=context_root)
    context.variables.config.analytics_enabled = False
    context.variables.config.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    written = []
    for name in SUITES:
        context.suites.add_or_update(build_suite(name))
        written.append(context_root / "gx" / "expectations" / f"{name}.json")
    return written


if __name__ == "__main__":
    for path in write_suites():
        print(path.relative_to(CONTEXT_ROOT))
