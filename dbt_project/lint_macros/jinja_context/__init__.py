"""What dbt puts in a model's Jinja context, for sqlfluff's jinja templater (lint only).

sqlfluff renders each file itself instead of asking dbt to compile it (the dbt templater
takes minutes on this project). Its dbt builtins cover `ref`, `source`, `config`,
`is_incremental` and `this`; this module adds what the project's macros use beyond them:
`adapter.dispatch` (resolved to `lint__<name>`, `duckdb__<name>`, then `default__<name>`
among the loaded macros: the project's own and the stand-ins in `lint_macros/`), the `dbt`
namespace (dispatched the same way), the vars of `dbt_project.yml`, `env_var`, `target`,
`modules` and `exceptions`. Rendering is as while dbt parses: `execute` is false, so no
macro queries the warehouse.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from jinja2 import pass_context
from jinja2.runtime import Context, Macro
from sqlfluff.core.templaters.builtins.dbt import MacroReturn

PROJECT_DIR = Path(__file__).resolve().parents[2]
ADAPTER_TYPE = "duckdb"

_VARS: dict[str, Any] = (
    yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8")).get("vars") or {}
)


def _return_ends_every_macro() -> None:
    """`{{ return(x) }}` makes the macro it is in give x, as in dbt.

    sqlfluff catches its `return` only around macros called through the context; a call
    to a macro of the same file goes to Jinja directly, and the value would end the
    caller instead. Patched once per process, on Jinja's macro call itself.
    """
    invoke = Macro._invoke
    if getattr(invoke, "returns_dbt_value", False):
        return

    def invoke_returning(self: Macro, arguments: list[Any], autoescape: bool) -> Any:
        try:
            return invoke(self, arguments, autoescape)
        except MacroReturn as returned:
            return returned.value

    invoke_returning.returns_dbt_value = True  # type: ignore[attr-defined]
    Macro._invoke = invoke_returning  # type: ignore[method-assign]


_return_ends_every_macro()


class CompilationError(Exception):
    """A dbt compiler error raised by a macro while linting."""


def _dispatched(context: Context, macro_name: str) -> Any:
    # lint__ first: a stand-in for SQL that sqlfluff's DuckDB dialect cannot parse yet.
    for candidate in (
        f"lint__{macro_name}",
        f"{ADAPTER_TYPE}__{macro_name}",
        f"default__{macro_name}",
    ):
        macro = context.get(candidate)
        if macro is not None:
            return macro
    raise CompilationError(
        f"no {ADAPTER_TYPE}__{macro_name} or default__{macro_name} among the project's "
        "macros nor dbt_project/lint_macros"
    )


class _Adapter:
    @staticmethod
    @pass_context
    def dispatch(context: Context, macro_name: str, macro_namespace: str | None = None) -> Any:
        return _dispatched(context, macro_name)

    @staticmethod
    def quote(identifier: str) -> str:
        return f'"{identifier}"'

    @staticmethod
    def get_columns_in_relation(relation: Any) -> list[Any]:
        return []


class _DbtNamespace:
    """`dbt.<macro>(...)`: dbt's own cross-database macros, dispatched like dbt does."""

    def __getattr__(self, macro_name: str) -> Any:
        @pass_context
        def call(context: Context, *args: Any, **kwargs: Any) -> Any:
            return _dispatched(context, macro_name)(*args, **kwargs)

        return call


_UNSET = object()


def var(name: str, default: Any = _UNSET) -> Any:
    """A var of dbt_project.yml, as dbt gives it with no --vars."""
    if name in _VARS:
        return _VARS[name]
    if default is _UNSET:
        raise CompilationError(f"required var {name!r} not found in dbt_project.yml")
    return default


def env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise CompilationError(f"env var {name!r} is not set and has no default")
    return value


def _raise_compiler_error(message: str = "", *args: Any, **kwargs: Any) -> None:
    raise CompilationError(message)


adapter = _Adapter()
dbt = _DbtNamespace()
execute = False
target = SimpleNamespace(
    type=ADAPTER_TYPE, name=ADAPTER_TYPE, database="warehouse", schema="main", threads=1
)
modules = SimpleNamespace(datetime=datetime, re=re)
exceptions = SimpleNamespace(
    raise_compiler_error=_raise_compiler_error, column_type_missing=_raise_compiler_error
)
run_started_at = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
graph: dict[str, dict[str, Any]] = {"nodes": {}, "sources": {}}
