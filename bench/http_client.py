"""Throughput and memory of the HTTP client on loopback, against a minimal keep-alive server in
a separate process, so the figures are the client's own cost.

    .venv/bin/python bench/http_client.py [--urls 1000] [--concurrency 8] [--body 20000]

Prints wall time and peak RSS for a cold pass (1,000 x 200 with an ETag) and a warm pass (the
same URLs with validators: 1,000 x 304), with the per-host rate limit lifted, plus raw httpx
on the same server for comparison.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import time

import httpx

from watcher.http import Fetcher, FetchError, HttpSettings


class _KeepAlive(asyncio.Protocol):
    """HTTP/1.1 with keep-alive: /art/N answers 200 with an ETag, or 304 when it matches."""

    body = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            path = head.split(b" ", 2)[1]
            etag = b'"' + path.rsplit(b"/", 1)[-1] + b'"'
            if b"if-none-match: " + etag in head.lower():
                out = b"HTTP/1.1 304 Not Modified\r\nETag: " + etag + b"\r\nContent-Length: 0\r\n\r\n"
            else:
                out = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: "
                    + etag
                    + b"\r\nContent-Length: "
                    + str(len(self.body)).encode()
                    + b"\r\n\r\n"
                    + self.body
                )
            self.transport.write(out)  # type: ignore[attr-defined]


def _serve(port_out: multiprocessing.Queue, body_size: int) -> None:  # type: ignore[type-arg]
    _KeepAlive.body = ("<p>第一条 " + "政策文本" * (body_size // 12) + "</p>").encode()[:body_size]

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_KeepAlive, "127.0.0.1", 0)
        port_out.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(port: int, n: int, concurrency: int) -> None:
    urls = [f"http://127.0.0.1:{port}/art/{i}" for i in range(n)]
    settings = HttpSettings(per_host_rate=0, per_host_concurrency=concurrency)
    async with Fetcher(settings) as fetcher:
        started, cpu = time.perf_counter(), time.process_time()
        cold = await fetcher.fetch_many(urls)
        cold_wall, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert all(not isinstance(r, FetchError) and r.status == 200 for r in cold), "cold pass failed"
        validators = {r.url: r.validators for r in cold if not isinstance(r, FetchError)}
        del cold
        started, cpu = time.perf_counter(), time.process_time()
        warm = await fetcher.fetch_many(urls, validators=validators)
        warm_wall, warm_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert all(not isinstance(r, FetchError) and r.not_modified for r in warm), "warm pass failed"
    print(
        f"Fetcher cold  {n} x 200: {cold_wall:.3f} s wall, {cold_cpu:.3f} s CPU ({n / cold_wall:.0f} req/s)"
    )
    print(
        f"Fetcher warm  {n} x 304: {warm_wall:.3f} s wall, {warm_cpu:.3f} s CPU ({n / warm_wall:.0f} req/s)"
    )

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        semaphore = asyncio.Semaphore(concurrency)

        async def one(url: str) -> int:
            async with semaphore:
                return (
                    await client.get(url, headers={"If-None-Match": f'"{url.rsplit("/", 1)[-1]}"'})
                ).status_code

        started, cpu = time.perf_counter(), time.process_time()
        statuses = await asyncio.gather(*(one(u) for u in urls))
        raw_wall, raw_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert set(statuses) == {304}
    print(f"raw httpx     {n} x 304: {raw_wall:.3f} s wall, {raw_cpu:.3f} s CPU (baseline, no limits)")
    print(f"peak RSS of this process: {rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--body", type=int, default=20_000, help="bytes per 200 body")
    args = parser.parse_args()
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports, args.body), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=10)
        asyncio.run(run(port, args.urls, args.concurrency))
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
