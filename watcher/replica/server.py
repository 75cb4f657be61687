"""The replica server: one listening socket per site on 127.0.0.1, all on one event loop, and the
`run_replica` handle that runs it in a background thread.

Each site listens on its own port, so every site's URL space starts at `/` exactly like the real
hosts (`/col/…`, `/art/…`, `/module/…`). What the server answers is `app.ReplicaApp`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import ValidationError

from watcher.replica.app import LoggedRequest, ReplicaApp, ReplicaError
from watcher.replica.content import Content, Snapshot
from watcher.replica.events import EVENT_ADAPTER, Event, EventError, EventResult
from watcher.replica.http11 import Request, Response, serve_connection

__all__ = ["LoggedRequest", "Replica", "ReplicaError", "ReplicaServer", "run_replica"]

SITES = ("province", "city", "county")
T = TypeVar("T")


class ReplicaServer:
    """Runs on one event loop; `start` and `stop` are awaited there."""

    def __init__(self, synthetic: int = 0) -> None:
        self.synthetic = synthetic
        self.app: ReplicaApp | None = None
        self._servers: list[asyncio.Server] = []
        self._connections: set[asyncio.Task[None]] = set()

    async def start(self, host: str, ports: dict[str, int]) -> dict[str, str]:
        base_urls = {}
        for name in SITES:
            server = await asyncio.start_server(
                self._connection_handler(name), host, ports[name], limit=64 * 1024
            )
            self._servers.append(server)
            port = server.sockets[0].getsockname()[1]
            base_urls[name] = f"http://{host}:{port}"
        content = await asyncio.get_running_loop().run_in_executor(None, Content, base_urls, self.synthetic)
        self.app = ReplicaApp(content)
        return base_urls

    async def stop(self) -> None:
        for server in self._servers:
            server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        for server in self._servers:
            await server.wait_closed()

    async def respond(self, site: str, request: Request) -> Response:
        if self.app is None:
            return Response(503, [("Retry-After", "1")], b"starting\n")
        return await self.app.respond(site, request)

    def _connection_handler(
        self, site: str
    ) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Coroutine[Any, Any, None]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._connections.add(task)
            try:
                await serve_connection(reader, writer, lambda request: self.respond(site, request))
            finally:
                self._connections.discard(task)

        return handle


class Replica:
    """A running replica: base URLs, content snapshot, events and the request log, from any thread."""

    def __init__(
        self, server: ReplicaServer, loop: asyncio.AbstractEventLoop, base_urls: dict[str, str]
    ) -> None:
        self._server = server
        self._loop = loop
        self.base_urls = base_urls
        self.base_url = base_urls["province"]

    @property
    def _app(self) -> ReplicaApp:
        assert self._server.app is not None, "the replica has not started"
        return self._server.app

    def _call(self, make: Callable[[], T]) -> T:
        async def run() -> T:
            return make()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=30)

    def url(self, path: str, site: str = "province") -> str:
        return self.base_urls[site] + path

    @property
    def site(self) -> Snapshot:
        """A snapshot of the content model (sites and articles)."""

        return self._call(lambda: self._app.content.snapshot())

    def event(self, event: Event | dict[str, object]) -> EventResult:
        """Apply a scripted event; a dict is validated like the JSON of `POST /__replica__/event`."""
        try:
            parsed: Event = EVENT_ADAPTER.validate_python(event) if isinstance(event, dict) else event
        except ValidationError as exc:
            raise ReplicaError(f"invalid event: {exc}") from exc
        try:
            return self._call(lambda: self._app.apply(parsed))
        except EventError as exc:
            raise ReplicaError(str(exc)) from exc

    @property
    def request_log(self) -> list[LoggedRequest]:
        return self._call(lambda: list(self._app.log))

    def clear_log(self) -> None:
        self._call(self._app.log.clear)


@contextmanager
def run_replica(port: int = 0, articles: int = 0, host: str = "127.0.0.1") -> Iterator[Replica]:
    """Serve the replica in a background thread: province on `port`, city on port+1, county on port+2
    (all ephemeral when `port` is 0). Binds loopback only."""
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise ReplicaError(f"the replica binds loopback only, not {host!r}")
    ports = {name: (port + offset if port else 0) for offset, name in enumerate(SITES)}
    loop = asyncio.new_event_loop()
    server = ReplicaServer(synthetic=articles)
    thread = threading.Thread(target=loop.run_forever, name="zjwatch-replica", daemon=True)
    thread.start()
    try:
        try:
            base_urls = asyncio.run_coroutine_threadsafe(server.start(host, ports), loop).result(timeout=120)
        except OSError as exc:
            raise ReplicaError(
                f"cannot listen on {host} port {port or 'any'}: {exc.strerror or exc}"
            ) from exc
        yield Replica(server, loop, base_urls)
    finally:
        try:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()
