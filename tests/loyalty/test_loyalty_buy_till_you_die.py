"""BG/NBD and Gamma-Gamma: likelihoods against hand-computed values, recovery of known
parameters from simulated customers, and refusal when the data cannot support a fit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.loyalty import buy_till_you_die as btyd
from analytics.loyalty.lifetime_value import predict_lifetime_value


def test_bg_nbd_log_likelihood_matches_the_formula_by_hand() -> None:
    params = btyd.BgNbdParameters(r=1.0, alpha=2.0, a=1.0, b=2.0)
    # x = 0, T = 2: A1 = ln 2, A2 = ln Γ(3) - ln Γ(3) = 0, A3 = -ln 4 -> ln(2/4).
    # x = 1, t_x = 1, T = 2: A1 = ln Γ(2) - ln Γ(1) + ln 2 = ln 2,
    # A2 = ln Γ(3) + ln Γ(3) - ln Γ(2) - ln Γ(4) = ln(2 * 2 / 6) = ln(2/3),
    # exp(A3) = 4^-2 = 1/16, exp(A4) = (a / (b + x - 1)) * 3^-2 = 1/2 * 1/9 = 1/18.
    expected_zero = math.log(0.5)
    expected_one = math.log(2) + math.log(2 / 3) + math.log(1 / 16 + 1 / 18)
    result = btyd.bg_nbd_log_likelihood(
        params, np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.array([2.0, 2.0])
    )
    assert result == pytest.approx([expected_zero, expected_one], rel=1e-12)


def test_gamma_gamma_expected_value_shrinks_toward_the_population_mean() -> None:
    params = btyd.GammaGammaParameters(p=2.0, q=3.0, gamma=50.0)
    # Population mean p * gamma / (q - 1) = 50; one purchase of 150:
    # (gamma + x m) p / (p x + q - 1) = 200 * 2 / 4 = 100.
    values = btyd.expected_average_value(params, np.array([0.0, 1.0]), np.array([0.0, 150.0]))
    assert values == pytest.approx([50.0, 100.0])


def simulate_bg_nbd(
    rng: np.random.Generator, params: btyd.BgNbdParameters, customers: int, age: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers from the BG/NBD story: Poisson purchases, dropout after each purchase."""
    rates = rng.gamma(params.r, 1 / params.alpha, customers)
    dropouts = rng.beta(params.a, params.b, customers)
    frequency = np.zeros(customers)
    recency = np.zeros(customers)
    for index in range(customers):
        clock = 0.0
        while True:
            clock += rng.exponential(1 / rates[index])
            if clock > age:
                break
            frequency[index] += 1
            recency[index] = clock
            if rng.random() < dropouts[index]:
                break
    return frequency, recency, np.full(customers, age)


def test_fit_recovers_known_bg_nbd_parameters() -> None:
    truth = btyd.BgNbdParameters(r=0.8, alpha=4.0, a=0.8, b=2.5)
    frequency, recency, age = simulate_bg_nbd(np.random.default_rng(3), truth, 4000, 52.0)
    fitted = btyd.fit_bg_nbd(frequency, recency, age)
    assert fitted.r == pytest.approx(truth.r, rel=0.15)
    assert fitted.alpha == pytest.approx(truth.alpha, rel=0.2)
    assert fitted.a / (fitted.a + fitted.b) == pytest.approx(truth.a / (truth.a + truth.b), rel=0.2)
    # A customer who bought often and recently outlives one who stopped long ago.
    alive = btyd.probability_alive(
        fitted, np.array([5.0, 5.0]), np.array([50.0, 5.0]), np.array([52.0, 52.0])
    )
    assert alive[0] > 0.8 > 0.2 > alive[1]
    expected = btyd.expected_purchases(
        fitted, 52.0, np.array([5.0, 5.0]), np.array([50.0, 5.0]), np.array([52.0, 52.0])
    )
    assert expected[0] > expected[1] > 0


def test_log_likelihood_stays_exact_when_dropout_vanishes() -> None:
    # a / (a + b) = 4.5e-9: the beta term, ln B(a, b + x) / B(a, b), is about -x * 4.5e-9 and
    # must not drown in the rounding of four ln Γ values of about 2e17 each.
    params = btyd.BgNbdParameters(r=2.0, alpha=10.0, a=2.6e7, b=5.75e15)
    frequency, recency, age = np.array([1.0, 3.0]), np.array([20.0, 20.0]), np.array([30.0, 30.0])
    without_dropout = btyd.BgNbdParameters(r=2.0, alpha=10.0, a=1e-300, b=1.0)
    result = btyd.bg_nbd_log_likelihood(params, frequency, recency, age)
    limit = btyd.bg_nbd_log_likelihood(without_dropout, frequency, recency, age)
    assert result == pytest.approx(limit, abs=1e-6)


def test_customers_with_one_rate_and_no_dropout_still_get_finite_predictions() -> None:
    # Every customer buys at the same Poisson rate and never drops out: the likelihood is
    # best at infinite r and alpha, where the hypergeometric term overflows.
    rng = np.random.default_rng(11)
    customers, age = 3000, 52.0
    frequency = np.zeros(customers)
    recency = np.zeros(customers)
    for index in range(customers):
        # Repeat purchases after the first one at time 0.
        times = np.cumsum(rng.exponential(1 / 0.2, 40))
        repeats = times[times <= age]
        frequency[index] = repeats.size
        recency[index] = repeats[-1] if repeats.size else 0.0
    fitted = btyd.fit_bg_nbd(frequency, recency, np.full(customers, age))
    assert fitted.r / fitted.alpha == pytest.approx(0.2, rel=0.1)
    expected = btyd.expected_purchases(fitted, 52.0, frequency, recency, np.full(customers, age))
    assert np.isfinite(expected).all()
    assert expected.mean() == pytest.approx(0.2 * 52.0, rel=0.15)


def test_too_few_customers_are_refused_with_a_reason() -> None:
    with pytest.raises(btyd.ModelFitError, match="at least 50 customers, got 3"):
        btyd.fit_bg_nbd(np.array([1.0, 0, 2]), np.array([3.0, 0, 4]), np.array([5.0, 5, 5]))


def test_recency_beyond_age_is_bad_input() -> None:
    with pytest.raises(ValueError, match="recency <= age"):
        btyd.fit_bg_nbd(np.ones(60), np.full(60, 6.0), np.full(60, 5.0))


def test_prediction_leaves_columns_null_and_says_why_when_data_is_thin() -> None:
    history = pd.DataFrame(
        {
            "customer_id": ["C1", "C2"],
            "repeat_purchase_days": [1, 0],
            "recency_days": [30, 0],
            "age_days": [60, 10],
            "historic_net_spend": [200.0, 80.0],
            "repeat_average_value": [120.0, None],
        }
    )
    rows, result = predict_lifetime_value(history)
    assert result.model_status.startswith("not_predicted: BG/NBD needs at least 50 customers")
    assert rows["predicted_value"].isna().all()
    assert rows["historic_net_spend"].tolist() == [200.0, 80.0]
