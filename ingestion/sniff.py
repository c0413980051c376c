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
    delimiter: str = ","

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
    delimiter = ","
    if text.lstrip()[:1] not in ("{", "["):
        delimiter = sniff_delimiter(text)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            for record in reader:
                records.append(record)
                if len(records) >= max_records:
                    break
        except csv.Error:
            pass
    return FileHead(encoding=encoding, text=text, records=records, delimiter=delimiter)


# Field separators exports use: the comma, the tab (TSV dumps) and the semicolon (CSV saved
# where the decimal separator is a comma).
DELIMITERS = (",", "\t", ";")


def sniff_delimiter(text: str) -> str:
    """The separator of a delimited file: the one its header line holds most of, the comma
    unless another outnumbers it."""
    header = text.lstrip("\n").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


# Leading bytes of files that are compressed or not text at all.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed: unpack it first"),
    (b"PK\x03\x04", "a ZIP archive: unpack it first"),
    (b"\xfd7zXZ\x00", "xz-compressed: unpack it first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it first"),
    (b"%PDF", "a PDF document, not an export"),
)


def binary_kind(path: Path) -> str | None:
    """Why a file is no text export (compressed, an archive, binary), or None."""
    with path.open("rb") as handle:
        start = handle.read(8192)
    for signature, reason in _SIGNATURES:
        if start.startswith(signature):
            return reason
    if start[:3] == b"BZh" and start[3:4].isdigit():
        return "bzip2-compressed: unpack it first"
    if b"\x00" not in start or start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    even, odd = start[0::2], start[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "UTF-16 (little-endian) without a byte-order mark: export it with one, or as UTF-8"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "UTF-16 (big-endian) without a byte-order mark: export it with one, or as UTF-8"
    return "a binary file (NUL bytes), not a text export"
