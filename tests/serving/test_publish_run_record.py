"""The run record the published_marts asset passes to publish, from the event log."""

from __future__ import annotations

import dagster as dg

from orchestration.lib.serving.run_record import run_record_since_publish

PUBLISHED = dg.AssetKey(["serving", "published_marts"])
FACT, METRICS, PYTHON_MART = (
    dg.AssetKey(["marts", "fct_items"]),
    dg.AssetKey(["marts", "metrics_items"]),
    dg.AssetKey(["marts", "items_model"]),
)


def materialize(instance: dg.DagsterInstance, key: dg.AssetKey, rebuilt: bool = True) -> None:
    metadata = {} if rebuilt else {"rebuilt": False}
    instance.report_runless_asset_event(dg.AssetMaterialization(key, metadata=metadata))


def last_publish_run_id(instance: dg.DagsterInstance) -> str:
    return instance.fetch_materializations(PUBLISHED, limit=1).records[0].run_id


def test_marts_left_as_they_were_since_the_publish_are_unchanged() -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        for key in (FACT, METRICS, PYTHON_MART):
            materialize(instance, key)
        materialize(instance, PUBLISHED)
        # the next run: the fact rebuilt, the rest left out
        materialize(instance, FACT)
        materialize(instance, METRICS, rebuilt=False)
        materialize(instance, PYTHON_MART, rebuilt=False)

        record = run_record_since_publish(
            instance, [FACT, METRICS, PYTHON_MART], PUBLISHED, last_publish_run_id(instance)
        )

    assert record is not None
    assert record.rebuilt == {"marts.fct_items"}
    assert record.unchanged("marts.metrics_items") and record.unchanged("marts.items_model")
    assert not record.unchanged("marts.fct_items")


def test_a_mart_rebuilt_in_any_run_since_the_publish_is_rebuilt() -> None:
    """A run whose publish failed rebuilt the metrics: the next run leaves them out, and
    the copy still lacks that rebuild."""
    with dg.DagsterInstance.ephemeral() as instance:
        materialize(instance, METRICS)
        materialize(instance, PUBLISHED)
        materialize(instance, METRICS)  # the run whose publish failed
        materialize(instance, METRICS, rebuilt=False)  # this run

        record = run_record_since_publish(
            instance, [METRICS], PUBLISHED, last_publish_run_id(instance)
        )

    assert record is not None and record.rebuilt == {"marts.metrics_items"}


def test_no_record_when_the_copy_is_not_the_last_one_published() -> None:
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_record_since_publish(instance, [METRICS], PUBLISHED, None) is None
        materialize(instance, METRICS)
        materialize(instance, PUBLISHED)
        assert run_record_since_publish(instance, [METRICS], PUBLISHED, "another-run") is None
        assert run_record_since_publish(instance, [METRICS], PUBLISHED, None) is None
