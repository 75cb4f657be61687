"""Throughput of text normalization (`normalize_text`, `normalize_inline`) over the seed corpus.

Normalizes each raw seed notice as a whole document, repeated until at least --mb MB of UTF-8
input went through, then the whole corpus concatenated into one large document, then every raw
line through `normalize_inline`. Prints MB/s of raw input (CPU time of this process, best of
--repeat runs). The whole parse pipeline must reach 5 MB/s; normalization should be >= 20 MB/s.
The one-time cost of building the script-detection tables is printed separately.

    .venv/bin/python bench/normalize_throughput.py [--mb 20] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from parsers.normalize import detect_script, normalize_inline, normalize_text
from seeds import seed_texts


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        run()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="input per measurement in MB (default 20)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs; the best is reported")
    args = ap.parse_args()

    t0 = time.process_time()
    detect_script("")
    print(f"script tables (once per process): {time.process_time() - t0:.2f} s")

    texts = {p.name: p.read_text("utf-8") for p in seed_texts()}
    total = 0.0
    total_mb = 0.0
    for name, text in texts.items():
        size = len(text.encode())
        copies = max(1, int(args.mb * 1_000_000 // size) + 1)
        secs = best_of(
            args.repeat, lambda text=text, copies=copies: [normalize_text(text) for _ in range(copies)]
        )
        mb = size * copies / 1_000_000
        total += secs
        total_mb += mb
        print(f"normalize_text {name} ({size:,} B, {detect_script(text)}): {mb / secs:.1f} MB/s")
    print(f"normalize_text all seeds, document by document: {total_mb / total:.1f} MB/s")

    corpus = "\n".join(texts.values())
    big = "\n".join([corpus] * max(1, int(args.mb * 1_000_000 // len(corpus.encode())) + 1))
    mb = len(big.encode()) / 1_000_000
    secs = best_of(args.repeat, lambda: normalize_text(big))
    print(f"normalize_text one {mb:.1f} MB document: {mb / secs:.1f} MB/s")

    lines = [ln for text in texts.values() for ln in text.split("\n") if ln.strip()]
    size = sum(len(ln.encode()) for ln in lines)
    copies = max(1, int(args.mb * 1_000_000 // size) + 1)
    secs = best_of(args.repeat, lambda: [normalize_inline(ln) for _ in range(copies) for ln in lines])
    print(f"normalize_inline {len(lines) * copies:,} lines: {size * copies / 1_000_000 / secs:.1f} MB/s")


if __name__ == "__main__":
    main()
