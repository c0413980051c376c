"""The lake root and where each file of the raw layer lives under it.

    raw/<table>/load_date=<YYYY-MM-DD>/<load>.parquet   the rows one load wrote to a table
    raw/<table>/<table>.parquet                           whole-table snapshots (load_audits, ...)
    analytics/<table>/<table>.parquet                     the text scorer's tables dbt reads
    _schemas/<table>.parquet                              each raw table's columns, without rows
    _schemas/analytics/<table>.parquet                    the same for the scorer's tables

Files are written under a temporary name beside their final one (`_<name>.tmp`): Spark,
Hive and Trino skip names starting with `_`, and `*.parquet` globs do not match them, so
no engine reads a file before it is renamed.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import fsspec
from fsspec.implementations.local import LocalFileSystem

RAW_FOLDER = "raw"
SCHEMAS_FOLDER = "_schemas"
TEMPORARY_PREFIX = "_"
TEMPORARY_SUFFIX = ".tmp"
# Load ids used as file names as they are; others (API window ids hold ':', which Hadoop
# paths cannot) by a digest.
SAFE_FILE_STEM = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


def load_file(table: str, load_date: date, load_id: str) -> str:
    """Where the rows `load_id` wrote to `table` live, relative to the lake root."""
    stem = load_id if SAFE_FILE_STEM.match(load_id) else f"load-{_digest(load_id)}"
    return f"{RAW_FOLDER}/{table}/load_date={load_date.isoformat()}/{stem}.parquet"


def snapshot_file(table: str, folder: str = RAW_FOLDER) -> str:
    """The file holding the whole of a snapshot table."""
    return f"{folder}/{table}/{table}.parquet"


def schema_file(table: str, folder: str = RAW_FOLDER) -> str:
    """The zero-row file that gives a table's columns, even before any load wrote to it
    (a raw table's directly under _schemas, another layer's in a folder of its name)."""
    if folder == RAW_FOLDER:
        return f"{SCHEMAS_FOLDER}/{table}.parquet"
    return f"{SCHEMAS_FOLDER}/{folder}/{table}.parquet"


def temporary_name(relative: str) -> str:
    """The name a file is written under before the ledger commits it."""
    path = PurePosixPath(relative)
    return str(path.with_name(f"{TEMPORARY_PREFIX}{path.name}{TEMPORARY_SUFFIX}"))


def final_name(temporary: str) -> str | None:
    """The final name a temporary file stands for; None for any other file."""
    path = PurePosixPath(temporary)
    if not (path.name.startswith(TEMPORARY_PREFIX) and path.name.endswith(TEMPORARY_SUFFIX)):
        return None
    return str(path.with_name(path.name[len(TEMPORARY_PREFIX) : -len(TEMPORARY_SUFFIX)]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Lake:
    """A lake root: a local folder or any fsspec URL (s3://, gs://, memory://, ...)."""

    url: str
    fs: fsspec.AbstractFileSystem
    root: str

    @classmethod
    def at(cls, url: str | Path) -> Lake:
        text = str(url)
        if "://" not in text:
            text = str(Path(text).expanduser().resolve())
        fs, root = fsspec.core.url_to_fs(text)
        return cls(url=text, fs=fs, root=root.rstrip("/"))

    @property
    def is_local(self) -> bool:
        return isinstance(self.fs, LocalFileSystem)

    def full_path(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    def write_parquet(
        self,
        conn: duckdb.DuckDBPyConnection,
        query: str,
        parameters: dict[str, Any],
        relative: str,
    ) -> None:
        """The query's rows as one Parquet file, written by DuckDB's COPY. A remote lake
        gets a local file uploaded under the same (temporary) name."""
        statement = f"copy ({query}) to $lake_file (format parquet)"
        if self.is_local:
            target = Path(self.full_path(relative))
            target.parent.mkdir(parents=True, exist_ok=True)
            conn.execute(statement, {**parameters, "lake_file": str(target)})
            return
        with tempfile.TemporaryDirectory(prefix="pulse-lake-") as scratch:
            local = Path(scratch) / "file.parquet"
            conn.execute(statement, {**parameters, "lake_file": str(local)})
            self.fs.put_file(str(local), self.full_path(relative))

    def rename(self, source: str, target: str) -> None:
        """Move a file to its final name (an atomic rename on a local disk)."""
        self.fs.mv(self.full_path(source), self.full_path(target))

    def remove(self, relative: str) -> None:
        path = self.full_path(relative)
        if self.fs.exists(path):
            self.fs.rm(path)

    def exists(self, relative: str) -> bool:
        return bool(self.fs.exists(self.full_path(relative)))

    def files(self, folder: str) -> set[str]:
        """Every file under `folder`, relative to the lake root."""
        base = self.full_path(folder)
        if not self.fs.exists(base):
            return set()
        prefix = f"{self.root}/"
        return {
            path[len(prefix) :] if path.startswith(prefix) else path
            for path in (str(found) for found in self.fs.find(base))
        }
