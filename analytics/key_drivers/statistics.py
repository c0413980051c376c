"""The small statistics around the relative weights: the bootstrap of a cell's weights,
percentile intervals, the Wilson interval of a share, and the importance-performance
quadrant."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analytics.key_drivers.relative_weights import (
    FloatArray,
    correlations_from_moments,
    relative_weights,
    weighted_correlations,
)

Z_95 = 1.96


def bootstrap_weights(
    values: FloatArray,
    counts: npt.NDArray[np.int64],
    resamples: int,
    rng: np.random.Generator,
    exact_max_responses: int,
) -> FloatArray:
    """Relative weights of `resamples` bootstrap resamples of a cell (resamples x drivers).

    `values` holds one row per distinct answer pattern (outcome first, then the drivers)
    and `counts` how many respondents gave it. Up to `exact_max_responses` respondents,
    each resample draws that many respondents with replacement. Beyond, it draws the
    resample's means and mean products of the variables from their normal approximation
    (resampled_correlations_normal); the model is then fitted to each resample either way.
    """
    if int(counts.sum()) <= exact_max_responses:
        taken = resampled_counts(counts, resamples, rng)
        return relative_weights(weighted_correlations(values, taken))
    return relative_weights(resampled_correlations_normal(values, counts, resamples, rng))


def resampled_counts(
    counts: npt.NDArray[np.int64], resamples: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """How often each pattern is drawn when n respondents are drawn with replacement,
    per resample (resamples x patterns): the ordinary bootstrap."""
    total = int(counts.sum())
    patterns = len(counts)
    pattern_of_respondent = np.repeat(np.arange(patterns), counts)
    drawn = pattern_of_respondent[rng.integers(0, total, size=(resamples, total))]
    drawn += np.arange(resamples)[:, None] * patterns
    return np.bincount(drawn.ravel(), minlength=resamples * patterns).reshape(resamples, patterns)


def resampled_correlations_normal(
    values: FloatArray,
    counts: npt.NDArray[np.int64],
    resamples: int,
    rng: np.random.Generator,
) -> FloatArray:
    """Correlation matrices of bootstrap resamples, through the resamples' moments.

    A resample's correlation matrix depends on it only through the mean, over its n
    respondents, of each variable and of each product of two variables. Drawing n
    respondents with replacement makes that vector of means a mean of n independent
    draws from the cell's own answers: its mean and covariance are known exactly (the
    cell's, and the cell's covariance of those terms over n), and for large n it is
    normal (central limit theorem; the terms are bounded, answers being on fixed scales).
    Drawing it from that normal costs the same for a thousand respondents or a million,
    where drawing the respondents costs n per resample. The weights stay the nonlinear
    function of each resample's correlations, so the skew of their distribution is kept.
    """
    total = float(counts.sum())
    shares = counts / total
    centred = values - shares @ values
    columns = centred.shape[1]
    rows, cols = np.triu_indices(columns)
    terms = np.hstack([centred, centred[:, rows] * centred[:, cols]])
    mean = shares @ terms
    spread = terms - mean
    covariance = (spread * shares[:, None]).T @ spread
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    root = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    draws = mean + (rng.standard_normal((resamples, len(mean))) @ root.T) / np.sqrt(total)
    second = np.empty((resamples, columns, columns))
    second[:, rows, cols] = draws[:, columns:]
    second[:, cols, rows] = draws[:, columns:]
    return correlations_from_moments(draws[:, :columns], second)


def percentile_interval(samples: FloatArray, level: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """The bootstrap percentile interval of each column: its (1 - level)/2 and
    (1 + level)/2 quantiles."""
    tail = (1.0 - level) / 2.0
    lower, upper = np.quantile(samples, [tail, 1.0 - tail], axis=0)
    return lower, upper


def wilson_interval(
    successes: FloatArray, n: float, z: float = Z_95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval of a proportion, as shares 0..1 (as METRICS.md has for CSAT)."""
    share = successes / n
    centre = share + z * z / (2.0 * n)
    margin = z * np.sqrt(share * (1.0 - share) / n + z * z / (4.0 * n * n))
    denominator = 1.0 + z * z / n
    # Clipped: at a share of 0 or 1 rounding could otherwise leave the interval by 1e-17.
    lower = np.clip((centre - margin) / denominator, 0.0, 1.0)
    upper = np.clip((centre + margin) / denominator, 0.0, 1.0)
    return lower, upper


FIX_FIRST = "fix_first"
KEEP_UP = "keep_up"
POSSIBLE_OVERKILL = "possible_overkill"
SECONDARY = "secondary"


def quadrants(importance: FloatArray, performance: FloatArray) -> list[str]:
    """Each driver's importance-performance quadrant against the medians of its cell.

    A driver is above a median only when strictly greater: one equal to it (the middle
    driver of an odd number, or drivers tied there) counts as below. Importance then
    needs to stand out to make a driver fix_first or keep_up, and a performance at the
    median counts as one that could be better.
    """
    high_importance = importance > np.median(importance)
    high_performance = performance > np.median(performance)
    names = []
    for important, performing in zip(high_importance, high_performance, strict=True):
        if important:
            names.append(KEEP_UP if performing else FIX_FIRST)
        else:
            names.append(POSSIBLE_OVERKILL if performing else SECONDARY)
    return names
