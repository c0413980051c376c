"""Propose a survey registry entry from a survey file's columns and answers.

A survey with no registry entry loads, but none of its items feeds a metric. This reads
the file the way a load would (into a scratch in-memory warehouse), looks at each item's
question wording and at the answers given, and proposes an instrument and scale for each:

- a "how likely ... recommend" item answered on 0..10 is NPS; on another scale it is only
  an intent item (only a true 0..10 item yields an NPS);
- a satisfaction item on a whole-number scale is a CSAT candidate, an "easy"/"effort" item
  a CES candidate (1..7 agreement; a 1..5 effort scale, where lower is better, is turned
  round);
- other whole-number items on a short scale are driver candidates;
- free text is open text; a few repeated labels are a category (or the touchpoint,
  product or location attribute when the wording says so).

The scale is the conventional one the answers fit (0..10, 1..5, 1..7, 1..10), never just
the smallest and largest answer seen. Each item carries a comment with the evidence, for
the person who reviews the entry before adding it to the registry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import yaml

from ingestion.detect import detect
from ingestion.load import ingest_file
from ingestion.surveys.registry import SurveyRegistry
from ingestion.surveys.wording import guess_instrument
from ingestion.warehouse import ensure_raw_schema

# Scales surveys use, smallest first: answers are fitted to the first that holds them.
CONVENTIONAL_SCALES = ((1, 5), (1, 7), (0, 10), (1, 10))
MAX_CATEGORY_LABELS = 20
MIN_TEXT_LENGTH = 15  # an average answer this long is someone writing, not choosing
ATTRIBUTE_WORDS = {
    "touchpoint": re.compile(r"touchpoint|channel|contact|kanava|kanal", re.IGNORECASE),
    "product": re.compile(r"product|tuote|toode|produkt|proizvod|製品|商品", re.IGNORECASE),
    "location": re.compile(r"location|store|shop|city|myymälä|pood|filiale|店", re.IGNORECASE),
}


@contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    """The load's own "no registry entry" warning is the reason this runs: not repeated."""
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class SuggestionError(ValueError):
    """The file is not a survey export Customer Pulse reads."""


@dataclass(frozen=True)
class ItemEvidence:
    item_id: str
    question: str | None
    answered: int
    distinct: int
    whole_numbers: bool  # every answer is a whole number
    low: int | None
    high: int | None
    average_length: float


@dataclass(frozen=True)
class ItemSuggestion:
    item_id: str
    instrument: str
    scale: tuple[int, int] | None
    direction: str | None
    name: str | None
    evidence: str

    def as_entry(self) -> dict[str, object]:
        entry: dict[str, object] = {"item_id": self.item_id, "instrument": self.instrument}
        if self.name:
            entry["name"] = self.name
        if self.scale:
            entry["scale"] = list(self.scale)
        if self.direction and self.direction != "higher_is_better":
            entry["direction"] = self.direction
        return entry


def fitting_scale(low: int, high: int) -> tuple[int, int] | None:
    for scale in CONVENTIONAL_SCALES:
        if scale[0] <= low and high <= scale[1]:
            return scale
    return None


def _slug(text: str | None, fallback: str) -> str:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return "_".join(words[:4]) or fallback


def suggest_item(evidence: ItemEvidence) -> ItemSuggestion | None:
    """The proposed registry entry for one item, or None for an item left unregistered."""
    if evidence.answered == 0:
        return None
    question = evidence.question or evidence.item_id
    wording = guess_instrument(question)
    seen = f"{evidence.answered} answers"
    if evidence.whole_numbers and evidence.low is not None and evidence.high is not None:
        scale = fitting_scale(evidence.low, evidence.high)
        seen += f", whole numbers {evidence.low}..{evidence.high}"
        if scale is not None:
            if wording == "nps" and scale == (0, 10):
                if evidence.low > 0:
                    seen += "; no answer of 0 yet: check the item runs 0..10, not 1..10"
                return ItemSuggestion(evidence.item_id, "nps", scale, None, None, seen)
            if wording == "nps":
                # Not a true 0..10 item: reported as what it is, never as an NPS.
                return ItemSuggestion(
                    evidence.item_id, "intent", scale, None, _slug(question, "recommend"), seen
                )
            if wording == "csat":
                return ItemSuggestion(evidence.item_id, "csat", scale, None, None, seen)
            if wording == "ces":
                direction = "lower_is_better" if scale == (1, 5) else None
                return ItemSuggestion(evidence.item_id, "ces", scale, direction, None, seen)
            if scale != (0, 10) and evidence.distinct <= scale[1] - scale[0] + 1:
                return ItemSuggestion(
                    evidence.item_id,
                    "driver",
                    scale,
                    None,
                    _slug(question, evidence.item_id.lower()),
                    seen + "; the wording names no instrument",
                )
    if evidence.average_length >= MIN_TEXT_LENGTH:
        return ItemSuggestion(
            evidence.item_id,
            "open_text",
            None,
            None,
            None,
            f"{evidence.answered} answers of {evidence.average_length:.0f} characters on average",
        )
    if evidence.distinct <= MAX_CATEGORY_LABELS:
        for attribute, words in ATTRIBUTE_WORDS.items():
            if words.search(question):
                return ItemSuggestion(
                    evidence.item_id,
                    "attribute",
                    None,
                    None,
                    attribute,
                    f"{evidence.distinct} labels; the wording names the {attribute}",
                )
        return ItemSuggestion(
            evidence.item_id,
            "category",
            None,
            None,
            None,
            f"{evidence.distinct} distinct labels in {evidence.answered} answers",
        )
    return None


def item_evidence(path: Path) -> tuple[str, list[ItemEvidence]]:
    """Load the file into a scratch warehouse; its vendor and each item's answers seen."""
    detection = detect(path)
    if detection.family != "surveys" or not detection.supported:
        raise SuggestionError(
            f"{path}: not a survey export Customer Pulse reads ({detection.reason})"
        )
    with duckdb.connect() as conn, _quiet(logging.getLogger("ingestion.loaders.surveys")):
        ensure_raw_schema(conn)
        result = ingest_file(
            conn,
            path,
            path.parent,
            registry=SurveyRegistry(),
            pseudonym_key="suggestion",
            detection=detection,
        )
        if result.status != "loaded":
            raise SuggestionError(f"{path}: could not be read: {result.error}")
        rows = conn.execute(
            """
            with answers as (
                select unnest(item_ids) as item_id, unnest(answers) as answer
                from raw.survey_answers
            ),
            questions as (
                select item_id, any_value(question_text) as question, min(item_position) as position
                from raw.survey_questions
                group by item_id
            )
            select
                answers.item_id,
                any_value(questions.question),
                count(answer) filter (where trim(answer) <> ''),
                count(distinct answer) filter (where trim(answer) <> ''),
                bool_and(regexp_full_match(trim(answer), '-?[0-9]+'))
                    filter (where trim(answer) <> ''),
                min(try_cast(trim(answer) as integer)),
                max(try_cast(trim(answer) as integer)),
                coalesce(avg(length(answer)) filter (where trim(answer) <> ''), 0),
                min(questions.position)
            from answers
            left join questions on answers.item_id = questions.item_id
            group by answers.item_id
            order by min(questions.position) nulls last, answers.item_id
            """
        ).fetchall()
    evidence = [
        ItemEvidence(
            item_id=row[0],
            question=row[1],
            answered=int(row[2]),
            distinct=int(row[3]),
            whole_numbers=bool(row[4]),
            low=row[5],
            high=row[6],
            average_length=float(row[7]),
        )
        for row in rows
    ]
    return detection.vendor or "", evidence


def _distinct_names(suggestions: list[ItemSuggestion]) -> list[ItemSuggestion]:
    """A matrix question's rows share its wording: their names take the item id too."""
    counts: dict[str | None, int] = {}
    for suggestion in suggestions:
        counts[suggestion.name] = counts.get(suggestion.name, 0) + 1
    return [
        replace(suggestion, name=f"{suggestion.name}_{_slug(suggestion.item_id, 'item')}")
        if suggestion.name and counts[suggestion.name] > 1
        else suggestion
        for suggestion in suggestions
    ]


class _EntryDumper(yaml.SafeDumper):
    """YAML as the registry is written by hand: a scale on one line, `[1, 5]`."""


_EntryDumper.add_representer(
    list,
    lambda dumper, data: dumper.represent_sequence(
        "tag:yaml.org,2002:seq", data, flow_style=all(isinstance(v, int) for v in data)
    ),
)


def suggest_entry(path: Path, landing_root: Path | None = None) -> str:
    """A registry entry for the file, as YAML with a comment per item, for review."""
    vendor, evidence = item_evidence(path)
    suggestions = _distinct_names(
        [suggestion for item in evidence if (suggestion := suggest_item(item))]
    )
    try:
        pattern = path.resolve().relative_to((landing_root or path.parent).resolve()).as_posix()
    except ValueError:
        pattern = path.name
    entry = {
        "survey_id": path.stem,
        "vendor": vendor,
        "files": [pattern],
        "items": [suggestion.as_entry() for suggestion in suggestions],
    }
    text = yaml.dump(
        {"surveys": [entry]}, Dumper=_EntryDumper, sort_keys=False, allow_unicode=True, width=100
    )
    comments = {
        suggestion.item_id: f"# {suggestion.instrument}: {suggestion.evidence}"
        for suggestion in suggestions
    }
    lines = [
        "# Proposed from the file's questions and answers: review every item before adding",
        "# this entry to the survey registry (timezone, channel and kind are yours to set).",
    ]
    for line in text.splitlines():
        match = re.match(r"\s*- item_id: (.+)$", line)
        if match:
            item_id = yaml.safe_load(match.group(1))
            if str(item_id) in comments:
                lines.append(" " * (len(line) - len(line.lstrip())) + comments[str(item_id)])
        lines.append(line)
    unregistered = len(evidence) - len(suggestions)
    if unregistered:
        lines.append(f"# {unregistered} other items were left out: no answers, or none fits.")
    return "\n".join(lines) + "\n"
