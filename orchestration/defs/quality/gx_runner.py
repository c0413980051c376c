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
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingestion.settings import EXPECTATIONS_DIR
from orchestration.defs.quality.validated_loads import LoadScope, pending_loads, record_passed

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
            return SuiteOutcome(
                suite_name=suite_name,
                table=table,
                success=True,
                errored=False,
                error=None,
                evaluated=0,
                loads_validated=0,
                elapsed_seconds=time.perf_counter() - started,
            )
        batch_query = scope.batch_query() if scope is not None else None
        result = _validate(Path(warehouse_path), suite_name, table, batch_query)
        outcome = _outcome_from_result(suite_name, table, result, 0.0)
        outcome = _with_unexpected_row_examples(Path(warehouse_path), table, outcome, batch_query)
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
    if scope is not None:
        outcome = replace(outcome, loads_validated=len(scope.pending))
        if not outcome.errored and not outcome.blocking_failures:
            record_passed(Path(warehouse_path), scope)
    return replace(outcome, elapsed_seconds=time.perf_counter() - started)


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
    return _validate(Path(warehouse_path), suite_name, table, batch_query=None)


def _validate(warehouse_path: Path, suite_name: str, table: str, batch_query: str | None) -> Any:
    """Validate the table, or only the rows of `batch_query` (a select over the table).

    GX knows no column types for a query, so a scoped run validates the expectations GX
    answers from the schema against the table itself, and the rest against the query.
    """
    import sqlalchemy as sa

    _register_dialect()
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
            return _validate_asset(context, table_asset, document)
        on_schema = [e for e in document["expectations"] if e["type"] in SCHEMA_EXPECTATIONS]
        on_rows = [e for e in document["expectations"] if e["type"] not in SCHEMA_EXPECTATIONS]
        query_asset = datasource.add_query_asset(name=f"{table} new loads", query=batch_query)
        schema_result = _validate_asset(context, table_asset, _part(document, "schema", on_schema))
        rows_result = _validate_asset(context, query_asset, _part(document, "rows", on_rows))
        return _ScopedResult(results=[*schema_result.results, *rows_result.results])
    finally:
        # Release the read-only handles at once: DuckDB lets no writer in while one is
        # open. The datasource and its execution engine each build their own engine.
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


def _validate_asset(context: Any, asset: Any, document: dict) -> Any:
    import great_expectations as gx

    suite = context.suites.add(gx.ExpectationSuite(**document))
    batch = asset.add_batch_definition_whole_table("whole_table").get_batch()
    return batch.validate(
        suite,
        result_format={
            "result_format": "SUMMARY",
            "partial_unexpected_count": EXAMPLES_PER_FAILURE,
        },
    )


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
