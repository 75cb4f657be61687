"""Politeness: per-host concurrency and request spacing, exponential back-off with full jitter,
and Retry-After parsing."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Full-jitter exponential back-off before retry number `attempt` (1 = first retry)."""
    ceiling = min(cap, base * (2 ** min(attempt - 1, 30)))
    return (rng or random).uniform(0, ceiling)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), None if absent
    or unreadable. Dates in the past give 0."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value[:12]))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HostGate:
    """Admission for one host: at most `concurrency` requests in flight, and request starts at
    least 1/rate seconds apart. `defer` pushes the next start back when the server asks us to
    wait, so every request to that host waits, not only the one that was told."""

    def __init__(self, rate: float | None, concurrency: int) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._slots = asyncio.Semaphore(concurrency)
        self._free = list(range(concurrency))[::-1]  # slot numbers; the last freed is reused first
        self._next_start = 0.0

    def defer(self, seconds: float) -> None:
        self._next_start = max(self._next_start, time.monotonic() + seconds)

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[int]:
        """Wait for a slot and a start time; yields the slot number (0 .. concurrency-1)."""
        async with self._slots:
            # Re-check after every sleep: another waiter may have started, or `defer` moved
            # the start, while we slept. Check-and-set has no await between, so no two start together.
            for _ in range(1000):
                now = time.monotonic()
                start = max(now, self._next_start)
                if start <= now:
                    break
                await asyncio.sleep(start - now)
            self._next_start = time.monotonic() + self._interval
            slot = self._free.pop()
            try:
                yield slot
            finally:
                self._free.append(slot)
