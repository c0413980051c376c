"""Run the Great Expectations suites in `expectations/` against the DuckDB warehouse.

Validation happens in DuckDB: GX compiles each expectation into SQL aggregates and only
the counts and a few unexpected examples come back, so a table of millions of rows is
never pulled into Python.

GX 1.x does not work on DuckDB through duckdb-engine out of the box; three incompatibilities
make every expectation fail with an exception that looks like a data problem. They are
fixed by a small SQLAlchemy dialect, `_DuckDBForGX`, registered as `duckdb+gx_readonly`:

1. Results lost after the connection closes. GX runs a metric query inside
   `with engine.connect()` and calls `fetchall()` after the block. duckdb-engine executes
   on the DuckDB connection itself (its cursor is not a separate result set), and
   SQLAlchemy ends the autobegun transaction with ROLLBACK when the connection closes; the
   ROLLBACK replaces the pending result, so GX reads zero rows ("list index out of range").
   The dialect buffers each result when the statement runs (results here are aggregates
   or a handful of example rows).
2. Column reflection fails. SQLAlchemy's PostgreSQL reflection, which duckdb-engine
   inherits, reads `pg_catalog.pg_collation` (SQLAlchemy >= 2.0.4x), which DuckDB lacks;
   GX's fallback then queries the table without its schema. The dialect reflects columns
   from DuckDB's `information_schema` instead.
3. Regex expectations are refused. GX recognises PostgreSQL by subclassing
   `sqlalchemy.dialects.postgresql.dialect`, which is psycopg (3) since SQLAlchemy 2.1
   while duckdb-engine subclasses psycopg2, so GX reports "Regex is not supported". The
   dialect declares itself PostgreSQL-like for that check and compiles the PostgreSQL
   regex operators `~` / `!~` to DuckDB's `regexp_matches`, which searches like
   PostgreSQL's `~` (DuckDB's own `~` is a full match).

One more adaptation is for speed, not correctness: GX answers a SQL-rule expectation
(`UnexpectedRowsExpectation`) from two metrics, the rule's row count and its first 200
rows, each a query of its own, so every rule ran twice over the rows it validates (on the
benchmark's 12M survey answers, the scored-answer rule's two passes were two thirds of the
raw gates). `_register_single_pass_rules` replaces both metrics' SQL implementations: the
rule is counted once per batch, and its first rows are fetched only when it has any.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingestion.settings import EXPECTATIONS_DIR
from orchestration.lib.quality.validated_loads import (
    HeldLoad,
    LoadScope,
    pending_loads,
    record_reaudit,
    record_verdicts,
    still_held,
    suite_fingerprint,
)

logger = logging.getLogger(__name__)

SUITES_DIR = EXPECTATIONS_DIR / "gx" / "expectations"
DIALECT_DRIVER = "gx_readonly"
DATASOURCE_NAME = "warehouse"
# Unexpected examples reported per failed expectation.
EXAMPLES_PER_FAILURE = 5
ERROR = "error"
WARNING = "warning"
# Expectations GX answers from the table's schema rather than its rows.
SCHEMA_EXPECTATIONS = {"expect_column_values_to_be_of_type", "expect_table_columns_to_match_set"}
# GX's own failure severities; "info" annotates like a warning.
SEVERITY_BY_GX_SEVERITY = {"critical": ERROR, "warning": WARNING, "info": WARNING}


@dataclass(frozen=True)
class SuiteOutcome:
    suite_name: str
    table: str
    success: bool  # every expectation passed
    errored: bool  # the validator itself raised (engine error, missing table, ...)
    error: str | None  # the exception text when errored
    evaluated: int  # expectations evaluated
    failed: list[dict] = field(default_factory=list)  # one per failed expectation
    elapsed_seconds: float = 0.0
    loads_validated: int | None = None  # loads read; None when the whole table was read
    held: list[HeldLoad] = field(default_factory=list)  # loads held back from staging

    @property
    def blocking_failures(self) -> list[dict]:
        """Failed expectations of error severity: they stop downstream assets."""
        return [failure for failure in self.failed if failure.get("severity", ERROR) == ERROR]

    @property
    def warnings(self) -> list[dict]:
        return [failure for failure in self.failed if failure.get("severity") == WARNING]


def available_suites() -> dict[str, str]:
    """Suite name -> the schema-qualified table it validates, read from the suite files."""
    suites = {}
    for path in sorted(SUITES_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        suites[document["name"]] = document["meta"]["table"]
    return suites


def run_suite(
    warehouse_path: Path, suite_name: str, *, new_loads_only: bool = True
) -> SuiteOutcome:
    """Validate one suite against the warehouse, opened read-only.

    A suite whose `meta.batch` is "new_loads" reads only the loads it has not passed yet,
    and once it passes or only warns, records them in a short write after the read-only
    handles are closed (validated_loads.py). `new_loads_only=False` validates every row
    again and records nothing.
    """
    started = time.perf_counter()
    table = available_suites().get(suite_name, "")
    try:
        if not table:
            raise KeyError(f"no suite named {suite_name!r} in {SUITES_DIR}")
        if not Path(warehouse_path).is_file():
            raise FileNotFoundError(f"warehouse {warehouse_path} does not exist")
        scope = _load_scope(Path(warehouse_path), suite_name, table) if new_loads_only else None
        if scope is not None and scope.nothing_new:
            if scope.unaudited:  # publish what an earlier verdict left waiting
                record_verdicts(Path(warehouse_path), scope, [], [], audit_requirements())
            outcome = SuiteOutcome(
                suite_name=suite_name,
                table=table,
                success=True,
                errored=False,
                error=None,
                evaluated=0,
                loads_validated=0,
            )
        else:
            batch_query = scope.batch_query() if scope is not None else None
            outcome = _validated_outcome(Path(warehouse_path), suite_name, table, batch_query)
            if scope is not None and not outcome.errored:
                outcome = _audit_loads(Path(warehouse_path), scope, outcome)
        if scope is not None:
            outcome = _with_loads_still_held(Path(warehouse_path), outcome)
    except Exception as error:
        return SuiteOutcome(
            suite_name=suite_name,
            table=table,
            success=False,
            errored=True,
            error=f"{type(error).__name__}: {error}",
            evaluated=0,
            failed=[],
            elapsed_seconds=time.perf_counter() - started,
        )
    return replace(outcome, elapsed_seconds=time.perf_counter() - started)


def _with_loads_still_held(warehouse_path: Path, outcome: SuiteOutcome) -> SuiteOutcome:
    """Held loads keep the check warning, run after run, until released or dropped."""
    known = {load.load_id for load in outcome.held}
    earlier = [
        load for load in still_held(warehouse_path, outcome.suite_name) if load.load_id not in known
    ]
    if not earlier:
        return outcome
    return replace(outcome, success=False, held=[*outcome.held, *earlier])


def _validated_outcome(
    warehouse_path: Path,
    suite_name: str,
    table: str,
    batch_query: str | None,
    only: set[str] | None = None,
) -> SuiteOutcome:
    result = _validate(warehouse_path, suite_name, table, batch_query, only)
    outcome = _outcome_from_result(suite_name, table, result, 0.0)
    return _with_unexpected_row_examples(warehouse_path, table, outcome, batch_query)


def _audit_loads(warehouse_path: Path, scope: LoadScope, outcome: SuiteOutcome) -> SuiteOutcome:
    """Pass the scope's loads, or find which ones a blocking failure belongs to and hold
    those, so that the others go on. A failure of the table as a whole (a missing column)
    concerns every load: it stays a blocking failure and nothing is recorded."""
    outcome = replace(outcome, loads_validated=len(scope.pending))
    blocking = outcome.blocking_failures
    if any(failure["type"] in SCHEMA_EXPECTATIONS for failure in blocking):
        return outcome
    if not blocking:
        record_verdicts(warehouse_path, scope, scope.pending, [], audit_requirements())
        return outcome
    held_failures = _failures_by_load(warehouse_path, scope, outcome)
    if not held_failures:
        # Only the loads together break a rule (a key repeated across two new loads):
        # no load is to blame alone, so the failure stays the suite's and blocks.
        return outcome
    held = _held_loads(warehouse_path, scope.suite_name, held_failures)
    passed = [load for load in scope.pending if load not in held_failures]
    record_verdicts(warehouse_path, scope, passed, held, audit_requirements())
    # What the held loads fail is theirs now: the suite itself only warns.
    unheld = [failure for failure in outcome.failed if failure not in blocking]
    return replace(outcome, failed=unheld, success=not unheld and not held, held=held)


def _failures_by_load(
    warehouse_path: Path, scope: LoadScope, outcome: SuiteOutcome
) -> dict[str, list[dict]]:
    """Load id -> its blocking failures; each load is validated on its own against the
    expectations that failed (a run with several new loads and a failure only)."""
    if len(scope.pending) == 1:
        return {scope.pending[0]: outcome.blocking_failures}
    failed = {failure["signature"] for failure in outcome.blocking_failures}
    found: dict[str, list[dict]] = {}
    for load in scope.pending:
        single = _validated_outcome(
            warehouse_path, scope.suite_name, scope.table, scope.load_query(load), only=failed
        )
        if single.errored:
            raise RuntimeError(
                f"suite {scope.suite_name} could not run on load {load}: {single.error}"
            )
        if single.blocking_failures:
            found[load] = single.blocking_failures
    return found


def _held_loads(
    warehouse_path: Path, suite_name: str, failures: dict[str, list[dict]]
) -> list[HeldLoad]:
    """The held loads with the file (or API window) and source they came from."""
    import duckdb

    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        known = dict(
            (row[0], (row[1], row[2]))
            for row in connection.execute(
                "select load_id, file_name, source from raw.load_ledger"
                " union all select window_id, window_id, vendor from raw.api_windows"
            ).fetchall()
        )
    return [
        HeldLoad(
            load_id=load,
            file_name=known.get(load, (None, None))[0],
            source=known.get(load, (None, None))[1],
            failures=tuple(
                {
                    "suite": suite_name,
                    "type": failure["type"],
                    "column": failure.get("column"),
                    "description": failure.get("description"),
                    "unexpected_count": failure.get("unexpected_count"),
                    "observed_value": failure.get("observed_value"),
                    "unexpected_examples": list(failure.get("unexpected_examples") or [])[:5],
                    "summary": failure.get("summary"),
                }
                for failure in load_failures
            ),
        )
        for load, load_failures in sorted(failures.items())
    ]


def audit_new_loads(warehouse_path: Path) -> list[SuiteOutcome]:
    """Run every load-scoped raw suite, as a pipeline run's checks do, outside Dagster:
    loads that pass are published to staging, loads that fail are held."""
    return [run_suite(warehouse_path, suite) for _, suite, _ in audit_requirements()]


@dataclass(frozen=True)
class Reaudit:
    """The verdict on one load audited again."""

    load_id: str
    status: str  # published | held
    held: HeldLoad | None


def audit_load(warehouse_path: Path, load_id: str) -> Reaudit:
    """Validate one load against every suite of every table it wrote, whatever they said
    before, record the verdicts, and publish it when all pass (`pulse release`)."""
    import duckdb

    requirements = audit_requirements()
    tables = sorted({table for table, _, _ in requirements})
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        holding = [
            table
            for table in tables
            if connection.execute(
                f'select count(*) from "{table.split(".")[0]}"."{table.split(".")[1]}"'
                " where _load_id = ?",
                [load_id],
            ).fetchone()
            != (0,)
        ]
    if not holding:
        raise KeyError(f"no raw table holds rows of load {load_id}")
    passes: list[tuple[str, str]] = []
    for table, suite, fingerprint in requirements:
        if table not in holding:
            continue
        query = LoadScope(suite, fingerprint, table, (load_id,), False).load_query(load_id)
        outcome = _validated_outcome(warehouse_path, suite, table, query)
        if outcome.errored:
            raise RuntimeError(f"suite {suite} could not run on load {load_id}: {outcome.error}")
        if outcome.blocking_failures:
            [held] = _held_loads(warehouse_path, suite, {load_id: outcome.blocking_failures})
            status = record_reaudit(warehouse_path, load_id, passes, (suite, held), requirements)
            return Reaudit(load_id, status, held)
        passes.append((suite, fingerprint))
    status = record_reaudit(warehouse_path, load_id, passes, None, requirements)
    return Reaudit(load_id, status, None)


def expectation_signature(expectation_type: str, kwargs: dict) -> str:
    """What an expectation checks, to find it again in its suite: GX draws new ids each
    time a suite is built."""
    checked = {key: value for key, value in kwargs.items() if key != "batch_id"}
    return expectation_type + json.dumps(checked, sort_keys=True, default=str)


def audit_requirements() -> list[tuple[str, str, str]]:
    """(table, suite, fingerprint) of every suite that validates loads: a load is published
    once each suite of each table it wrote has passed it."""
    requirements = []
    for path in sorted(SUITES_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["meta"].get("batch") == "new_loads":
            requirements.append(
                (document["meta"]["table"], document["name"], suite_fingerprint(path))
            )
    return requirements


def _load_scope(warehouse_path: Path, suite_name: str, table: str) -> LoadScope | None:
    """The loads to validate, or None when the suite validates its whole table."""
    suite_path = SUITES_DIR / f"{suite_name}.json"
    document = json.loads(suite_path.read_text(encoding="utf-8"))
    if document["meta"].get("batch") != "new_loads":
        return None
    return pending_loads(warehouse_path, suite_name, suite_path, table)


def validation_result(warehouse_path: Path, suite_name: str) -> Any:
    """The GX validation result of one suite (for Data Docs); raises when it cannot run."""
    table = available_suites()[suite_name]
    return _validate(Path(warehouse_path), suite_name, table, batch_query=None, full_result=True)


def _validate(
    warehouse_path: Path,
    suite_name: str,
    table: str,
    batch_query: str | None,
    only: set[str] | None = None,
    full_result: bool = False,
) -> Any:
    """Validate the table, or only the rows of `batch_query` (a select over the table);
    `only` restricts it to the expectations of those ids (and the query's rows).
    `full_result` asks for GX's own result object, counts and examples of every
    expectation (Data Docs); otherwise only the failed ones carry them.

    GX knows no column types for a query, so a scoped run validates the expectations GX
    answers from the schema against the table itself, and the rest against the query.
    """
    import sqlalchemy as sa

    _register_dialect()
    _register_single_pass_rules()
    schema_name, table_name = table.split(".", 1)
    context = _ephemeral_context()
    document = json.loads((SUITES_DIR / f"{suite_name}.json").read_text(encoding="utf-8"))
    url = sa.engine.URL.create(f"duckdb+{DIALECT_DRIVER}", database=str(warehouse_path))
    datasource = context.data_sources.add_sql(
        name=DATASOURCE_NAME,
        connection_string=url.render_as_string(hide_password=False),
        create_temp_table=False,
        kwargs={"connect_args": {"read_only": True}},
    )
    try:
        with warnings.catch_warnings():
            # GX would rather have the schema in the connection, which DuckDB URLs lack.
            warnings.filterwarnings("ignore", message="`schema_name` is deprecated")
            table_asset = datasource.add_table_asset(
                name=table, table_name=table_name, schema_name=schema_name
            )
        if batch_query is None:
            if full_result:
                return _validate_batch(context, _whole_batch(table_asset), document, SUMMARY)
            return _validate_asset(context, table_asset, document)
        on_schema = [e for e in document["expectations"] if e["type"] in SCHEMA_EXPECTATIONS]
        on_rows = [e for e in document["expectations"] if e["type"] not in SCHEMA_EXPECTATIONS]
        query_asset = datasource.add_query_asset(name=f"{table} new loads", query=batch_query)
        if only is not None:
            rows_only = [
                e for e in on_rows if expectation_signature(e["type"], e["kwargs"]) in only
            ]
            return _validate_asset(context, query_asset, _part(document, "rows", rows_only))
        schema_result = _validate_asset(context, table_asset, _part(document, "schema", on_schema))
        rows_result = _validate_asset(context, query_asset, _part(document, "rows", on_rows))
        return _ScopedResult(results=[*schema_result.results, *rows_result.results])
    finally:
        # Release the read-only handles at once: DuckDB lets no writer in while one is
        # open. The datasource and its execution engine each build their own engine.
        _RULE_RESULTS.pop(datasource.get_execution_engine(), None)
        datasource.get_execution_engine().engine.dispose()
        datasource.get_engine().dispose()


@dataclass(frozen=True)
class _ScopedResult:
    """The expectation results of a scoped run, as `_outcome_from_result` reads them."""

    results: list[Any]


def _part(document: dict, part: str, expectations: list[dict]) -> dict:
    """A copy of a suite document holding some of its expectations, under its own name."""
    copy = {key: value for key, value in document.items() if key != "id"}
    return {**copy, "name": f"{document['name']} ({part})", "expectations": expectations}


# Counts and a few unexpected values of each failed expectation.
SUMMARY = {"result_format": "SUMMARY", "partial_unexpected_count": EXAMPLES_PER_FAILURE}


def _validate_asset(context: Any, asset: Any, document: dict) -> _ScopedResult:
    """Validate the asset's rows, then give the failed expectations their counts and
    examples. The first pass asks GX for verdicts only (BOOLEAN_ONLY), which spares the
    query per column expectation that fetches its first unexpected values, a second scan of
    the column (and of its regex) even when nothing is unexpected; the failed expectations
    are validated again with a SUMMARY. Same verdicts; an expectation that raises is an
    error in either pass."""
    batch = _whole_batch(asset)
    verdicts = _validate_batch(context, batch, document, {"result_format": "BOOLEAN_ONLY"})
    failed = {
        _result_signature(result)
        for result in verdicts.results
        if not result.success and not _exception_text(result.exception_info or {})
    }
    if not failed:
        return _ScopedResult(results=list(verdicts.results))
    again = [
        e
        for e in document["expectations"]
        if expectation_signature(e["type"], e["kwargs"]) in failed
    ]
    details = _validate_batch(context, batch, _part(document, "failed", again), SUMMARY)
    detailed = {_result_signature(result): result for result in details.results}
    return _ScopedResult(
        results=[detailed.get(_result_signature(result), result) for result in verdicts.results]
    )


def _whole_batch(asset: Any) -> Any:
    return asset.add_batch_definition_whole_table("whole_table").get_batch()


def _validate_batch(context: Any, batch: Any, document: dict, result_format: dict) -> Any:
    import great_expectations as gx

    suite = context.suites.add(gx.ExpectationSuite(**document))
    return batch.validate(suite, result_format=result_format)


def _result_signature(result: Any) -> str:
    config = result.expectation_config
    return expectation_signature(config.type, dict(config.kwargs))


def _ephemeral_context() -> Any:
    """An in-memory context: no files written, no usage statistics, no progress bars."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _outcome_from_result(
    suite_name: str, table: str, result: Any, elapsed_seconds: float
) -> SuiteOutcome:
    errors = []
    failed = []
    for expectation_result in result.results:
        config = expectation_result.expectation_config
        exception_text = _exception_text(expectation_result.exception_info or {})
        if exception_text:
            errors.append(
                f"{config.type} on {config.kwargs.get('column', table)}: {exception_text}"
            )
        elif not expectation_result.success:
            details = _failure_details(config.type, dict(config.kwargs), expectation_result.result)
            details["signature"] = expectation_signature(config.type, dict(config.kwargs))
            details["severity"] = SEVERITY_BY_GX_SEVERITY.get(str(config.severity.value), ERROR)
            details["description"] = config.description
            failed.append(details)
    return SuiteOutcome(
        suite_name=suite_name,
        table=table,
        success=not errors and not failed,
        errored=bool(errors),
        error="\n".join(errors) or None,
        evaluated=len(result.results),
        failed=failed,
        elapsed_seconds=elapsed_seconds,
    )


def _exception_text(exception_info: dict) -> str | None:
    """The exception message(s) GX recorded, in either of its two shapes."""
    if "raised_exception" in exception_info:
        infos = [exception_info]
    else:  # one entry per metric that could not be computed
        infos = [info for info in exception_info.values() if isinstance(info, dict)]
    messages = [
        str(info.get("exception_message") or "exception without a message")
        for info in infos
        if info.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def _failure_details(expectation_type: str, kwargs: dict, result: dict) -> dict:
    kwargs.pop("batch_id", None)
    columns = kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")]
    column = kwargs.get("column") or ", ".join(name for name in columns if name)
    examples = result.get("partial_unexpected_list") or []
    unexpected_count = result.get("unexpected_count")
    details = {
        "type": expectation_type,
        "column": column or None,
        "kwargs": kwargs,
        "observed_value": result.get("observed_value"),
        "element_count": result.get("element_count"),
        "unexpected_count": unexpected_count,
        "unexpected_percent": result.get("unexpected_percent"),
        "unexpected_examples": examples,
    }
    missing_columns = ((result.get("details") or {}).get("mismatched") or {}).get("missing")
    if missing_columns:
        summary = f"missing columns {', '.join(missing_columns)}"
    elif expectation_type == "unexpected_rows_expectation":
        summary = f"{result.get('observed_value')} rows break the rule"
    elif unexpected_count is not None:
        summary = (
            f"{unexpected_count} of {result.get('element_count')} rows unexpected in "
            f"{column}, e.g. {', '.join(repr(value) for value in examples)}"
        )
    else:
        summary = f"observed {result.get('observed_value')!r} in {column}"
    details["summary"] = summary
    return details


def _with_unexpected_row_examples(
    warehouse_path: Path, table: str, outcome: SuiteOutcome, batch_query: str | None
) -> SuiteOutcome:
    """Add a few offending rows to each failed SQL-rule expectation, whose GX summary only
    counts them; the rule's own query runs again with a limit, read-only."""
    import duckdb

    rules = [
        failure for failure in outcome.failed if failure["type"] == "unexpected_rows_expectation"
    ]
    if not rules:
        return outcome
    schema_name, table_name = table.split(".", 1)
    relation = f"({batch_query}) as batch" if batch_query else f'"{schema_name}"."{table_name}"'
    with duckdb.connect(str(warehouse_path), read_only=True) as connection:
        for failure in rules:
            # The query is the suite's own versioned text; the table name is quoted.
            query = failure["kwargs"]["unexpected_rows_query"].replace("{batch}", relation)
            cursor = connection.execute(
                f"select * from ({query}) as unexpected limit {EXAMPLES_PER_FAILURE}"
            )
            columns = [column[0] for column in cursor.description or []]
            examples = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            failure["unexpected_examples"] = [
                ", ".join(f"{name}={value}" for name, value in example.items())
                for example in examples
            ]
            failure["summary"] = (
                f"{failure['observed_value']} rows break the rule"
                f" ({failure['description'] or 'SQL rule'}), e.g. "
                + "; ".join(failure["unexpected_examples"])
            )
    return outcome


# Execution engine -> {rule query over its batch: (row count, first rows)}; emptied when
# the validation that built the engine ends.
_RULE_RESULTS: weakref.WeakKeyDictionary[Any, dict[str, tuple[int, list[dict]]]] = (
    weakref.WeakKeyDictionary()
)
_single_pass_registered = False


def _register_single_pass_rules() -> None:
    """Make GX run each SQL rule once per batch when it passes: whichever of the two
    metrics asks first counts the rule's rows, and only a rule with rows to show runs again
    for the first of them (GX keeps at most 200). Safe to call more than once; the same
    rows, count and verdict as GX's own two queries."""
    from great_expectations.constants import MAX_RESULT_RECORDS
    from great_expectations.core.metric_domain_types import MetricDomainTypes
    from great_expectations.execution_engine import SqlAlchemyExecutionEngine
    from great_expectations.expectations.metrics.metric_provider import metric_value
    from great_expectations.expectations.metrics.query_metrics import (
        UnexpectedRowsQueryRowCount,
        UnexpectedRowsQueryTable,
    )

    global _single_pass_registered
    if _single_pass_registered:
        return

    def rule_result(
        provider: Any,
        execution_engine: Any,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
    ) -> tuple[int, list[dict]]:
        import sqlalchemy as sa

        batch_selectable, _, _ = execution_engine.get_compute_domain(
            metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
        )
        query = provider._get_substituted_batch_subquery_from_query_and_batch_selectable(
            query=provider._get_query_from_metric_value_kwargs(metric_value_kwargs),
            batch_selectable=batch_selectable,
            execution_engine=execution_engine,
        )
        results = _RULE_RESULTS.setdefault(execution_engine, {})
        if query not in results:
            counted = execution_engine.execute_query(
                sa.text(f"select count(*) from ({query}) as unexpected")
            ).fetchone()
            count = int(counted[0])
            # A rule that passes has no rows to show: only a failing one runs again.
            rows = (
                execution_engine.execute_query(
                    sa.text(f"select * from ({query}) as unexpected limit {MAX_RESULT_RECORDS}")
                ).fetchall()
                if count
                else []
            )
            results[query] = (count, [row._asdict() for row in rows])
        return results[query]

    # Defining the classes registers them in place of GX's own; GX logs that as a warning.
    registry_logger = logging.getLogger("great_expectations.expectations.registry")
    level = registry_logger.level
    registry_logger.setLevel(logging.ERROR)

    class _SinglePassRuleRows(UnexpectedRowsQueryTable):
        @metric_value(engine=SqlAlchemyExecutionEngine)
        def _sqlalchemy(
            cls,
            execution_engine: Any,
            metric_domain_kwargs: dict,
            metric_value_kwargs: dict,
            metrics: dict[str, Any],
            runtime_configuration: dict,
        ) -> list[dict]:
            return rule_result(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs)[1]

    class _SinglePassRuleRowCount(UnexpectedRowsQueryRowCount):
        @metric_value(engine=SqlAlchemyExecutionEngine)
        def _sqlalchemy(
            cls,
            execution_engine: Any,
            metric_domain_kwargs: dict,
            metric_value_kwargs: dict,
            metrics: dict[str, Any],
            runtime_configuration: dict,
        ) -> int:
            return rule_result(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs)[0]

    registry_logger.setLevel(level)
    _single_pass_registered = True


def _register_dialect() -> None:
    """Register `duckdb+gx_readonly` with SQLAlchemy; safe to call more than once."""
    from sqlalchemy.dialects import registry

    registry.register(f"duckdb.{DIALECT_DRIVER}", __name__, "_DuckDBForGX")


def __getattr__(name: str) -> Any:
    # The dialect class is built on first use so importing this module stays cheap and
    # free of SQLAlchemy/duckdb-engine imports; SQLAlchemy's registry looks it up here.
    if name == "_DuckDBForGX":
        dialect_class = _build_dialect_class()
        globals()[name] = dialect_class
        return dialect_class
    raise AttributeError(name)


def _build_dialect_class() -> type:
    import duckdb_engine
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.engine.cursor import FullyBufferedCursorFetchStrategy

    execution_context_base: Any = duckdb_engine.Dialect.execution_ctx_cls
    compiler_base: Any = duckdb_engine.Dialect.statement_compiler

    class _BufferedExecutionContext(execution_context_base):
        def post_exec(self) -> None:
            super().post_exec()
            description = self.cursor.description
            if description is not None:
                self.cursor_fetch_strategy = FullyBufferedCursorFetchStrategy(
                    self.cursor, description, self.cursor.fetchall()
                )

    class _RegexCompiler(compiler_base):
        def visit_custom_op_binary(self, element: Any, operator: Any, **kw: Any) -> str:
            if operator.opstring in ("~", "!~"):
                match = sa.func.regexp_matches(element.left, element.right)
                return self.process(match if operator.opstring == "~" else sa.not_(match), **kw)
            return super().visit_custom_op_binary(element, operator, **kw)

    class _DuckDBForGX(duckdb_engine.Dialect):
        supports_statement_cache = True
        execution_ctx_cls = _BufferedExecutionContext
        statement_compiler = _RegexCompiler

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            # What GX's regex helper checks: `issubclass(dialect.dialect, postgresql.dialect)`.
            # Set per instance: on the class, SQLAlchemy would load that dialect instead.
            self.dialect = postgresql.dialect

        def get_columns(  # type: ignore[override]
            self, connection: Any, table_name: str, schema: str | None = None, **kw: Any
        ) -> list[dict]:
            rows = connection.execute(
                sa.text(
                    "select column_name, data_type, is_nullable "
                    "from information_schema.columns "
                    "where table_schema = :schema and table_name = :table "
                    "order by ordinal_position"
                ),
                {"schema": schema or "main", "table": str(table_name)},
            ).fetchall()
            if not rows:
                raise sa.exc.NoSuchTableError(f"{schema}.{table_name}")
            return [
                {
                    "name": name,
                    "type": _column_type(self.ischema_names, data_type),
                    "nullable": is_nullable == "YES",
                    "default": None,
                }
                for name, data_type, is_nullable in rows
            ]

    return _DuckDBForGX


def _column_type(type_names: dict, data_type: str) -> Any:
    import sqlalchemy as sa

    type_class = type_names.get(data_type.lower(), sa.types.NullType)
    return type_class() if isinstance(type_class, type) else type_class
