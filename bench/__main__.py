"""``python -m bench [NAME ...] [OPTIONS]``: run benchmarks and print their figures (all of them when no name is given).

Options after the names go to the benchmarks that take them (``python -m bench quality --errors``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bench import alerts, classify, crawl, dedupe, demo, ingest, quality, search

BENCHMARKS: dict[str, Callable[[], None]] = {
    "classify": classify.main,
    "ingest": ingest.main,
    "demo": demo.main,
    "dedupe": dedupe.main,
    "crawl": crawl.main,
    "alerts": alerts.main,
}
# Benchmarks that read options of their own.
WITH_OPTIONS: dict[str, Callable[[Sequence[str]], None]] = {"quality": quality.main, "search": search.main}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    names = [*BENCHMARKS, *WITH_OPTIONS]
    parser.add_argument("names", nargs="*", choices=[*names, []], help="benchmarks to run (default: all)")
    args, options = parser.parse_known_args()
    chosen = args.names or names
    if options and not set(chosen) & set(WITH_OPTIONS):
        parser.error(f"unrecognized arguments: {' '.join(options)}")
    for name in chosen:
        print(f"== {name}")
        if name in WITH_OPTIONS:
            WITH_OPTIONS[name](options)
        else:
            BENCHMARKS[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
