"""Landing prefixes in object stores (s3://, gs://, memory://, file://...) through fsspec.

The files under a prefix are listed with fsspec and each is streamed to a local temporary
file before detection and DuckDB's readers run, then deleted; the ledger and the lineage
columns name each file by its URL. Credentials are fsspec's own (environment, profiles).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import fsspec

from ingestion.load import IGNORED_SUFFIXES

COPY_BLOCK_BYTES = 1 << 20


def is_url(location: str | Path) -> bool:
    return isinstance(location, str) and "://" in location


def list_files(prefix: str) -> list[str]:
    """URLs of the export files under the prefix (hidden folders skipped), in stable order."""
    fs, root = fsspec.core.url_to_fs(prefix)
    base = prefix.rstrip("/")
    urls = []
    for path in sorted(fs.find(root)):
        relative = PurePosixPath(path).relative_to(PurePosixPath(root))
        if any(part.startswith(".") for part in relative.parts):
            continue
        if relative.suffix.lower() in IGNORED_SUFFIXES:
            continue
        urls.append(f"{base}/{relative.as_posix()}")
    return urls


def exists(url: str) -> bool:
    fs, path = fsspec.core.url_to_fs(url)
    return bool(fs.isfile(path))


@contextmanager
def local_copy(url: str) -> Iterator[Path]:
    """The object at `url` as a local file (same name), removed on exit."""
    with tempfile.TemporaryDirectory(prefix="pulse-object-") as folder:
        target = Path(folder) / PurePosixPath(url).name
        with fsspec.open(url, "rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, COPY_BLOCK_BYTES)
        yield target
