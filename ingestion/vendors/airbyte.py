"""Records landed by Airbyte: each JSON line wraps one item of a vendor's API stream.

Three envelopes are read, one JSON object per line:
- the record message `{"stream", "data", "emitted_at"}`, bare or inside the protocol's
  `{"type": "RECORD", "record": {...}}`;
- a destination's raw record `{"_airbyte_ab_id" | "_airbyte_raw_id", "_airbyte_emitted_at"
  | "_airbyte_extracted_at", "_airbyte_data": {...}}` (the stream is the file's).
The item inside is mapped by the vendor module whose API items it is (a Typeform response,
a SurveyMonkey bulk response, a Trustpilot review, a Shopify order), exactly as the
vendor's own API client maps it, and its rows carry that vendor as their source. Lines that
are not records (STATE and LOG messages) or hold another stream's items are quarantined
with the reason.
"""

from __future__ import annotations

from typing import Any

from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_lines import read_object_lines
from ingestion.loaders.quarantine import quarantine_records
from ingestion.loaders.records import load_records
from ingestion.records import Record
from ingestion.vendors.base import JSON_LINES, FileFormat, ItemMapping, Sample, Vendor


def unwrap(line: Any) -> tuple[str | None, Any] | None:
    """(stream, item) of one Airbyte line, or None when it is no record envelope."""
    if not isinstance(line, dict):
        return None
    if line.get("type") == "RECORD" and isinstance(line.get("record"), dict):
        line = line["record"]
    if "data" in line and "stream" in line and ("emitted_at" in line or "namespace" in line):
        return str(line["stream"]), line["data"]
    if "_airbyte_data" in line:
        return None, line["_airbyte_data"]
    return None


def is_envelope(line: Any) -> bool:
    if not isinstance(line, dict):
        return False
    return unwrap(line) is not None or line.get("type") in ("STATE", "LOG", "TRACE")


def _mapping_for(item: ItemMapping, stream: str | None, data: Any) -> bool:
    return (stream is None or stream in item.streams) and item.matches(data)


def envelope_format(vendor: Vendor, item: ItemMapping) -> FileFormat:
    """Airbyte JSON lines of `vendor`'s `item` stream."""
    name = f"airbyte_{vendor.name}_{item.target.table}_jsonl"

    def recognise(sample: Sample) -> str | None:
        unwrapped = unwrap(sample.first_object)
        if unwrapped is not None and isinstance(unwrapped[1], dict):
            stream, data = unwrapped
            if _mapping_for(item, stream, data):
                return f"Airbyte records of {vendor.name} ({stream or 'raw destination records'})"
        return None

    def load(ctx: LoadContext) -> LoadCounts:
        lines, rejected = read_object_lines(ctx, item.target.raw_table)
        survey = ctx.registry.survey_for(ctx.file_name)
        survey_id = survey.survey_id if survey else None
        numbered: list[tuple[int, Record]] = []
        refused: list[tuple[int, object, str]] = []
        for number, line in lines:
            unwrapped = unwrap(line)
            if unwrapped is None:
                refused.append((number, line, "not an Airbyte record message"))
                continue
            stream, data = unwrapped
            if not isinstance(data, dict) or not _mapping_for(item, stream, data):
                refused.append(
                    (number, line, f"stream {stream!r} holds no {vendor.name} {item.target.table}")
                )
                continue
            numbered.append((number, item.to_record(data, survey_id)))
        quarantine_records(ctx, item.target.raw_table, refused)
        return load_records(ctx, item.target, numbered, rejected + len(refused), layout_name=name)

    return FileFormat(
        name=name,
        family=vendor.family,
        target=item.target,
        containers=frozenset({JSON_LINES}),
        recognise=recognise,
        load=load,
        description=(
            f"{vendor.name} {item.target.table} as Airbyte lands them: one record envelope"
            " per line around the vendor's API item."
        ),
    )
