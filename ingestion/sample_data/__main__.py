"""Command line: python -m ingestion.sample_data --out DIR [--seed 42] [--scale 1.0]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion.sample_data.generator import generate_sample_data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingestion.sample_data",
        description="Write seeded sample landing files for Northwind Outfitters.",
    )
    parser.add_argument("--out", type=Path, required=True, help="landing folder to write")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="volume multiplier (1.0 = about 4,000 customers)"
    )
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    counts = generate_sample_data(args.out, seed=args.seed, scale=args.scale)
    width = max(len(name) for name in counts)
    for name, rows in counts.items():
        print(f"{name:<{width}}  {rows:>9,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
