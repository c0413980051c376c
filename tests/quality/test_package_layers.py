"""No Python module imports a package above its own, read from the source with `ast`
(imports inside functions too), so a new import that points the wrong way fails here by
name. The order is the architecture's (docs/architecture.md): loading, then the models
and suites that read what was loaded, then the libraries the Dagster definitions call,
then the definitions, then the benchmark that drives all of them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Lower rank first; a module may import its own rank or below.
RANKS = {
    "ingestion": 0,
    "analytics": 1,
    "expectations": 1,
    "orchestration.lib": 2,
    "orchestration": 3,  # the CLI, the job's plumbing, the dashboard
    "orchestration.defs": 4,
    "bench": 5,
}
PACKAGES = ("ingestion", "analytics", "expectations", "orchestration", "bench")


def package_of(module: str) -> str:
    """The ranked package a dotted module name belongs to."""
    parts = module.split(".")
    if parts[0] == "orchestration" and len(parts) > 1 and f"orchestration.{parts[1]}" in RANKS:
        return f"orchestration.{parts[1]}"
    return parts[0]


def imported_modules(source: Path) -> list[tuple[int, str]]:
    """(line, module) for every absolute import of a project package in `source`."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name.split(".")[0] in PACKAGES]
    return found


def upward_imports() -> list[str]:
    upward = []
    for package in PACKAGES:
        for source in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(source.relative_to(ROOT).with_suffix("").parts)
            rank = RANKS[package_of(module)]
            for line, imported in imported_modules(source):
                if RANKS[package_of(imported)] > rank:
                    upward.append(f"{source.relative_to(ROOT)}:{line} imports {imported}")
    return upward


def test_package_of_reads_the_ranked_package() -> None:
    assert package_of("orchestration.lib.serving.publish") == "orchestration.lib"
    assert package_of("orchestration.defs.text.assets") == "orchestration.defs"
    assert package_of("orchestration.dashboard.app") == "orchestration"
    assert package_of("ingestion.loaders.typeform") == "ingestion"


def test_no_module_imports_a_higher_package() -> None:
    assert upward_imports() == []


def test_an_upward_import_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "late.py"
    source.write_text("def f():\n    from orchestration.defs.text import assets\n")
    assert imported_modules(source) == [(2, "orchestration.defs.text")]
    assert RANKS[package_of("orchestration.defs.text")] > RANKS["ingestion"]
