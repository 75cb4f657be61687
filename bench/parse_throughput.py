"""Parse throughput: the seed corpus repeated to at least 20 MB, parsed on one core, in MB/s.

    .venv/bin/python bench/parse_throughput.py [--mb 20] [--profile]

Each repetition is parsed as its own input (one `parse_text` call per seed copy), the way the
watcher meets documents; MB counts UTF-8 bytes of the raw text. Throughput is CPU time of this
process (the machine is shared, so wall time mostly measures the neighbours); the corpus is parsed
--rounds times (default 3) and the best and median rounds are printed. --profile prints the top
functions by cumulative time of one round.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import time

from parsers.pipeline import parse_text
from parsers.schema import Source
from seeds import seed_texts


def corpus(min_mb: float) -> list[tuple[str, Source]]:
    seeds = []
    for path in seed_texts():
        raw = path.read_bytes()
        seeds.append(
            (raw.decode("utf-8"), Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest()), len(raw))
        )
    items: list[tuple[str, Source]] = []
    total = 0
    while total < min_mb * 1_000_000:
        for text, source, size in seeds:
            items.append((text, source))
            total += size
    return items


def run(items: list[tuple[str, Source]]) -> int:
    documents = 0
    for text, source in items:
        documents += len(parse_text(text, source))
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--rounds", type=int, default=3, help="parse the corpus this many times (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile one round and print the hot spots")
    args = parser.parse_args()
    items = corpus(args.mb)
    size = sum(len(text.encode("utf-8")) for text, _ in items)
    run(items[:5])  # warm-up: one-time setup (OpenCC dictionaries, compiled patterns) is not throughput
    mb = size / 1_000_000
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run(items)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    rates, documents, wall = [], 0, 0.0
    for _ in range(max(1, args.rounds)):
        start, cpu_start = time.perf_counter(), time.process_time()
        documents = run(items)
        wall += time.perf_counter() - start
        rates.append(mb / (time.process_time() - cpu_start))
    rates.sort()
    print(
        f"parsed {mb:.1f} MB ({len(items)} inputs, {documents} documents) x {len(rates)} rounds: "
        f"{rates[-1]:.2f} MB/s per core best, {rates[len(rates) // 2]:.2f} median "
        f"({mb * len(rates) / wall:.2f} MB/s wall)"
    )


if __name__ == "__main__":
    main()
