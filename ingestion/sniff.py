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


def _as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Decoding error handler: bytes that are not UTF-8 read as Windows-1252 (its five
    undefined bytes as their Latin-1 controls), so a stray byte shows as the letter the
    writer meant instead of a replacement character."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    text = "".join(
        bytes([value]).decode("cp1252", errors="replace").replace("\ufffd", chr(value))
        for value in chunk
    )
    return text, error.end


AS_WINDOWS_1252 = "pulse_as_windows_1252"
codecs.register_error(AS_WINDOWS_1252, _as_windows_1252)


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
    """Encoding from the byte-order mark, else UTF-16 when every other byte is NUL (an
    export written without a mark), else UTF-8 when it decodes, else Windows-1252."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    unmarked = _utf16_without_bom(head)
    if unmarked is not None:
        return unmarked
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the head's end is still UTF-8.
        if error.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when the bytes are UTF-16 text without a byte-order mark
    (nearly every ASCII character leaves a NUL on the same side), else None."""
    start = head[:8192]
    if len(start) < 4 or b"\x00" not in start:
        return None
    even, odd = start[0::2], start[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def file_encoding(path: Path, head_encoding: str) -> str:
    """The encoding of the whole file, where its head alone may mislead.

    A head that is plain ASCII says nothing about the bytes after it: an export whose
    first Windows-1252 byte sits past the head is Windows-1252, read as such, instead of
    UTF-8 with that byte lost. A head that holds UTF-8 letters stays UTF-8 even when a
    later line is not (a file pasted together from two exports): that line is quarantined
    with its bytes as received, the rest loads.
    """
    if head_encoding != "utf-8":
        return head_encoding
    decoder = codecs.getincrementaldecoder("utf-8")()
    non_ascii_seen = False
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                if non_ascii_seen or not block[: error.start].isascii():
                    return "utf-8"
                return "cp1252"
            non_ascii_seen = non_ascii_seen or not block.isascii()
    return "utf-8"


def read_head(path: Path, max_records: int = 4) -> FileHead:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="ignore")
    if text.startswith("\ufeff"):
        text = text[1:]
    # Old Mac exports end lines with a carriage return alone: read them as lines.
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
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
    if _utf16_without_bom(start) is not None:
        return None  # UTF-16 text without a byte-order mark: read as such
    return "a binary file (NUL bytes), not a text export"
