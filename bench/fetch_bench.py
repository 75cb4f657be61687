"""Fetch pass over the replica: one listing page plus 1,000 article URLs, cold and warm.

    .venv/bin/python bench/fetch_bench.py [--articles 1000] [--concurrency 4] [--workers 2] [--repeat 3]

The replica runs in its own process and every pass in a fresh one, so each pass's wall time and
peak RSS (ru_maxrss) are its own; CPU seconds of the pass, its parse workers and the replica
server are printed too, since on a shared machine wall time mostly measures the neighbours.
The clause pipeline runs in `--workers` processes, started before the timing (a long-running
watcher keeps them). Passes, all with the per-host rate limit lifted on the one host:
- cold: every article a 200, fully parsed into the clause schema (attachments included);
- warm-304: the cold pass's validators sent, every article answers 304;
- warm-200: validators dropped, every article a 200 whose only changes are chrome (visit
  counter, time, related links): extracted and compared by fingerprint, found unchanged.
The listing is one dataproxy.jsp POST covering all records.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) used so far by another process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve(articles: int) -> None:
    """Role `replica`: print the base and listing URLs as JSON, serve until stdin closes."""
    from watcher.replica import run_replica
    from watcher.replica.pages import proxy_params

    with run_replica(articles=articles) as replica:
        site = replica.site.sites["province"]
        column = site.columns[0]
        query = {"startrecord": 1, "endrecord": articles + 100, "perpage": 15, **proxy_params(site, column)}
        listing = f"{replica.base_url}/module/jpage/dataproxy.jsp?{urlencode(query)}"
        print(json.dumps({"base_url": replica.base_url, "listing": listing}), flush=True)
        sys.stdin.read()


async def one_pass(
    kind: str, listing_url: str, articles: int, concurrency: int, cache_path: Path, workers: int
) -> dict[str, object]:
    from watcher.fetch import FetchCache, PageState, fetch_articles, fetch_listing, parse_pool
    from watcher.http import Fetcher, HttpSettings, Validators

    imported = _rss_mb()
    cache = FetchCache() if kind == "cold" else FetchCache.model_validate_json(cache_path.read_bytes())
    if kind == "warm-200":
        cache.pages = {
            u: PageState(validators=Validators(), fingerprint=p.fingerprint) for u, p in cache.pages.items()
        }
    settings = HttpSettings(per_host_rate=None, per_host_concurrency=concurrency)
    pool = parse_pool(workers) if workers else None
    if pool is not None:  # start the workers outside the timing, as a long-running watcher would
        list(pool.map(abs, range(workers)))
    started = time.perf_counter()
    cpu = time.process_time()
    async with Fetcher(settings) as fetcher:
        listing = await fetch_listing(fetcher, listing_url, "jcms-dataproxy", depth=1)
        urls = [entry.url for entry in listing.entries][:articles]
        results = await fetch_articles(fetcher, urls, cache, pool=pool)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    workers_cpu = 0.0
    if pool is not None:
        # The workers are forkserver children, not ours, so read their CPU before they exit.
        workers_cpu = sum(_cpu_of(pid) for pid in pool._processes)
        pool.shutdown()
    if kind == "cold":
        cache_path.write_text(cache.model_dump_json())
    statuses: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
        for error in result.errors:
            key = f"{error.stage}:{error.kind}:{error.message[:60]}"
            kinds[key] = kinds.get(key, 0) + 1
    return {
        "pass": kind,
        "urls": 1 + len(urls),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "workers_cpu_s": round(workers_cpu, 2),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_after_imports_mb": round(imported, 1),
        "statuses": statuses,
        "documents": sum(len(r.documents) for r in results),
        "clauses": sum(len(d.clauses) for r in results for d in r.documents),
        "errors": len(listing.errors) + sum(len(r.errors) for r in results),
        "error_kinds": kinds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4, help="Connections to the one host")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="Parse processes (0: parse in the fetch loop)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each pass; the best is reported")
    parser.add_argument("--role", choices=["main", "replica", "pass"], default="main", help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="cold", help=argparse.SUPPRESS)
    parser.add_argument("--listing", help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.role == "replica":
        serve(args.articles)
        return
    if args.role == "pass":
        figures = asyncio.run(
            one_pass(args.kind, args.listing, args.articles, args.concurrency, args.cache, args.workers)
        )
        print(json.dumps(figures))
        return

    me = [sys.executable, str(Path(__file__).resolve())]
    replica = subprocess.Popen(
        [*me, "--role", "replica", "--articles", str(args.articles)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert replica.stdout is not None
        urls = json.loads(replica.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            cache = Path(tmp) / "cache.json"
            common = ["--role", "pass", "--listing", urls["listing"], "--articles", str(args.articles)]
            common += [
                "--concurrency",
                str(args.concurrency),
                "--cache",
                str(cache),
                "--workers",
                str(args.workers),
            ]
            print(
                f"replica {urls['base_url']}: 1 listing page + {args.articles} articles, best of {args.repeat}; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            )
            for kind in ("cold", "warm-304", "warm-200"):
                runs = []
                for _ in range(args.repeat):
                    server_cpu = _cpu_of(replica.pid)
                    done = subprocess.run(
                        [*me, *common, "--kind", kind], capture_output=True, text=True, timeout=600
                    )
                    if done.returncode != 0:
                        sys.exit(f"{kind} pass failed:\n{done.stderr}")
                    runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
                    runs[-1]["server_cpu_s"] = round(_cpu_of(replica.pid) - server_cpu, 2)
                best = min(runs, key=lambda r: float(r["wall_s"]))  # type: ignore[arg-type]
                walls = ", ".join(str(r["wall_s"]) for r in runs)
                print(
                    f"{kind:9} wall {best['wall_s']:.3f} s (runs: {walls})  CPU {best['cpu_s']} s "
                    f"(parse workers {best['workers_cpu_s']} s, replica server {best['server_cpu_s']} s)  peak RSS {best['peak_rss_mb']} MB "
                    f"(after imports {best['rss_after_imports_mb']} MB)  statuses {best['statuses']}  "
                    f"documents {best['documents']}  clauses {best['clauses']}  errors {best['errors']} {best['error_kinds'] or ''}"
                )
    finally:
        if replica.stdin is not None:
            replica.stdin.close()
        replica.wait(timeout=30)


if __name__ == "__main__":
    main()
