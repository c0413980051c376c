"""One cell of the key-driver model: from its answer patterns to one row per driver."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from analytics.key_drivers.relative_weights import (
    EIGENVALUE_TOLERANCE,
    FloatArray,
    relative_weights,
    weighted_correlations,
)
from analytics.key_drivers.settings import CONFIDENCE_LEVEL, ModelSettings
from analytics.key_drivers.statistics import (
    bootstrap_weights,
    percentile_interval,
    quadrants,
    wilson_interval,
)

FITTED = "fitted"
TOO_FEW_RESPONSES = "too_few_responses"
OUTCOME_CONSTANT = "outcome_constant"
# Two answers closer than this are the same point on a scale (0..1 scores are quotients).
SCORE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CellKey:
    survey_id: str
    outcome: str
    outcome_item_id: str
    period_grain: str
    period_start: date
    segment_type: str
    segment_value: str

    def parts(self) -> list[str]:
        return [
            self.survey_id,
            self.outcome_item_id,
            self.period_grain,
            self.period_start.isoformat(),
            self.segment_type,
            self.segment_value,
        ]

    def seed_words(self) -> list[int]:
        """Four 32-bit words of the key's hash: the cell's own bootstrap stream."""
        digest = hashlib.sha256("|".join(self.parts()).encode("utf-8")).digest()
        return [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]

    def row_id(self, driver_item_id: str) -> str:
        parts = [*self.parts()[:2], driver_item_id, *self.parts()[2:]]
        return hashlib.md5("|".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Driver:
    item_id: str
    column: str  # its column in the answer patterns (driver_001, ...)
    name: str | None
    scale_min: int
    scale_max: int

    @property
    def top_two_threshold(self) -> float:
        """The 0..1 score of the second-best answer: its two best answers score at least this."""
        span = self.scale_max - self.scale_min
        return 1.0 - 1.0 / span if span > 0 else 0.0


@dataclass(frozen=True)
class CellPatterns:
    """Distinct answer patterns of a cell's complete responses and how many gave each."""

    outcome: FloatArray  # raw outcome score per pattern
    drivers: FloatArray  # patterns x drivers, 0..1 scores
    counts: npt.NDArray[np.int64]

    @property
    def responses(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class CellFit:
    """Per-driver results of one cell; importance arrays are None unless fitted."""

    complete_responses: int
    model_status: str
    r_squared: float | None
    weights: FloatArray | None
    ci_lower: FloatArray | None
    ci_upper: FloatArray | None
    correlation: FloatArray  # NaN where the driver or the outcome does not vary
    performance_mean: FloatArray
    top_two_box_share: FloatArray
    top_two_box_ci_lower: FloatArray
    top_two_box_ci_upper: FloatArray
    resamples: int

    @property
    def shares(self) -> FloatArray | None:
        if self.weights is None or not self.r_squared:
            return None
        return self.weights / self.r_squared

    @property
    def ranks(self) -> npt.NDArray[np.int64] | None:
        if self.weights is None:
            return None
        order = np.argsort(-self.weights, kind="stable")
        ranks = np.empty(len(order), dtype=np.int64)
        ranks[order] = np.arange(1, len(order) + 1)
        return ranks

    @property
    def quadrant_names(self) -> list[str] | None:
        if self.weights is None:
            return None
        return quadrants(self.weights, self.performance_mean)


def r_squared(correlation: FloatArray) -> float:
    """R^2 of the outcome (column 0) on the other columns, from their correlations:
    r_xy' R_xx^+ r_xy, the pseudo-inverse standing in where R_xx is singular (with the
    relative weights' tolerance, so both drop the same directions). Computed apart from
    the weights, so that their sum is checked against it, not defined by it."""
    with_outcome = correlation[1:, 0]
    inverse = np.linalg.pinv(correlation[1:, 1:], rtol=EIGENVALUE_TOLERANCE, hermitian=True)
    return float(with_outcome @ inverse @ with_outcome)


def fit_cell(
    patterns: CellPatterns,
    drivers: list[Driver],
    settings: ModelSettings,
    rng: np.random.Generator,
) -> CellFit:
    """Relative weights with their bootstrap interval, correlations and performance."""
    n = patterns.responses
    counts = patterns.counts.astype(np.float64)
    values = np.column_stack([patterns.outcome, patterns.drivers])
    correlation = weighted_correlations(values, counts)[0]
    outcome_varies = bool(np.ptp(patterns.outcome) > SCORE_TOLERANCE)
    drivers_vary = np.ptp(patterns.drivers, axis=0) > SCORE_TOLERANCE
    plain = np.where(drivers_vary & outcome_varies, correlation[1:, 0], np.nan)

    mean = counts @ patterns.drivers / n
    thresholds = np.array([driver.top_two_threshold for driver in drivers])
    in_top_two = patterns.drivers >= thresholds - SCORE_TOLERANCE
    top_two = counts @ in_top_two / n
    top_two_lower, top_two_upper = wilson_interval(top_two * n, n)

    status = FITTED
    if n < len(drivers) + 2:
        status = TOO_FEW_RESPONSES
    elif not outcome_varies:
        status = OUTCOME_CONSTANT
    weights = lower = upper = None
    fitted_r_squared = None
    resamples = 0
    if status == FITTED:
        weights = relative_weights(correlation)
        fitted_r_squared = r_squared(correlation)
        resamples = settings.resamples
        sampled = bootstrap_weights(
            values, patterns.counts, resamples, rng, settings.exact_max_responses
        )
        lower, upper = percentile_interval(sampled, CONFIDENCE_LEVEL)
    return CellFit(
        complete_responses=n,
        model_status=status,
        r_squared=fitted_r_squared,
        weights=weights,
        ci_lower=lower,
        ci_upper=upper,
        correlation=plain,
        performance_mean=mean,
        top_two_box_share=top_two,
        top_two_box_ci_lower=top_two_lower,
        top_two_box_ci_upper=top_two_upper,
        resamples=resamples,
    )
