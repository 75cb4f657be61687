"""Throughput of amount extraction over the seed corpus, clause by clause.

Normalizes the five seeds, repeats their paragraphs to at least 20 MB (UTF-8) and runs
`extract_amounts` on every paragraph, the way the structure stage calls it per clause.
Prints MB/s (CPU time of this process, best of --repeat runs, so other load on the machine
skews it less) and amounts found; the whole parse pipeline must reach 5 MB/s, so this stage
should be well above that.

    .venv/bin/python bench/amounts_throughput.py [--mb 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

from parsers.amounts import extract_amounts
from parsers.normalize import normalize_text
from seeds import seed_texts


def corpus(min_mb: float) -> list[str]:
    paragraphs = [
        p for path in seed_texts() for p in normalize_text(path.read_text("utf-8")).split("\n") if p
    ]
    size = sum(len(p.encode()) for p in paragraphs)
    copies = max(1, int(min_mb * 1_000_000 // size) + 1)
    return paragraphs * copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = ap.parse_args()
    paragraphs = corpus(args.mb)
    mb = sum(len(p.encode()) for p in paragraphs) / 1_000_000
    best = float("inf")
    found = 0
    for _ in range(args.repeat):
        t0 = time.process_time()
        found = sum(len(extract_amounts(p)) for p in paragraphs)
        best = min(best, time.process_time() - t0)
    print(f"corpus: {mb:.1f} MB in {len(paragraphs)} paragraphs")
    print(
        f"extract_amounts: {mb / best:.1f} MB/s ({best:.2f} s, {found} amounts, {found / best:,.0f} amounts/s)"
    )


if __name__ == "__main__":
    main()
