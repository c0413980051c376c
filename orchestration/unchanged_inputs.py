"""Whether a Python asset's inputs are the ones it last computed from.

The dbt steps mark the outputs of models they left out (nothing they read changed) with
`rebuilt: False`. A Python model that reads only such marts would compute the same table
again; it reuses its last result instead when, for every input, the materialisation
before this run's came before the model's own latest materialisation.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg


def _not_rebuilt(record: dg.EventLogRecord) -> bool:
    materialization = record.asset_materialization
    rebuilt = materialization.metadata.get("rebuilt") if materialization else None
    return rebuilt is not None and rebuilt.value is False


def inputs_unchanged(context: dg.AssetExecutionContext, inputs: Iterable[dg.AssetKey]) -> bool:
    """True when every input was left as it was in this run and the asset itself was last
    computed after their latest real rebuild."""
    instance = context.instance
    own = instance.fetch_materializations(context.asset_key, limit=1).records
    if not own:
        return False
    computed_at = own[0].timestamp
    for key in inputs:
        records = instance.fetch_materializations(key, limit=2).records
        if len(records) < 2 or records[0].run_id != context.run.run_id:
            return False
        if not _not_rebuilt(records[0]) or records[1].timestamp > computed_at:
            return False
    return True
