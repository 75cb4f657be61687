"""How fast the replica answers: one listing page plus N article URLs, cold (200) and warm (304).

Prints, for N synthetic articles (default 1,000): start time, then the wall time of a cold pass
(every page a 200 with fresh chrome) and a warm pass (conditional GETs answered 304), each with a
lean keep-alive socket client (to isolate the server) and with httpx.AsyncClient, first against a
replica in a child process (with the child's CPU time per request, read from /proc: the figure
that does not depend on the machine's load), then against one in a thread of the measuring process.

    .venv/bin/python bench/replica_server.py [--articles 1000] [--connections 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import time
from collections.abc import Coroutine
from typing import Any
from urllib.parse import urlsplit

import httpx

from watcher.replica import RemoteReplica, Replica, run_replica, run_replica_process


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
            length = re.search(r"(?i)content-length: (\d+)", head)
            if status != 304 and length:  # a 304 has no body and no Content-Length
                await reader.readexactly(int(length.group(1)))
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


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) used so far by process `pid`, from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, run: Coroutine[Any, Any, dict[int, int]], pid: int | None) -> None:
    cpu_before = server_cpu(pid)
    started = time.perf_counter()
    statuses = asyncio.run(run)
    elapsed = time.perf_counter() - started
    cpu_after = server_cpu(pid)
    requests = sum(statuses.values())
    cpu = ""
    if cpu_before is not None and cpu_after is not None:
        cpu = f"  server CPU {(cpu_after - cpu_before) / requests * 1e6:5.0f} µs/request"
    print(f"{label:46} {elapsed * 1000:8.1f} ms{cpu}  {dict(sorted(statuses.items()))}")


def measure(label: str, replica: Replica | RemoteReplica, connections: int) -> None:
    listing = "/col/col1229019364/index.html"
    paths = [listing] + [a.path for a in replica.site.articles if a.article_id.startswith("3")]
    pid = replica.pid if isinstance(replica, RemoteReplica) else None
    print(f"-- replica {label}: {len(paths)} URLs per pass (1 listing + {len(paths) - 1} articles)")
    for client, run in (("raw sockets", raw_pass), ("httpx.AsyncClient", httpx_pass)):
        tags: dict[str, str] = {}
        timed(f"{client}: cold pass (200s)", run(replica.base_url, paths, tags, connections), pid)
        timed(f"{client}: warm pass (304s)", run(replica.base_url, paths, tags, connections), pid)
        timed(f"{client}: unconditional again (200s)", run(replica.base_url, paths, {}, connections), pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    print(f"{args.connections} keep-alive connections, {args.articles} synthetic articles")
    started = time.perf_counter()
    with run_replica_process(articles=args.articles) as remote:
        print(f"child process listening after {(time.perf_counter() - started) * 1000:.0f} ms")
        measure("in a child process", remote, args.connections)
    started = time.perf_counter()
    with run_replica(articles=args.articles) as replica:
        print(f"thread listening after {(time.perf_counter() - started) * 1000:.0f} ms")
        measure("in a thread of this process (shares the GIL)", replica, args.connections)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (thread replica + clients): {rss:.0f} MB")


if __name__ == "__main__":
    main()
