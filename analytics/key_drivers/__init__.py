"""Key-driver analysis: which driver items move an outcome (NPS, CSAT), and how well each
performs, per survey, period and segment (marts.metrics_key_drivers).

Plain Python and SQL with no Dagster import: `build_key_drivers` reads the warehouse,
fits Johnson's relative weights with a bootstrap interval per cell in numpy, and writes
the mart. The method: docs/methods.md, Key drivers.
"""

from analytics.key_drivers.build import KeyDriverResult, build_key_drivers

__all__ = ["KeyDriverResult", "build_key_drivers"]
