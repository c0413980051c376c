"""The knobs of the key-driver model, and where each one is set."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ingestion.settings import DBT_PROJECT_DIR

SMALL_SAMPLE_VAR = "key_driver_small_sample_min"

# Bootstrap resamples per cell: the figure usually advised for a 95% percentile interval
# (Efron & Tibshirani 1993, ch. 19; Davison & Hinkley 1997, sec. 5.2.3). Its ends are
# the 2.5th and 97.5th percentiles of the resampled weights, whose Monte Carlo error is
# about 2.7 / sqrt(B) bootstrap standard errors (the error of a sample quantile of a
# normal): 0.085 at B = 1000, so an end moves by about 2% of the interval's width from
# one seed to another; 0.19 (5%) at B = 200. What a cell's resamples cost is bounded by
# EXACT_BOOTSTRAP_MAX_RESPONSES below, whatever its size (docs/methods.md, Key drivers).
BOOTSTRAP_RESAMPLES = 1000
# Cells up to this many complete responses are resampled respondent by respondent (the
# ordinary bootstrap, n draws per resample); larger ones draw each resample's moments
# from their normal approximation, which costs the same whatever n (statistics.py). At
# a thousand respondents the means of answers on fixed scales are normal to well within
# the Monte Carlo error above (tests/key_drivers: both ways give the same interval on a
# 1500-response cell; they already agree at 150), and the exact way costs a million
# draws per cell.
EXACT_BOOTSTRAP_MAX_RESPONSES = 1000
# Base seed of every cell's bootstrap. Each cell's generator is seeded by this and its
# key, so a cell's interval does not depend on which other cells exist or their order.
BOOTSTRAP_SEED = 20000101
CONFIDENCE_LEVEL = 0.95


@dataclass(frozen=True)
class ModelSettings:
    small_sample_min: int
    resamples: int = BOOTSTRAP_RESAMPLES
    seed: int = BOOTSTRAP_SEED
    exact_max_responses: int = EXACT_BOOTSTRAP_MAX_RESPONSES


def small_sample_min() -> int:
    """Cells with fewer complete responses are flagged: the dbt var
    key_driver_small_sample_min, read from dbt_project.yml like small_sample_min."""
    document = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return int(document["vars"][SMALL_SAMPLE_VAR])


def model_settings() -> ModelSettings:
    return ModelSettings(small_sample_min=small_sample_min())
