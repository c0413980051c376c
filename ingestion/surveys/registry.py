"""The survey registry: which export column is which instrument, on which scale.

Each survey is described once in YAML (see README, "Survey registry"). Only items the
registry names feed satisfaction metrics; everything else is loaded but left unscored.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import yaml

INSTRUMENTS = frozenset(
    {"nps", "csat", "ces", "driver", "intent", "open_text", "category", "attribute"}
)
SCORED_INSTRUMENTS = frozenset({"nps", "csat", "ces", "driver", "intent"})
DIRECTIONS = frozenset({"higher_is_better", "lower_is_better"})
ATTRIBUTES = frozenset({"touchpoint", "product", "location"})
# A relationship survey asks about the relationship as a whole, a few times a year; a
# transactional one follows a single order or support contact, so it is answered again
# with every new transaction. The kind sets how soon a repeat answer is a duplicate.
SURVEY_KINDS = frozenset({"relationship", "transactional"})
MAX_WINDOW_DAYS = 3660  # ten years; more is a typo (stg_surveys__registry tests the same)


class RegistryError(ValueError):
    """The registry file is malformed; the message names the survey and item."""


@dataclass(frozen=True)
class RegistryItem:
    item_id: str
    instrument: str
    name: str | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    direction: str = "higher_is_better"
    question: str | None = None


@dataclass(frozen=True)
class SurveyDefinition:
    survey_id: str
    vendor: str | None
    files: tuple[str, ...]
    timezone: str | None
    channel: str | None
    touchpoint: str | None
    items: tuple[RegistryItem, ...]
    # The survey's own definition (a Qualtrics .qsf), to decode exported recode values
    # and choice ids; a relative path is relative to the registry file.
    definition: Path | None = None
    kind: str = "relationship"
    # Days within which the same respondent answering again is flagged as a duplicate;
    # None leaves it to the kind's default (dbt vars duplicate_respondent_*window_days).
    duplicate_window_days: int | None = None

    def matches(self, file_name: str) -> bool:
        return any(fnmatch.fnmatch(file_name, pattern) for pattern in self.files)

    def is_scored(self, item_id: str) -> bool:
        return any(
            item.item_id == item_id and item.instrument in SCORED_INSTRUMENTS for item in self.items
        )


@dataclass(frozen=True)
class SurveyRegistry:
    surveys: tuple[SurveyDefinition, ...] = field(default_factory=tuple)
    source: Path | None = None

    def survey_for(self, file_name: str) -> SurveyDefinition | None:
        """The survey whose file patterns match this landing-relative file name."""
        for survey in self.surveys:
            if survey.matches(file_name):
                return survey
        return None


def _parse_item(survey_id: str, raw: dict[str, object]) -> RegistryItem:
    item_id = str(raw.get("item_id") or "").strip()
    where = f"survey {survey_id!r}, item {item_id or '?'!r}"
    if not item_id:
        raise RegistryError(f"{where}: item_id is required")
    instrument = str(raw.get("instrument") or "")
    if instrument not in INSTRUMENTS:
        raise RegistryError(f"{where}: instrument must be one of {sorted(INSTRUMENTS)}")
    direction = str(raw.get("direction") or "higher_is_better")
    if direction not in DIRECTIONS:
        raise RegistryError(f"{where}: direction must be one of {sorted(DIRECTIONS)}")
    scale = raw.get("scale")
    scale_min = scale_max = None
    if instrument in SCORED_INSTRUMENTS:
        if not (
            isinstance(scale, list) and len(scale) == 2 and all(isinstance(v, int) for v in scale)
        ):
            raise RegistryError(f"{where}: a scored item needs scale: [min, max] as integers")
        scale_min, scale_max = int(scale[0]), int(scale[1])
        if scale_min >= scale_max:
            raise RegistryError(f"{where}: scale minimum must be below maximum")
    name = raw.get("name")
    if instrument == "attribute" and name not in ATTRIBUTES:
        raise RegistryError(f"{where}: an attribute's name must be one of {sorted(ATTRIBUTES)}")
    question = raw.get("question")
    return RegistryItem(
        item_id=item_id,
        instrument=instrument,
        name=str(name) if name is not None else None,
        scale_min=scale_min,
        scale_max=scale_max,
        direction=direction,
        question=str(question) if question is not None else None,
    )


def _parse_duplicate_window(survey_id: str, raw: dict[str, object]) -> int | None:
    days = raw.get("duplicate_window_days")
    if days is None:
        return None
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_WINDOW_DAYS:
        raise RegistryError(
            f"survey {survey_id!r}: duplicate_window_days must be a whole number of days"
            f" from 0 (the same day) to {MAX_WINDOW_DAYS}"
        )
    return days


def parse_registry(document: object, source: Path | None = None) -> SurveyRegistry:
    if document is None:
        return SurveyRegistry(source=source)
    if not isinstance(document, dict) or not isinstance(document.get("surveys"), list):
        raise RegistryError(f"{source}: expected a mapping with a 'surveys' list")
    surveys = []
    seen: set[str] = set()
    for raw in document["surveys"]:
        survey_id = str(raw.get("survey_id") or "").strip()
        if not survey_id:
            raise RegistryError(f"{source}: every survey needs a survey_id")
        if survey_id in seen:
            raise RegistryError(f"{source}: survey {survey_id!r} is described twice")
        seen.add(survey_id)
        kind = str(raw.get("kind") or "relationship")
        if kind not in SURVEY_KINDS:
            raise RegistryError(f"survey {survey_id!r}: kind must be one of {sorted(SURVEY_KINDS)}")
        files = raw.get("files") or []
        items = tuple(_parse_item(survey_id, item) for item in raw.get("items") or [])
        definition = raw.get("definition")
        definition_path = None
        if definition:
            definition_path = Path(str(definition)).expanduser()
            if not definition_path.is_absolute() and source is not None:
                definition_path = source.parent / definition_path
        surveys.append(
            SurveyDefinition(
                survey_id=survey_id,
                vendor=raw.get("vendor"),
                files=tuple(str(pattern) for pattern in files),
                timezone=raw.get("timezone"),
                channel=raw.get("channel"),
                touchpoint=raw.get("touchpoint"),
                items=items,
                definition=definition_path,
                kind=kind,
                duplicate_window_days=_parse_duplicate_window(survey_id, raw),
            )
        )
    return SurveyRegistry(surveys=tuple(surveys), source=source)


def load_registry(path: Path) -> SurveyRegistry:
    """Read the registry; a missing file is an empty registry (nothing is scored)."""
    if not path.exists():
        return SurveyRegistry(source=path)
    with path.open(encoding="utf-8") as handle:
        try:
            document = yaml.safe_load(handle)
        except yaml.YAMLError as error:
            raise RegistryError(f"{path}: not valid YAML: {error}") from error
    return parse_registry(document, source=path)


# Named, not positional: a warehouse from before a column was added has it last.
REGISTRY_COLUMNS = (
    "survey_id",
    "item_id",
    "instrument",
    "item_name",
    "scale_min",
    "scale_max",
    "direction",
    "question_text",
    "vendor",
    "channel",
    "touchpoint",
    "timezone",
    "survey_kind",
    "duplicate_window_days",
)


def write_registry_table(
    conn: duckdb.DuckDBPyConnection, registry: SurveyRegistry, loaded_at: datetime
) -> int:
    """Replace raw.survey_registry with the registry's items; returns the item count."""
    rows = [
        (
            survey.survey_id,
            item.item_id,
            item.instrument,
            item.name,
            item.scale_min,
            item.scale_max,
            item.direction,
            item.question,
            survey.vendor,
            survey.channel,
            survey.touchpoint,
            survey.timezone,
            survey.kind,
            survey.duplicate_window_days,
        )
        for survey in registry.surveys
        for item in survey.items
    ]
    columns = ", ".join(REGISTRY_COLUMNS)
    existing = conn.execute(f"select {columns} from raw.survey_registry").fetchall()
    if len(existing) == len(rows) and {tuple(row) for row in existing} == set(rows):
        return len(rows)  # unchanged: keep the table (and its load time) as it is
    conn.execute("delete from raw.survey_registry")
    if rows:
        placeholders = ", ".join("?" for _ in REGISTRY_COLUMNS)
        conn.executemany(
            f"insert into raw.survey_registry ({columns}, _loaded_at) values ({placeholders}, ?)",
            [(*row, loaded_at) for row in rows],
        )
    return len(rows)
