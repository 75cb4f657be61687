"""Fixtures for watcher tests: raw HTTP servers on 127.0.0.1 (see rawhttp.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from rawhttp import RawServer


@pytest.fixture
async def raw_server() -> AsyncIterator[RawServer]:
    server = RawServer()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
async def second_server() -> AsyncIterator[RawServer]:
    server = RawServer()
    await server.start()
    yield server
    await server.close()
