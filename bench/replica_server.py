"""How fast the replica answers: one listing page plus N article URLs, cold (200) and warm (304).

Prints, for N synthetic articles (default 1,000): server start time, then wall time of a cold pass
(every page a 200 with fresh chrome) and a warm pass (conditional GETs answered 304), each with a
lean keep-alive socket client (to isolate the server) and with httpx.AsyncClient (what fetch uses).

    .venv/bin/python bench/replica_server.py [--articles 1000] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import resource
import time
from urllib.parse import urlsplit

import httpx

from watcher.replica import run_replica


async def raw_pass(base_url: str, paths: list[str], tags: dict[str, str], connections: int) -> dict[int, int]:
    """GET every path over `connections` keep-alive sockets; record ETags, count statuses."""
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    queue = list(paths)
    statuses: dict[int, int] = {}

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        while queue:
            path = queue.pop()
            extra = f"If-None-Match: {tags[path]}\r\n" if path in tags else ""
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            status = int(head.split(" ", 2)[1])
            length = int(re.search(r"(?i)content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            etag = re.search(r"(?i)etag: (\S+)", head)
            if etag:
                tags[path] = etag.group(1)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return statuses


async def httpx_pass(
    base_url: str, paths: list[str], tags: dict[str, str], connections: int
) -> dict[int, int]:
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits) as client:
        semaphore = asyncio.Semaphore(connections)

        async def one(path: str) -> None:
            async with semaphore:
                headers = {"If-None-Match": tags[path]} if path in tags else {}
                response = await client.get(path, headers=headers)
                if "etag" in response.headers:
                    tags[path] = response.headers["etag"]
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        await asyncio.gather(*(one(p) for p in paths))
    return statuses


def timed(label: str, run: object) -> None:
    started = time.perf_counter()
    statuses = asyncio.run(run)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    print(f"{label:34} {elapsed * 1000:8.1f} ms  {dict(sorted(statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    started = time.perf_counter()
    with run_replica(articles=args.articles) as replica:
        print(
            f"replica with {args.articles} synthetic articles started in {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        listing = "/col/col1229019364/index.html"
        paths = [listing] + [
            a.path
            for a in replica.site.articles
            if a.site == "province" and a.seed and a.article_id.startswith("3")
        ]
        print(
            f"URLs per pass: {len(paths)} (1 listing + {len(paths) - 1} articles), {args.connections} connections"
        )
        for client, run in (("raw sockets", raw_pass), ("httpx.AsyncClient", httpx_pass)):
            tags: dict[str, str] = {}
            timed(f"{client}: cold pass (200s)", run(replica.base_url, paths, tags, args.connections))
            timed(f"{client}: warm pass (304s)", run(replica.base_url, paths, tags, args.connections))
            timed(f"{client}: unconditional 200s", run(replica.base_url, paths, {}, args.connections))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of server and clients together: {rss:.0f} MB")


if __name__ == "__main__":
    main()
