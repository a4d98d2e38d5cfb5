"""``python -m bench [NAME ...]``: run benchmarks and print their figures (all of them when no name is given)."""

from __future__ import annotations

import argparse
import sys

from bench import classify, demo, ingest

BENCHMARKS = {"classify": classify.main, "ingest": ingest.main, "demo": demo.main}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", choices=[*BENCHMARKS, []], help="benchmarks to run (default: all)")
    args = parser.parse_args()
    for name in args.names or list(BENCHMARKS):
        print(f"== {name}")
        BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
