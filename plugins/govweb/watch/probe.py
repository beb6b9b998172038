"""Scheduled availability probing of inventory home pages (the probe DAG's work).

One round probes every home page once: HEAD, then GET when HEAD is refused (govweb.crawl.probes.probe_once),
15 s per probe (catalogue `availability.homepage.probe_timeout_s`). A round is spread over `spread_s`
seconds with a seeded jitter per site, so probes of successive rounds land at different minutes, and it
is bounded per host: at most `per_host` probes in flight to one host and at least `host_gap_s` between
two probes of it (many county sites share one 集约化 platform host; none of them should notice us).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from govweb import catalogue as catalogue_mod
from govweb.capture import Probe
from govweb.crawl.fetch import session
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.probes import probe_once
from govweb.models import Site

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Target:
    site_id: str
    url: str

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()


@dataclass(frozen=True)
class ProbePlan:
    """How one round is paced. The defaults suit a round every 30 minutes (48 probes per site per day)."""

    timeout_s: float = 15.0
    spread_s: float = 1200.0  # probes start at a jittered offset in [0, spread_s)
    per_host: int = 1
    host_gap_s: float = 2.0
    concurrency: int = 32
    seed: str = ""  # jitter seed; the probe DAG uses the run's time, so each round jitters differently

    @classmethod
    def from_catalogue(cls, cat: catalogue_mod.Catalogue | None = None, **kw) -> ProbePlan:
        spec = (cat or catalogue_mod.default())["availability.homepage"]
        return cls(timeout_s=float(spec.threshold("probe_timeout_s")), **kw)

    def offset(self, target: Target) -> float:
        if self.spread_s <= 0:
            return 0.0
        return random.Random(f"{self.seed}|{target.site_id}").uniform(0, self.spread_s)


def targets(sites: list[Site]) -> list[Target]:
    return [Target(s.site_id, s.url) for s in sites if s.active]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class _HostGate:
    """At most `per_host` requests in flight per host, `gap_s` between the starts of two of them."""

    def __init__(self, per_host: int, gap_s: float):
        self.per_host, self.gap_s = max(1, per_host), max(0.0, gap_s)
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._next: dict[str, float] = {}

    def semaphore(self, host: str) -> asyncio.Semaphore:
        return self._sems.setdefault(host, asyncio.Semaphore(self.per_host))

    async def wait_turn(self, host: str) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self._next.get(host, 0.0) - loop.time()) > 0:
            await asyncio.sleep(delay)
        self._next[host] = loop.time() + self.gap_s


async def probe_round(items: list[Target], policy: NetworkPolicy, plan: ProbePlan,
                      clock: Clock | None = None) -> list[Probe]:
    """Probe every target once under the plan's pacing; probes come back in target order.

    `clock` stamps each probe (default: the real UTC time it started); tests replay past days with it."""
    gate = _HostGate(plan.per_host, plan.host_gap_s)
    limit = asyncio.Semaphore(max(1, plan.concurrency))

    async def one(t: Target, http) -> Probe:
        await asyncio.sleep(plan.offset(t))
        async with gate.semaphore(t.host):
            await gate.wait_turn(t.host)
            async with limit:
                started = (clock or _utcnow)()
                p = await probe_once(http, t.url, plan.timeout_s)
        return p.model_copy(update={"site_id": t.site_id, "time": started.isoformat(timespec="seconds")})

    async with session(policy, limit=max(1, plan.concurrency)) as http:
        probes = await asyncio.gather(*(one(t, http) for t in items))
    failed = [p for p in probes if not p.ok]
    log.info("probed %d home pages: %d failed%s", len(probes), len(failed),
             "".join(f"; {p.site_id} {p.status or ''} {p.error}" for p in failed[:20]))
    return list(probes)


def run_round(items: list[Target], policy: NetworkPolicy, plan: ProbePlan, clock: Clock | None = None) -> list[Probe]:
    return asyncio.run(probe_round(items, policy, plan, clock))


def rounds_per_day(interval_minutes: int) -> int:
    return (24 * 60) // interval_minutes
