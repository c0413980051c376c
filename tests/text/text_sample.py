"""What the text tests' session fixture gives: the scored sample warehouse."""

from dataclasses import dataclass
from pathlib import Path

from analytics.text.scoring import ScoringResult


@dataclass(frozen=True)
class ScoredSample:
    warehouse: Path
    result: ScoringResult
