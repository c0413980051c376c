"""Read just enough of a file to tell its encoding and its first records."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 256 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class FileHead:
    """The start of a file: how it is encoded and what its first lines say."""

    encoding: str
    text: str
    records: list[list[str]]

    @property
    def first_char(self) -> str:
        stripped = self.text.lstrip()
        return stripped[:1]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def detect_encoding(head: bytes) -> str:
    """Encoding from the byte-order mark, else UTF-8 when it decodes, else Windows-1252."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the head's end is still UTF-8.
        if error.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


def read_head(path: Path, max_records: int = 4) -> FileHead:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="ignore")
    if text.startswith("\ufeff"):
        text = text[1:]
    records: list[list[str]] = []
    if text.lstrip()[:1] not in ("{", "["):
        reader = csv.reader(io.StringIO(text))
        try:
            for record in reader:
                records.append(record)
                if len(records) >= max_records:
                    break
        except csv.Error:
            pass
    return FileHead(encoding=encoding, text=text, records=records)
