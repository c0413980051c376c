"""Johnson's relative weights against published results, and on cases worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.key_drivers.model import r_squared
from analytics.key_drivers.relative_weights import relative_weights, weighted_correlations
from analytics.key_drivers.statistics import (
    bootstrap_weights,
    percentile_interval,
    resampled_counts,
)

# R's `mtcars` data set (Henderson & Velleman 1981, from Motor Trend 1974; R datasets
# package), the columns used below, one car per row in R's order.
MTCARS_COLUMNS = ("mpg", "cyl", "disp", "hp", "wt", "gear")
MTCARS = np.array(
    [
        (21.0, 6, 160.0, 110, 2.620, 4),  # Mazda RX4
        (21.0, 6, 160.0, 110, 2.875, 4),  # Mazda RX4 Wag
        (22.8, 4, 108.0, 93, 2.320, 4),  # Datsun 710
        (21.4, 6, 258.0, 110, 3.215, 3),  # Hornet 4 Drive
        (18.7, 8, 360.0, 175, 3.440, 3),  # Hornet Sportabout
        (18.1, 6, 225.0, 105, 3.460, 3),  # Valiant
        (14.3, 8, 360.0, 245, 3.570, 3),  # Duster 360
        (24.4, 4, 146.7, 62, 3.190, 4),  # Merc 240D
        (22.8, 4, 140.8, 95, 3.150, 4),  # Merc 230
        (19.2, 6, 167.6, 123, 3.440, 4),  # Merc 280
        (17.8, 6, 167.6, 123, 3.440, 4),  # Merc 280C
        (16.4, 8, 275.8, 180, 4.070, 3),  # Merc 450SE
        (17.3, 8, 275.8, 180, 3.730, 3),  # Merc 450SL
        (15.2, 8, 275.8, 180, 3.780, 3),  # Merc 450SLC
        (10.4, 8, 472.0, 205, 5.250, 3),  # Cadillac Fleetwood
        (10.4, 8, 460.0, 215, 5.424, 3),  # Lincoln Continental
        (14.7, 8, 440.0, 230, 5.345, 3),  # Chrysler Imperial
        (32.4, 4, 78.7, 66, 2.200, 4),  # Fiat 128
        (30.4, 4, 75.7, 52, 1.615, 4),  # Honda Civic
        (33.9, 4, 71.1, 65, 1.835, 4),  # Toyota Corolla
        (21.5, 4, 120.1, 97, 2.465, 3),  # Toyota Corona
        (15.5, 8, 318.0, 150, 3.520, 3),  # Dodge Challenger
        (15.2, 8, 304.0, 150, 3.435, 3),  # AMC Javelin
        (13.3, 8, 350.0, 245, 3.840, 3),  # Camaro Z28
        (19.2, 8, 400.0, 175, 3.845, 3),  # Pontiac Firebird
        (27.3, 4, 79.0, 66, 1.935, 4),  # Fiat X1-9
        (26.0, 4, 120.3, 91, 2.140, 5),  # Porsche 914-2
        (30.4, 4, 95.1, 113, 1.513, 5),  # Lotus Europa
        (15.8, 8, 351.0, 264, 3.170, 5),  # Ford Pantera L
        (19.7, 6, 145.0, 175, 2.770, 5),  # Ferrari Dino
        (15.0, 8, 301.0, 335, 3.570, 5),  # Maserati Bora
        (21.4, 4, 121.0, 109, 2.780, 4),  # Volvo 142E
    ]
)


def mtcars(*columns: str) -> np.ndarray:
    return MTCARS[:, [MTCARS_COLUMNS.index(column) for column in columns]]


def fit(values: np.ndarray) -> tuple[np.ndarray, float]:
    correlation = weighted_correlations(values, np.ones(len(values)))[0]
    return relative_weights(correlation), r_squared(correlation)


@pytest.mark.parametrize(
    ("predictors", "published_weights", "published_r_squared"),
    [
        # R package rwa 0.1.1 (Martin Chan), README "Basic example":
        # rwa(mtcars, outcome = "mpg", predictors = c("cyl", "disp", "hp", "gear"))
        # https://github.com/martinctc/rwa/blob/029a5687c50e7ea99a4c46230695e63a2a0d2a3f/README.md
        # (DESCRIPTION at that commit: Version 0.1.1). Raw.RelWeight and $rsquare:
        (
            ("cyl", "disp", "hp", "gear"),
            (0.2284797, 0.2221469, 0.2321744, 0.0963886),
            0.7791896,
        ),
        # The same package's vignette "Regression Methods: Multiple and Logistic RWA",
        # rwa_multiregress(mtcars, "mpg", c("cyl", "disp", "hp", "wt")):
        # https://martinctc.github.io/rwa/articles/regression-methods.html
        # Raw.RelWeight, and "R-squared: 0.8486" (printed to four places):
        (
            ("cyl", "disp", "hp", "wt"),
            (0.2096904, 0.1883043, 0.1799590, 0.2706812),
            0.8486,
        ),
    ],
)
def test_weights_match_the_rwa_package_on_mtcars(
    predictors: tuple[str, ...],
    published_weights: tuple[float, ...],
    published_r_squared: float,
) -> None:
    weights, fitted_r_squared = fit(mtcars("mpg", *predictors))
    assert weights == pytest.approx(published_weights, abs=5e-8)
    assert fitted_r_squared == pytest.approx(published_r_squared, abs=5e-5)
    assert weights.sum() == pytest.approx(fitted_r_squared, abs=1e-12)


def test_r_squared_is_the_least_squares_fit() -> None:
    values = mtcars("mpg", "cyl", "disp", "hp", "wt")
    design = np.column_stack([np.ones(len(values)), values[:, 1:]])
    coefficients, *_ = np.linalg.lstsq(design, values[:, 0], rcond=None)
    residual = values[:, 0] - design @ coefficients
    centred = values[:, 0] - values[:, 0].mean()
    expected = 1 - residual @ residual / (centred @ centred)
    assert fit(values)[1] == pytest.approx(expected, abs=1e-12)


def test_two_perfectly_correlated_drivers_share_equally() -> None:
    """Worked by hand: with x2 = x1 the correlation matrix of the drivers is singular;
    R^2 is that of y on x1 alone, r^2, and each copy of x1 gets half of it."""
    rng = np.random.default_rng(3)
    x1 = rng.normal(size=300)
    y = 0.8 * x1 + rng.normal(size=300)
    r = np.corrcoef(x1, y)[0, 1]
    weights, fitted_r_squared = fit(np.column_stack([y, x1, x1]))
    assert weights[0] == pytest.approx(weights[1], abs=1e-12)
    assert weights == pytest.approx([r * r / 2, r * r / 2], abs=1e-12)
    assert fitted_r_squared == pytest.approx(r * r, abs=1e-12)


def test_a_copy_rescaled_still_shares_equally_beside_a_third_driver() -> None:
    """Correlation ignores scale: 5 * x1 + 2 is the same driver as x1 for the model."""
    rng = np.random.default_rng(4)
    x1, x3 = rng.normal(size=(2, 400))
    y = x1 + 0.5 * x3 + rng.normal(size=400)
    weights, fitted_r_squared = fit(np.column_stack([y, x1, 5 * x1 + 2, x3]))
    assert weights[0] == pytest.approx(weights[1], abs=1e-10)
    _, alone_r_squared = fit(np.column_stack([y, x1, x3]))
    assert fitted_r_squared == pytest.approx(alone_r_squared, abs=1e-10)
    assert weights.sum() == pytest.approx(fitted_r_squared, abs=1e-12)


def test_a_driver_that_never_varies_gets_no_weight() -> None:
    rng = np.random.default_rng(5)
    x1 = rng.normal(size=100)
    y = x1 + rng.normal(size=100)
    weights, fitted_r_squared = fit(np.column_stack([y, x1, np.full(100, 4.0)]))
    assert weights[1] == 0.0
    assert weights[0] == pytest.approx(fitted_r_squared, abs=1e-12)
    assert fitted_r_squared == pytest.approx(np.corrcoef(x1, y)[0, 1] ** 2, abs=1e-12)


def test_weights_sum_to_r_squared_on_random_data() -> None:
    rng = np.random.default_rng(6)
    for drivers in (1, 2, 5, 9):
        mixing = rng.normal(size=(drivers, drivers))
        x = rng.normal(size=(250, drivers)) @ mixing
        y = x @ rng.normal(size=drivers) + rng.normal(size=250) * 3
        weights, fitted_r_squared = fit(np.column_stack([y, x]))
        assert (weights >= 0).all()
        assert weights.sum() == pytest.approx(fitted_r_squared, abs=1e-10)


def test_counted_patterns_give_the_weights_of_the_rows_they_stand_for() -> None:
    """A pattern counted k times weighs as k identical rows."""
    rng = np.random.default_rng(7)
    patterns = rng.integers(1, 6, size=(40, 4)).astype(float)
    counts = rng.integers(1, 9, size=40)
    expanded = np.repeat(patterns, counts, axis=0)
    by_rows = relative_weights(weighted_correlations(expanded, np.ones(len(expanded))))
    by_counts = relative_weights(weighted_correlations(patterns, counts.astype(float)))
    assert by_counts == pytest.approx(by_rows, abs=1e-12)


def test_bootstrap_is_reproducible_for_a_seed_and_varies_with_it() -> None:
    values = mtcars("mpg", "cyl", "disp", "hp", "wt")
    counts = np.ones(len(values), dtype=np.int64)
    first = bootstrap_weights(values, counts, 200, np.random.default_rng(11), 2000)
    again = bootstrap_weights(values, counts, 200, np.random.default_rng(11), 2000)
    other = bootstrap_weights(values, counts, 200, np.random.default_rng(12), 2000)
    assert first.shape == (200, 4)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)
    # Each resample is a data set of 32 cars drawn with replacement: its weights sum to
    # its own R^2, between 0 and 1.
    assert ((first.sum(axis=1) > 0) & (first.sum(axis=1) <= 1)).all()


def test_resampled_counts_draw_n_respondents_from_the_patterns() -> None:
    counts = np.array([5, 1, 0, 14], dtype=np.int64)
    taken = resampled_counts(counts, 4000, np.random.default_rng(8))
    assert taken.shape == (4000, 4)
    assert (taken.sum(axis=1) == 20).all()
    assert (taken[:, 2] == 0).all()  # a pattern nobody gave is never drawn
    # Each pattern's count is binomial(n, count / n): mean count, variance n p (1 - p).
    assert taken.mean(axis=0) == pytest.approx([5, 1, 0, 14], abs=0.15)
    assert taken[:, 3].var() == pytest.approx(20 * 0.7 * 0.3, rel=0.1)


def survey_like_cell(respondents: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Answer patterns like the sample survey's: a latent satisfaction drives an NPS on
    0..10 and five 1..5 drivers (scored 0..1) with different strengths."""
    rng = np.random.default_rng(seed)
    satisfaction = rng.random(respondents)
    nps = np.clip(np.round(10.5 * satisfaction + 0.5 + rng.normal(0, 1, respondents)), 0, 10)
    strengths = np.array([0.85, 0.8, 0.75, 0.55, 0.45])
    level = strengths * satisfaction[:, None] + (1 - strengths) * rng.random((respondents, 5))
    drivers = np.clip(np.round(1 + 4 * level + rng.normal(0, 0.5, (respondents, 5))), 1, 5)
    rows = np.column_stack([nps, (drivers - 1) / 4])
    patterns, counts = np.unique(rows, axis=0, return_counts=True)
    return patterns, counts.astype(np.int64)


def test_the_normal_moments_bootstrap_agrees_with_resampling_respondents() -> None:
    """Above EXACT_BOOTSTRAP_MAX_RESPONSES a cell's resamples are drawn through their
    moments; on a 1500-response cell both ways give the same interval, to within the
    Monte Carlo error of 1000 resamples (each end moves by about 0.085 bootstrap
    standard errors between seeds)."""
    patterns, counts = survey_like_cell(1500, seed=9)
    exact = bootstrap_weights(patterns, counts, 1000, np.random.default_rng(1), 10_000)
    normal = bootstrap_weights(patterns, counts, 1000, np.random.default_rng(2), 0)
    exact_lower, exact_upper = percentile_interval(exact)
    normal_lower, normal_upper = percentile_interval(normal)
    spread = exact.std(axis=0)
    assert normal.std(axis=0) == pytest.approx(spread, rel=0.1)
    assert np.abs(normal_lower - exact_lower).max() <= (0.4 * spread).max()
    assert (np.abs(normal_lower - exact_lower) <= 0.4 * spread).all()
    assert (np.abs(normal_upper - exact_upper) <= 0.4 * spread).all()
    assert normal.mean(axis=0) == pytest.approx(exact.mean(axis=0), abs=(0.2 * spread).max())
