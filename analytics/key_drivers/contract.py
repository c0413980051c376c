"""The documented columns of marts.metrics_key_drivers (metrics_key_drivers.yml), used to
create the table on either engine and to check that a stored table still matches them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTRACT_FILE = Path(__file__).resolve().parent / "metrics_key_drivers.yml"

# How DuckDB's information_schema names each contract type.
DUCKDB_TYPE_NAMES = {
    "varchar": "VARCHAR",
    "date": "DATE",
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
    "double precision": "DOUBLE",
}


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    not_null: bool
    description: str


@dataclass(frozen=True)
class Contract:
    schema: str
    name: str
    primary_key: str
    columns: tuple[ContractColumn, ...]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def qualified_name(self) -> str:
        return f"{quote_identifier(self.schema)}.{quote_identifier(self.name)}"


def quote_identifier(name: str) -> str:
    """An identifier double-quoted the way DuckDB and PostgreSQL both read it."""
    return '"' + name.replace('"', '""') + '"'


@cache
def contract() -> Contract:
    document = yaml.safe_load(CONTRACT_FILE.read_text(encoding="utf-8"))
    columns = tuple(
        ContractColumn(
            name=column["name"],
            data_type=column["data_type"],
            not_null=bool(column["not_null"]),
            description=" ".join(str(column["description"]).split()),
        )
        for column in document["columns"]
    )
    unknown = sorted({column.data_type for column in columns} - set(DUCKDB_TYPE_NAMES))
    if unknown:
        raise ValueError(f"{CONTRACT_FILE.name}: types without a mapping: {unknown}")
    return Contract(document["schema"], document["name"], document["primary_key"], columns)


def create_table_statement(table: Contract) -> str:
    """`create table` for the contract; names come from the contract file, quoted."""
    definitions = []
    for column in table.columns:
        definition = f"{quote_identifier(column.name)} {column.data_type}"
        if column.name == table.primary_key:
            definition += " primary key"
        elif column.not_null:
            definition += " not null"
        definitions.append(definition)
    body = ",\n    ".join(definitions)
    return f"create table {table.qualified_name} (\n    {body}\n)"


def insert_statement(table: Contract, relation: str) -> str:
    """Insert every contract column, in order, from a registered relation of that shape."""
    columns = ", ".join(quote_identifier(name) for name in table.column_names)
    return (
        f"insert into {table.qualified_name} ({columns})"
        f" select {columns} from {quote_identifier(relation)}"
    )


def differences(table: Contract, stored: list[tuple[str, str, bool]]) -> list[str]:
    """How a stored table's (column, DuckDB type, nullable) rows differ from the contract,
    in column order; empty when they match."""
    expected = [
        (column.name, DUCKDB_TYPE_NAMES[column.data_type], not column.not_null)
        for column in table.columns
    ]
    if [row[0] for row in stored] != [row[0] for row in expected]:
        return [
            f"columns are {[row[0] for row in stored]}, the contract has"
            f" {[row[0] for row in expected]}"
        ]
    found = []
    for (name, stored_type, stored_nullable), (_, wanted_type, wanted_nullable) in zip(
        stored, expected, strict=True
    ):
        if stored_type != wanted_type:
            found.append(f"{name} is {stored_type}, the contract says {wanted_type}")
        if stored_nullable != wanted_nullable:
            wanted = "nullable" if wanted_nullable else "not null"
            found.append(f"{name} should be {wanted}")
    return found
