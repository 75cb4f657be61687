"""A minimal HTTP/1.1 server loop on asyncio streams: keep-alive, Content-Length bodies, nothing more.

Small and fast on purpose: a warm pass of a thousand conditional GETs must cost the server only
a few tens of microseconds each.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

MAX_HEAD = 64 * 1024
MAX_BODY = 1024 * 1024
IDLE_SECONDS = 15.0
MAX_REQUESTS_PER_CONNECTION = 10_000


@dataclass
class Request:
    method: str
    target: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    keep_alive: bool

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    delay: float = 0.0
    keep: float | None = None  # send only this fraction of the body, then close (truncation event)


Handler = Callable[[Request], Awaitable[Response]]


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    try:
        text = head.decode("latin-1")
        request_line, *lines = text.split("\r\n")
        method, target, version = request_line.split(" ")
    except ValueError as exc:
        raise BadRequest(400, "malformed request line") from exc
    if not version.startswith("HTTP/1."):
        raise BadRequest(505, f"unsupported protocol {version!r}")
    headers: dict[str, str] = {}
    for line in lines:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise BadRequest(400, "malformed header line")
        headers[name.strip().lower()] = value.strip()
    return method, target, version, headers


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """The next request on the connection, or None when the client closed or went idle."""
    try:
        async with asyncio.timeout(IDLE_SECONDS):  # cheaper than wait_for: no task per request
            head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, TimeoutError, ConnectionError):
        return None
    except asyncio.LimitOverrunError as exc:
        raise BadRequest(431, "request head too large") from exc
    method, target, version, headers = parse_head(head[:-4])
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise BadRequest(411, "chunked request bodies are not supported; send Content-Length")
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError as exc:
        raise BadRequest(400, "bad Content-Length") from exc
    if length < 0 or length > MAX_BODY:
        raise BadRequest(413, f"request body over {MAX_BODY} bytes")
    body = b""
    try:
        if length:
            async with asyncio.timeout(IDLE_SECONDS):
                body = await reader.readexactly(length)
    except TimeoutError as exc:
        raise BadRequest(408, "request body not received in time") from exc
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    parts = urlsplit(target)
    query = parse_qs(parts.query, keep_blank_values=True)
    return Request(method, target, parts.path, query, headers, body, keep_alive)


_date_cache: tuple[int, str] = (0, "")


def _date_now() -> str:
    """The Date header, formatted once per second."""
    global _date_cache
    second = int(time.time())
    if _date_cache[0] != second:
        _date_cache = (second, formatdate(second, usegmt=True))
    return _date_cache[1]


def encode_head(response: Response, length: int, keep_alive: bool) -> bytes:
    reason = HTTPStatus(response.status).phrase
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Date: {_date_now()}",
        "Server: zjwatch-replica",
    ]
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    if response.status != 304:  # a 304 may only repeat the 200's length (RFC 9110 §8.6); omit it
        lines.append(f"Content-Length: {length}")
    lines.append("Connection: keep-alive" if keep_alive else "Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def serve_connection(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, handler: Handler
) -> None:
    try:
        for served in range(1, MAX_REQUESTS_PER_CONNECTION + 1):
            try:
                request = await read_request(reader)
            except BadRequest as exc:
                message = f"{exc}\n".encode()
                writer.write(encode_head(Response(exc.status), len(message), False) + message)
                await writer.drain()
                return
            except asyncio.IncompleteReadError:
                return
            if request is None:
                return
            response = await handler(request)
            if response.delay:
                await asyncio.sleep(response.delay)
            body = b"" if request.method == "HEAD" else response.body
            keep_alive = request.keep_alive and response.keep is None and served < MAX_REQUESTS_PER_CONNECTION
            if response.keep is not None:
                writer.write(encode_head(response, len(body), False) + body[: int(len(body) * response.keep)])
                await writer.drain()
                return
            writer.write(encode_head(response, len(response.body), keep_alive) + body)
            await writer.drain()
            if not keep_alive:
                return
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()
