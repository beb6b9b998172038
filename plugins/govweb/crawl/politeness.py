"""Per-host politeness and the dead-host memory, shared by every site of one crawled batch.

`HostGate` bounds the requests in flight per host and spaces their starts; a host that has not
answered yet gets one request at a time (its probe), so a dead host costs one timeout, not one
per link. `DeadHosts` remembers hosts that failed DNS, refused or timed out for the rest of the
batch; a host that has answered is busy, not dead (`remember_failure`).
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

DEAD_REASONS = ("dns", "refused", "timeout", "blocked")
# A host that has answered once and then refuses is busy (its accept queue overflowed), not dead: the request
# is tried again after these pauses, and the host is never remembered dead for it.
BUSY_RETRY_S = (0.5, 2.0)


def remember_failure(gate: HostGate, dead: DeadHosts, host: str, reason: str, detail: str) -> bool:
    """Record a request that got no HTTP answer. A host that never answered is remembered dead (its other
    links then fail at once); True when the request should be tried again (the host answered before and
    refused now)."""
    if gate.has_answered(host):
        return reason == "refused"
    dead.mark(host, reason, detail)
    return False


@dataclass(frozen=True)
class DeadHost:
    reason: str
    detail: str


class DeadHosts:
    """Hosts that failed at the network level; their further requests fail at once with the first reason."""

    def __init__(self) -> None:
        self._dead: dict[str, DeadHost] = {}

    def get(self, host: str) -> DeadHost | None:
        return self._dead.get(host.lower())

    def mark(self, host: str, reason: str, detail: str) -> bool:
        """Remember `host` when `reason` is a network failure; True when it is (now) dead."""
        if reason not in DEAD_REASONS or not host:
            return False
        self._dead.setdefault(host.lower(), DeadHost(reason, detail))
        return True

    def __len__(self) -> int:
        return len(self._dead)

    def clear(self) -> None:
        self._dead.clear()




class HostGate:
    """At most `concurrency` requests in flight per host, starts spaced by `delay_s`."""

    def __init__(self, concurrency: int = 4, delay_s: float = 0.0) -> None:
        self.concurrency = max(1, concurrency)
        self.delay_s = max(0.0, delay_s)
        self._sems: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self.concurrency))
        self._probe: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._spacing: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._answered: set[str] = set()
        self._next_start: dict[str, float] = {}
        self.in_flight: dict[str, int] = defaultdict(int)
        self.peak: dict[str, int] = defaultdict(int)

    def answered(self, host: str) -> None:
        """The host sent an HTTP response: more than one request may now be in flight."""
        self._answered.add(host.lower())

    def has_answered(self, host: str) -> bool:
        return host.lower() in self._answered

    async def _space(self, host: str) -> None:
        """Starts one at a time per host, each at least delay_s after the previous one really started (a
        late wake-up of one request never lets the next one start early)."""
        if not self.delay_s:
            return
        async with self._spacing[host]:
            wait = self._next_start.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_start[host] = time.monotonic() + self.delay_s

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        host = host.lower()
        async with self._sems[host]:
            lock = None
            if host not in self._answered:
                lock = self._probe[host]
                await lock.acquire()
                if host in self._answered:
                    lock.release()
                    lock = None
            try:
                await self._space(host)
                self.in_flight[host] += 1
                self.peak[host] = max(self.peak[host], self.in_flight[host])
                yield
            finally:
                self.in_flight[host] -= 1
                if lock is not None:
                    lock.release()
