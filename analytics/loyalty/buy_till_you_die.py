"""BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013) models.

The `lifetimes` package that made these models popular is unmaintained and not installed;
the published log-likelihoods are short, so they are fitted here by maximum likelihood
with scipy.optimize (L-BFGS-B) on log-parameters, which keeps every parameter positive.

Inputs per customer, in one time unit (weeks in this project):
- frequency: repeat purchases (purchase occasions after the first),
- recency: time from the first to the last purchase,
- age: time from the first purchase to the end of the observation period,
- monetary: mean value of the repeat purchases (Gamma-Gamma only, frequency > 0).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, special

FloatArray = npt.NDArray[np.float64]


class ModelFitError(RuntimeError):
    """The data do not support the model (too few customers or no convergence)."""


@dataclass(frozen=True)
class BgNbdParameters:
    r: float
    alpha: float
    a: float
    b: float


@dataclass(frozen=True)
class GammaGammaParameters:
    p: float
    q: float
    gamma: float


@dataclass(frozen=True)
class _Counts:
    """Repeat-purchase counts as their distinct values plus an index back to customers:
    the terms that depend only on the count are computed once per distinct value."""

    values: FloatArray
    index: npt.NDArray[np.intp]

    @classmethod
    def of(cls, frequency: FloatArray) -> _Counts:
        values, index = np.unique(frequency, return_inverse=True)
        return cls(values.astype(np.float64), index)


def bg_nbd_log_likelihood(
    params: BgNbdParameters, frequency: FloatArray, recency: FloatArray, age: FloatArray
) -> FloatArray:
    """Per-customer log-likelihood, equation (6) of Fader, Hardie & Lee (2005)."""
    return _bg_nbd_log_likelihood(params, _Counts.of(frequency), recency, age)


def _bg_nbd_log_likelihood(
    params: BgNbdParameters, counts: _Counts, recency: FloatArray, age: FloatArray
) -> FloatArray:
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = counts.values
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    # ln B(a, b + x) - ln B(a, b), which is ln Γ(a + b) + ln Γ(b + x) - ln Γ(b) - ln Γ(a + b + x)
    # without the cancellation of four huge terms when a and b grow large (data without
    # dropout push them there, and the difference of the Γ terms is then rounding noise).
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    # For x = 0 the second term is absent; b + x - 1 would be negative, so guard it.
    a4_count = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)), -np.inf)
    per_customer_x = x[counts.index]
    a3 = -(r + per_customer_x) * np.log(alpha + age)
    a4 = a4_count[counts.index] - (r + per_customer_x) * np.log(alpha + recency)
    return np.asarray((a1 + a2)[counts.index] + np.logaddexp(a3, a4), dtype=np.float64)


# Log-parameters stay within exp(±LOG_PARAMETER_BOUND), and a ridge this small on them
# changes no real fit but picks one point where the likelihood is flat: customers who all
# buy at the same rate, or never drop out, have their best fit at infinite r and alpha (or
# a and b), where the hypergeometric term of the predictions overflows.
LOG_PARAMETER_BOUND = 25.0
LOG_PARAMETER_RIDGE = 1e-6


def _maximise_likelihood(
    negative_mean_log_likelihood: Callable[[FloatArray], float], start: FloatArray, model: str
) -> FloatArray:
    """Minimise the mean negative log-likelihood over log-parameters with L-BFGS-B (the
    mean keeps the tolerances independent of how many customers there are)."""

    def objective(log_params: FloatArray) -> float:
        ridge = LOG_PARAMETER_RIDGE * float(np.sum(log_params**2))
        return negative_mean_log_likelihood(log_params) + ridge

    result = optimize.minimize(
        objective,
        start,
        method="L-BFGS-B",
        bounds=[(-LOG_PARAMETER_BOUND, LOG_PARAMETER_BOUND)] * start.size,
    )
    if not result.success or not np.isfinite(result.fun):
        raise ModelFitError(f"{model} did not converge: {result.message}")
    return np.asarray(np.exp(result.x), dtype=np.float64)


def fit_bg_nbd(
    frequency: FloatArray, recency: FloatArray, age: FloatArray, *, min_customers: int = 50
) -> BgNbdParameters:
    """Maximum-likelihood BG/NBD parameters; ModelFitError when the data cannot support them."""
    _check_inputs(frequency, recency, age, min_customers=min_customers)
    if not np.any(frequency > 0):
        raise ModelFitError("BG/NBD needs customers with repeat purchases; there are none")
    counts = _Counts.of(frequency)

    def negative_mean_log_likelihood(log_params: FloatArray) -> float:
        params = BgNbdParameters(*np.exp(log_params))
        return -float(np.mean(_bg_nbd_log_likelihood(params, counts, recency, age)))

    scale = float(np.mean(age)) or 1.0
    start = np.log(np.array([1.0, scale, 1.0, 1.0]))
    return BgNbdParameters(*_maximise_likelihood(negative_mean_log_likelihood, start, "BG/NBD"))


def probability_alive(
    params: BgNbdParameters, frequency: FloatArray, recency: FloatArray, age: FloatArray
) -> FloatArray:
    """P(customer still active at the end of the period), equation (11)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    odds = np.where(
        frequency > 0,
        a
        / np.maximum(b + frequency - 1, 1e-300)
        * ((alpha + age) / (alpha + recency)) ** (r + frequency),
        0.0,
    )
    return np.asarray(1.0 / (1.0 + odds), dtype=np.float64)


def expected_purchases(
    params: BgNbdParameters,
    horizon: float,
    frequency: FloatArray,
    recency: FloatArray,
    age: FloatArray,
) -> FloatArray:
    """Expected purchases in the next `horizon` time units, equation (10)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = frequency
    hypergeometric = special.hyp2f1(r + x, b + x, a + b + x - 1, horizon / (alpha + age + horizon))
    numerator = (
        (a + b + x - 1)
        / (a - 1)
        * (1 - ((alpha + age) / (alpha + age + horizon)) ** (r + x) * hypergeometric)
    )
    return np.asarray(numerator * probability_alive(params, x, recency, age), dtype=np.float64)


def gamma_gamma_log_likelihood(
    params: GammaGammaParameters, frequency: FloatArray, monetary: FloatArray
) -> FloatArray:
    """Per-customer log-likelihood of the mean spend of `frequency` purchases (x >= 1)."""
    return _gamma_gamma_log_likelihood(params, _Counts.of(frequency), monetary)


def _gamma_gamma_log_likelihood(
    params: GammaGammaParameters, counts: _Counts, monetary: FloatArray
) -> FloatArray:
    p, q, gamma = params.p, params.q, params.gamma
    x, m = counts.values, monetary
    per_count = (
        special.gammaln(p * x + q) - special.gammaln(p * x) - special.gammaln(q) + q * np.log(gamma)
    )
    px = p * x[counts.index]
    return np.asarray(
        (per_count + p * x * np.log(x))[counts.index]
        + (px - 1) * np.log(m)
        - (px + q) * np.log(gamma + x[counts.index] * m),
        dtype=np.float64,
    )


def fit_gamma_gamma(
    frequency: FloatArray, monetary: FloatArray, *, min_customers: int = 30
) -> GammaGammaParameters:
    """Maximum-likelihood Gamma-Gamma parameters from customers with repeat purchases."""
    if frequency.shape != monetary.shape:
        raise ValueError("frequency and monetary must have the same length")
    if np.any(frequency <= 0) or np.any(monetary <= 0):
        raise ValueError("Gamma-Gamma takes customers with frequency > 0 and monetary > 0 only")
    if frequency.size < min_customers:
        raise ModelFitError(
            f"Gamma-Gamma needs at least {min_customers} repeat customers, got {frequency.size}"
        )
    counts = _Counts.of(frequency)

    def negative_mean_log_likelihood(log_params: FloatArray) -> float:
        params = GammaGammaParameters(*np.exp(log_params))
        return -float(np.mean(_gamma_gamma_log_likelihood(params, counts, monetary)))

    start = np.log(np.array([1.0, 2.0, float(np.mean(monetary))]))
    params = GammaGammaParameters(
        *_maximise_likelihood(negative_mean_log_likelihood, start, "Gamma-Gamma")
    )
    if params.q <= 1:
        raise ModelFitError(f"Gamma-Gamma q = {params.q:.3f} <= 1: expected spend is undefined")
    return params


def expected_average_value(
    params: GammaGammaParameters, frequency: FloatArray, monetary: FloatArray
) -> FloatArray:
    """E[mean spend | x, m_x]: a weighted mean of the population mean and the customer's own.

    Customers without repeat purchases get the population mean p * gamma / (q - 1).
    """
    p, q, gamma = params.p, params.q, params.gamma
    population_mean = p * gamma / (q - 1)
    individual = (gamma + frequency * monetary) * p / (p * frequency + q - 1)
    return np.asarray(np.where(frequency > 0, individual, population_mean), dtype=np.float64)


def _check_inputs(
    frequency: FloatArray, recency: FloatArray, age: FloatArray, *, min_customers: int
) -> None:
    if not (frequency.shape == recency.shape == age.shape):
        raise ValueError("frequency, recency and age must have the same length")
    if frequency.size < min_customers:
        raise ModelFitError(
            f"BG/NBD needs at least {min_customers} customers, got {frequency.size}"
        )
    if np.any(frequency < 0) or np.any(recency < 0) or np.any(recency > age):
        raise ValueError("need frequency >= 0 and 0 <= recency <= age for every customer")
