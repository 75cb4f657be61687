"""The replica in a child process, driven over its control endpoints.

Benchmarks want this: a replica thread in the measuring process competes with the client for the
GIL and adds its memory to the measured RSS (see docs/replica.md). The handle offers the same
surface as `Replica`: base URLs, `site`, `event(...)`, `request_log`, `clear_log()`, plus `pid`.
"""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from watcher.replica.content import Snapshot
from watcher.replica.events import EVENT_ADAPTER, Event, EventResult
from watcher.replica.server import LoggedRequest, ReplicaError

START_SECONDS = 120.0


class RemoteReplica:
    def __init__(self, base_urls: dict[str, str], pid: int) -> None:
        self.pid = pid
        self.base_urls = base_urls
        self.base_url = base_urls["province"]
        self._http = httpx.Client(base_url=self.base_url + "/__replica__", timeout=60, trust_env=False)

    def url(self, path: str, site: str = "province") -> str:
        return self.base_urls[site] + path

    @property
    def site(self) -> Snapshot:
        return Snapshot.model_validate_json(self._http.get("/state").content)

    def event(self, event: Event | dict[str, object]) -> EventResult:
        payload = event if isinstance(event, dict) else EVENT_ADAPTER.dump_python(event, mode="json")
        response = self._http.post("/event", json=payload)
        if response.status_code != 200:
            raise ReplicaError(f"event refused: {response.json().get('error', response.text)}")
        return EventResult.model_validate_json(response.content)

    @property
    def request_log(self) -> list[LoggedRequest]:
        return [LoggedRequest(**entry) for entry in self._http.get("/log").json()]

    def clear_log(self) -> None:
        self._http.delete("/log")

    def close(self) -> None:
        self._http.close()


@contextmanager
def run_replica_process(port: int = 0, articles: int = 0) -> Iterator[RemoteReplica]:
    """Start `python -m watcher.replica` and wait (bounded) until it listens."""
    command = [sys.executable, "-m", "watcher.replica", "--port", str(port), "--articles", str(articles)]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    remote: RemoteReplica | None = None
    try:
        assert child.stdout is not None
        readable, _, _ = select.select([child.stdout], [], [], START_SECONDS)
        if not readable:
            raise ReplicaError(f"replica process did not start listening within {START_SECONDS:.0f} s")
        line = child.stdout.readline()
        if not line:
            raise ReplicaError(
                f"replica process exited ({child.wait(timeout=START_SECONDS)}) before listening"
            )
        ready = json.loads(line)
        if "error" in ready:
            raise ReplicaError(ready["error"])
        remote = RemoteReplica(ready["base_urls"], child.pid)
        yield remote
    finally:
        if remote is not None:
            remote.close()
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
