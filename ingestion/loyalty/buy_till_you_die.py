"""BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader & Hardie 2013) models.

The `lifetimes` package that made these models popular is unmaintained and not installed;
the published log-likelihoods are short, so they are fitted here by maximum likelihood
with scipy.optimize on log-parameters (which keeps every parameter positive).

Inputs per customer, in one time unit (weeks in this project):
- frequency: repeat purchases (purchase occasions after the first),
- recency: time from the first to the last purchase,
- age: time from the first purchase to the end of the observation period,
- monetary: mean value of the repeat purchases (Gamma-Gamma only, frequency > 0).
"""

from __future__ import annotations

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


def bg_nbd_log_likelihood(
    params: BgNbdParameters, frequency: FloatArray, recency: FloatArray, age: FloatArray
) -> FloatArray:
    """Per-customer log-likelihood, equation (6) of Fader, Hardie & Lee (2005)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = frequency
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = (
        special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    a3 = -(r + x) * np.log(alpha + age)
    has_repeat = x > 0
    # For x = 0 the second term is absent; b + x - 1 would be negative, so guard it.
    a4 = np.where(
        has_repeat,
        np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + recency),
        -np.inf,
    )
    return np.asarray(a1 + a2 + np.logaddexp(a3, a4), dtype=np.float64)


def fit_bg_nbd(
    frequency: FloatArray, recency: FloatArray, age: FloatArray, *, min_customers: int = 50
) -> BgNbdParameters:
    """Maximum-likelihood BG/NBD parameters; ModelFitError when the data cannot support them."""
    _check_inputs(frequency, recency, age, min_customers=min_customers)
    if not np.any(frequency > 0):
        raise ModelFitError("BG/NBD needs customers with repeat purchases; there are none")

    def negative_log_likelihood(log_params: FloatArray) -> float:
        params = BgNbdParameters(*np.exp(log_params))
        return -float(np.sum(bg_nbd_log_likelihood(params, frequency, recency, age)))

    scale = float(np.mean(age)) or 1.0
    start = np.log(np.array([1.0, scale, 1.0, 1.0]))
    result = optimize.minimize(
        negative_log_likelihood,
        start,
        method="Nelder-Mead",
        options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-8},
    )
    if not result.success or not np.isfinite(result.fun):
        raise ModelFitError(f"BG/NBD did not converge: {result.message}")
    return BgNbdParameters(*np.exp(result.x))


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
    p, q, gamma = params.p, params.q, params.gamma
    x, m = frequency, monetary
    return np.asarray(
        special.gammaln(p * x + q)
        - special.gammaln(p * x)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(gamma + x * m),
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

    def negative_log_likelihood(log_params: FloatArray) -> float:
        params = GammaGammaParameters(*np.exp(log_params))
        return -float(np.sum(gamma_gamma_log_likelihood(params, frequency, monetary)))

    start = np.log(np.array([1.0, 2.0, float(np.mean(monetary))]))
    result = optimize.minimize(
        negative_log_likelihood,
        start,
        method="Nelder-Mead",
        options={"maxiter": 4000, "xatol": 1e-6, "fatol": 1e-8},
    )
    if not result.success or not np.isfinite(result.fun):
        raise ModelFitError(f"Gamma-Gamma did not converge: {result.message}")
    params = GammaGammaParameters(*np.exp(result.x))
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
