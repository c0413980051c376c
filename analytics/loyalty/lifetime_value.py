"""Historic and predicted customer lifetime value, written to marts.dim_customer_lifetime_value.

Historic value is net spend to date. Predicted value over a horizon is BG/NBD expected
purchases times the Gamma-Gamma expected average value; where the data cannot support
the models (too few customers or repeat buyers, no convergence) the predicted columns
stay null and model_status says why, never a made-up number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics.loyalty import buy_till_you_die as btyd
from ingestion.warehouse import connect

SQL_DIR = Path(__file__).resolve().parent / "sql"
DAYS_PER_WEEK = 7.0
# Name under which the computed rows are registered for the insert statement.
ROWS_RELATION = "customer_lifetime_value_rows"


@dataclass(frozen=True)
class LifetimeValueResult:
    customers: int
    predicted_customers: int
    model_status: str
    historic_net_spend: float
    predicted_value: float
    bg_nbd: btyd.BgNbdParameters | None
    gamma_gamma: btyd.GammaGammaParameters | None


def _read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def purchase_history(
    conn: duckdb.DuckDBPyConnection, as_of_date: date | None = None
) -> pd.DataFrame:
    """Per-customer frequency, recency, age and spend from marts.fct_orders."""
    return conn.execute(_read_sql("customer_purchase_history.sql"), {"as_of_date": as_of_date}).df()


def predict_lifetime_value(
    history: pd.DataFrame, *, horizon_days: int = 365, min_customers: int = 50
) -> tuple[pd.DataFrame, LifetimeValueResult]:
    """Add probability_alive, expected_purchases, expected_average_value, predicted_value."""
    if horizon_days <= 0:
        raise ValueError(f"horizon_days must be positive, got {horizon_days}")
    rows = history.copy()
    frequency = rows["repeat_purchase_days"].to_numpy(dtype=np.float64)
    recency = rows["recency_days"].to_numpy(dtype=np.float64) / DAYS_PER_WEEK
    age = rows["age_days"].to_numpy(dtype=np.float64) / DAYS_PER_WEEK
    monetary = rows["repeat_average_value"].to_numpy(dtype=np.float64)

    for column in (
        "probability_alive",
        "expected_purchases",
        "expected_average_value",
        "predicted_value",
    ):
        rows[column] = np.nan
    bg_nbd = gamma_gamma = None
    try:
        bg_nbd = btyd.fit_bg_nbd(frequency, recency, age, min_customers=min_customers)
        repeat = (frequency > 0) & np.isfinite(monetary) & (monetary > 0)
        gamma_gamma = btyd.fit_gamma_gamma(
            frequency[repeat], monetary[repeat], min_customers=min(30, min_customers)
        )
        status = "predicted"
    except btyd.ModelFitError as error:
        status = f"not_predicted: {error}"

    purchases: btyd.FloatArray | None = None
    if bg_nbd is not None and gamma_gamma is not None:
        horizon = horizon_days / DAYS_PER_WEEK
        purchases = btyd.expected_purchases(bg_nbd, horizon, frequency, recency, age)
        not_finite = int(np.count_nonzero(~np.isfinite(purchases)))
        if not_finite:
            # Never a partial prediction: every column stays null and the status says why.
            status = (
                f"not_predicted: expected purchases are not finite for {not_finite} customers"
                f" at the fitted BG/NBD parameters {bg_nbd}"
            )
            purchases = None
    if purchases is not None and bg_nbd is not None and gamma_gamma is not None:
        own_monetary = np.where(np.isfinite(monetary) & (monetary > 0), monetary, 0.0)
        own_frequency = np.where(own_monetary > 0, frequency, 0.0)
        average_value = btyd.expected_average_value(gamma_gamma, own_frequency, own_monetary)
        rows["probability_alive"] = btyd.probability_alive(bg_nbd, frequency, recency, age)
        rows["expected_purchases"] = purchases
        rows["expected_average_value"] = average_value.round(2)
        rows["predicted_value"] = (purchases * average_value).round(2)
    rows["historic_net_spend"] = rows["historic_net_spend"].round(2)
    rows["horizon_days"] = horizon_days
    rows["model_status"] = status
    result = LifetimeValueResult(
        customers=len(rows),
        predicted_customers=int(rows["predicted_value"].notna().sum()),
        model_status=status,
        historic_net_spend=float(rows["historic_net_spend"].sum()),
        predicted_value=float(rows["predicted_value"].sum(skipna=True)),
        bg_nbd=bg_nbd,
        gamma_gamma=gamma_gamma,
    )
    return rows, result


def build_customer_lifetime_value(
    warehouse: Path, *, as_of_date: date | None = None, horizon_days: int = 365
) -> LifetimeValueResult:
    """Replace marts.dim_customer_lifetime_value in one transaction."""
    conn = connect(warehouse)
    try:
        history = purchase_history(conn, as_of_date)
        rows, result = predict_lifetime_value(history, horizon_days=horizon_days)
        conn.execute("begin transaction")
        try:
            conn.execute(_read_sql("create_customer_lifetime_value.sql"))
            conn.register(ROWS_RELATION, rows)
            conn.execute(_read_sql("insert_customer_lifetime_value.sql"))
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    finally:
        conn.close()
    return result
