"""A raw HTTP server on 127.0.0.1 for client tests: each route is a coroutine that writes
whatever bytes it likes (wrong lengths, endless bodies, silence), and every request is recorded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


Handler = Callable[[RawRequest, asyncio.StreamWriter], Awaitable[None]]


def http_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 response; Content-Length is added unless the headers set it or
    Transfer-Encoding."""
    head = {"Connection": "close", **(headers or {})}
    if "Content-Length" not in head and "Transfer-Encoding" not in head:
        head["Content-Length"] = str(len(body))
    lines = [f"HTTP/1.1 {status} Status"] + [f"{k}: {v}" for k, v in head.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def reply(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(http_response(status, body, headers))
        await writer.drain()

    return handler


def sequence(*handlers: Handler) -> Handler:
    """The n-th request to the route gets the n-th handler; the last one repeats."""
    count = 0

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal count
        chosen = handlers[min(count, len(handlers) - 1)]
        count += 1
        await chosen(request, writer)

    return handler


class RawServer:
    """Serves one request per connection, or with `keep_alive` as many as the client sends
    (handlers must then answer with `Connection: keep-alive`)."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        self.keep_alive = keep_alive
        self.connections = 0
        self.routes: dict[str, Handler] = {}
        self.requests: list[RawRequest] = []
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> list[RawRequest]:
        return [r for r in self.requests if r.path == path]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        if self._server is not None:
            self._server.close()
            await asyncio.wait_for(self._server.wait_closed(), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        try:
            for _ in range(10_000 if self.keep_alive else 1):
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                request_line, *lines = head.decode("latin-1").split("\r\n")
                method, path, _ = request_line.split(" ", 2)
                headers = {}
                for line in lines:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                request = RawRequest(method, path, headers, body)
                self.requests.append(request)
                handler = self.routes.get(path.split("?", 1)[0], reply(404, b"no route"))
                await handler(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError, TimeoutError):
            pass
        finally:
            self._tasks.discard(task)  # type: ignore[arg-type]
            writer.close()
