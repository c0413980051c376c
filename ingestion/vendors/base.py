"""What a vendor module declares: the vendor, its file formats and API items, its facts.

A vendor module (`ingestion/vendors/<vendor>.py`) defines `VENDOR`: its name (the lineage
`_source` of every row it delivers), its family, the platform its review or poll rows name,
its rating scale, the file formats it writes (how each is recognised and loaded) and the
API items it maps (which the API client and EL-tool envelopes share). The registry
(`ingestion.vendors`) finds every module; detection, loading, the list of sources dbt and
the raw gates read, and the API pulls all ask it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingestion.records import Record, Row
from ingestion.staged import StagedShape

if TYPE_CHECKING:
    from ingestion.loaders.context import LoadContext, LoadCounts

# What detection reads a file as, before it asks the formats.
CSV = "csv"  # delimited text; the first records parsed
XLSX = "xlsx"  # a workbook; its first sheet's first rows, as text
JSON_DOCUMENT = "json_document"  # one JSON object
JSON_ARRAY = "json_array"  # one JSON array
JSON_LINES = "json_lines"  # one JSON value per line; the first one parsed

# Detection tries formats in this order of priority, lowest first: a vendor's own layout
# before the generic layouts whose columns it may also carry.
VENDOR_PRIORITY = 50
GENERIC_PRIORITY = 90


@dataclass(frozen=True)
class Sample:
    """What detection knows of a file: how it is encoded and what its first records say."""

    path: Path
    encoding: str
    container: str
    records: list[list[str]] = field(default_factory=list)  # CSV and workbook rows
    document: Any = None  # a JSON document or array, parsed
    first_object: Any = None  # the first of JSON lines, parsed

    @property
    def headers(self) -> list[str]:
        return self.records[0] if self.records else []


Recognise = Callable[[Sample], "str | None"]  # the reason this format wrote the file


@dataclass(frozen=True)
class FileFormat:
    """A file a vendor writes: how to tell it, how to load it, which raw table it fills."""

    name: str
    family: str
    target: StagedShape  # the raw table a load of this format is recorded against
    containers: frozenset[str]
    recognise: Recognise
    load: Callable[[LoadContext], LoadCounts]
    description: str
    priority: int = VENDOR_PRIORITY
    # Files of a delivery load in this order (a table of answers after the table of the
    # responses it answers); ties keep the files' own order.
    load_order: int = 0
    # The loader stages the file with DuckDB before it opens the file's transaction
    # (loaders.context.FileTransaction says why); the others write in it from the start.
    stages_before_writing: bool = False
    # Survey exports: item id -> instrument guessed from the question wording.
    guess_items: Callable[[Sample], dict[str, str]] | None = None


@dataclass(frozen=True)
class Refusal:
    """A file recognised as the vendor's but holding nothing to load (a survey definition,
    an API list of surveys): refused with the reason, never mistaken for another format."""

    name: str
    containers: frozenset[str]
    recognise: Recognise  # the reason it is refused
    family: str | None = None
    priority: int = VENDOR_PRIORITY
    # A file that describes data rather than holds it (a survey definition, a connector's
    # metadata table) is skipped, not failed: nothing in it was lost.
    describes_data: bool = False


@dataclass(frozen=True)
class ItemMapping:
    """The vendor's API items (a review, a survey response) and the raw rows each becomes.

    The API client maps every item of a page with `to_record`; an EL tool that lands the
    same items (Airbyte's record envelope) is mapped by the same function. `survey_id` is
    the survey a response belongs to when the item does not say (the registry's entry).
    """

    streams: frozenset[str]  # the EL tools' names for the stream of these items
    target: StagedShape
    matches: Callable[[dict[str, Any]], bool]  # an item of this kind, told by its keys
    to_record: Callable[[dict[str, Any], str | None], Record]


@dataclass(frozen=True)
class ApiSource:
    """The vendor's API as a pull: its client and the Dagster asset that runs it."""

    client: str  # the client's module, which defines `from_environment() -> Puller`
    settings_name: str  # PULSE_API_<SETTINGS_NAME>_...; the cursor's and window's vendor
    asset_name: str  # the asset api/<asset_name>
    tables: tuple[str, ...]  # the raw tables a window writes
    # The API filters by time, so one day can be pulled on its own (daily backfills).
    by_day: bool = False
    source: str = ""  # the vendor's name, filled in by the registry


@dataclass(frozen=True)
class Vendor:
    """Everything Customer Pulse knows about one vendor."""

    name: str  # lineage `_source`; for surveys also the feedback source
    family: str  # surveys | reviews | polls | commerce
    description: str
    # The platform that review and poll rows name (several vendors may share one:
    # Google Places and Google Business Profile both deliver `google` reviews).
    platform: str | None = None
    rating_scale: tuple[int, int] | None = None  # stars, for review platforms
    formats: tuple[FileFormat, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    items: tuple[ItemMapping, ...] = ()
    api: ApiSource | None = None

    @property
    def source(self) -> str:
        """The `source` its feedback carries in the marts: the platform, else the vendor."""
        return self.platform or self.name


Records = Callable[[Any], Iterator[Row]]
