"""The stage-time picture: each stage's median wall time at every size that has results
(S, M, L from `bench/results/<size>.json`), as grouped bars on a log scale. Written by
every benchmark run to `bench/results/stage_times.png`; the README shows a copy."""

from __future__ import annotations

import json
from pathlib import Path

SIZES = ("S", "M", "L")
COLOURS = {"S": "#9ecae1", "M": "#3182bd", "L": "#08519c"}


def stage_seconds(results: Path) -> dict[str, dict[str, float]]:
    """Per size with results, each successful stage's median seconds, in run order."""
    found: dict[str, dict[str, float]] = {}
    for size in SIZES:
        path = results / f"{size}.json"
        if path.exists():
            document = json.loads(path.read_text(encoding="utf-8"))
            found[size] = {
                stage["name"]: float(stage["seconds"])
                for stage in document["stages"]
                if stage.get("error") is None and stage.get("seconds")
            }
    return found


def plot_stage_times(results: Path, out: Path | None = None) -> Path | None:
    """Draw the picture from the results there are; None when there are none."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file only
    import matplotlib.pyplot as plt

    seconds = stage_seconds(results)
    if not seconds:
        return None
    stages: list[str] = []
    for per_stage in seconds.values():
        stages += [name for name in per_stage if name not in stages]
    height = 0.8 / len(seconds)
    figure, axes = plt.subplots(figsize=(10, 0.32 * len(stages) + 1.5))
    for offset, (size, per_stage) in enumerate(seconds.items()):
        rows = [index for index, name in enumerate(stages) if name in per_stage]
        axes.barh(
            [row + offset * height for row in rows],
            [per_stage[stages[row]] for row in rows],
            height=height,
            color=COLOURS[size],
            label=size,
        )
    axes.set_yticks([row + height * (len(seconds) - 1) / 2 for row in range(len(stages))])
    axes.set_yticklabels(stages, fontsize=8)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("wall seconds (median of the runs), log scale")
    axes.set_title("Customer Pulse benchmark: time per stage and workload size")
    axes.legend(title="size")
    figure.tight_layout()
    target = out or results / "stage_times.png"
    figure.savefig(target, dpi=110)
    plt.close(figure)
    return target
