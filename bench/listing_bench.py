"""Listing passes over the replica: what the listing cache saves a watcher that polls often.

    .venv/bin/python bench/listing_bench.py [--articles 1000] [--repeat 5]

The replica runs in its own process. For each listing kind, read to its full depth:
- cold: an empty FetchCache, every page a 200, every page parsed;
- warm: the cold pass's cache (after a JSON round trip, as a restarted watcher would load it):
  GET pages are conditional and answer 304, POST pages come back with the same body; none is
  parsed again;
- uncached: no FetchCache, as every listing pass was before the cache: every page a 200 and parsed.
Printed per kind: pages, entries, wall and CPU seconds of this process (best of --repeat),
adapter parse seconds and calls, and the replica's answers by status.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.adapters import ADAPTERS, Adapter, ListingPage, PageRequest
from watcher.fetch import FetchCache, ListingResult, fetch_listing
from watcher.http import Fetcher, HttpSettings
from watcher.replica.remote import RemoteReplica, run_replica_process

SETTINGS = HttpSettings(per_host_rate=None, per_host_concurrency=4)
KINDS: list[tuple[str, str, dict[str, Any]]] = [
    ("html-list", "/col/col1229019364/list.html", {}),
    ("jcms-column", "/col/col1229019364/index.html", {}),
    ("feed", "/col/col1229019364/rss.xml", {}),
    ("xxgk-search", "/module/xxgk/search.jsp", {"form": {"infotypeId": "C0202"}}),
]
DEPTH = 100


class ParseMeter:
    """Wraps every adapter's parse to count calls and the seconds they take."""

    def __init__(self) -> None:
        self.calls = 0
        self.seconds = 0.0
        for name, adapter in list(ADAPTERS.items()):
            ADAPTERS[name] = self._wrap(adapter)

    def _wrap(self, adapter: Adapter) -> Adapter:
        def parse(body: str | bytes, request: PageRequest, sel: Any) -> ListingPage:
            started = time.perf_counter()
            try:
                return adapter.parse_fn(body, request, sel)
            finally:
                self.calls += 1
                self.seconds += time.perf_counter() - started

        return replace(adapter, parse_fn=parse)

    def reset(self) -> None:
        self.calls, self.seconds = 0, 0.0


async def one_pass(
    replica: RemoteReplica, kind: str, path: str, selectors: dict[str, Any], cache: FetchCache | None
) -> tuple[ListingResult, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    async with Fetcher(SETTINGS) as fetcher:
        result = await fetch_listing(fetcher, replica.url(path), kind, selectors, depth=DEPTH, cache=cache)
    if result.errors:
        sys.exit(f"{kind}: {result.errors}")
    return result, time.perf_counter() - started, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000, help="Synthetic articles besides the seeds")
    parser.add_argument("--repeat", type=int, default=5, help="Runs of each pass; the best is reported")
    args = parser.parse_args()
    meter = ParseMeter()
    with run_replica_process(articles=args.articles) as replica:
        print(f"replica with {args.articles} synthetic articles; best of {args.repeat}")
        for kind, path, selectors in KINDS:
            cold_cache = FetchCache()
            for label in ("cold", "warm", "uncached"):
                best: tuple[float, float, float, int, Counter[int], ListingResult] | None = None
                for _ in range(args.repeat):
                    if label == "cold":
                        cache: FetchCache | None = FetchCache()
                    elif label == "warm":
                        cache = FetchCache.model_validate_json(cold_cache.model_dump_json())
                    else:
                        cache = None
                    replica.clear_log()
                    meter.reset()
                    result, wall, cpu = asyncio.run(one_pass(replica, kind, path, selectors, cache))
                    statuses = Counter(r.status for r in replica.request_log)
                    if label == "cold" and cache is not None:
                        cold_cache = cache
                    if best is None or wall < best[0]:
                        best = (wall, cpu, meter.seconds, meter.calls, statuses, result)
                assert best is not None
                wall, cpu, parse_s, calls, statuses, result = best
                answers = ", ".join(f"{n}x{status}" for status, n in sorted(statuses.items()))
                print(
                    f"{kind:12} {label:8} pages {result.pages:3} (reused {result.reused:3})  "
                    f"entries {len(result.entries):5}  wall {wall * 1000:7.1f} ms  CPU {cpu * 1000:7.1f} ms  "
                    f"parse {parse_s * 1000:6.1f} ms in {calls:3} calls  answers {answers}"
                )


if __name__ == "__main__":
    main()
