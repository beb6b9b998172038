"""The order in which the sites are crawled: the ones expected to take longest first.

A crawl task ends when its last site ends. A site that needs minutes (a slow server, a time budget hit) started
near the end keeps every other slot idle while it finishes; started first, it runs beside the others (longest
processing time first). A site's expected time is what its crawl took last year (the crawl health summary,
`quality/{year}/crawl_health.json`, written after every crawl). A site without one (a first run, a new site)
has its home page timed once before the run is planned (`answer_times`): one that answers slowly or not at
all, or declares a very large page, is expected to take that many times a typical site's time."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from govweb.capture import CrawlLimits
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import HostGate
from govweb.evidence import EvidenceStore
from govweb.models import Site

log = logging.getLogger(__name__)
SLOW_HOME_S = 0.5  # a home page answering in h seconds (h above this) expects h / SLOW_HOME_S typical crawls
# a home page not answered by then is timed at this (and expects HOME_TIMEOUT_S / SLOW_HOME_S typical crawls):
# such a site is crawled among the first whatever its exact time, and the timing waits no longer for it
HOME_TIMEOUT_S = 3.0
ANSWER_DEADLINE_S = 30.0  # for the whole timing; a site not timed by then (behind a slow shared host) is slow
FIRST_ROUND, SECOND_ROUND = 16, 4  # probes in flight: every home page; a slow one's second timing
# a home page declaring n bytes (n above this) expects n / HEAVY_HOME_BYTES typical crawls: the browser loads it
# twice (desktop, phone) and lays it out and shoots it (the simulated web's 8 MB home page: 31-38 s of crawl,
# the last site to finish when it came last in the inventory)
HEAVY_HOME_BYTES = 1_000_000


@dataclass(frozen=True)
class HomeAnswer:
    """How a site's home page answered its timing probe."""

    seconds: float
    length: int | None = None  # the declared body length (Content-Length), None when not declared

    def typical_crawls(self) -> float:
        """The crawl this answer predicts, in typical sites' crawl times (at least one)."""
        return max(1.0, self.seconds / SLOW_HOME_S, (self.length or 0) / HEAVY_HOME_BYTES)

    def __str__(self) -> str:
        size = f", {self.length} bytes" if self.length and self.length > HEAVY_HOME_BYTES else ""
        return f"home page {self.seconds:.1f}s{size}"


def health_key(year: int) -> str:
    return f"quality/{year}/crawl_health.json"


def previous_seconds(store: EvidenceStore, year: int) -> dict[str, float]:
    """Seconds each site's crawl took in the year before `year` (empty when that year was not crawled here)."""
    key = health_key(year - 1)
    if not store.exists(key):
        return {}
    seconds = store.get_json(key).get("seconds") or {}
    return {str(k): float(v) for k, v in seconds.items()}


def longest_first(sites: list[Site], seconds: dict[str, float],
                  home: dict[str, HomeAnswer] | None = None) -> list[Site]:
    """`sites` ordered by expected crawl time, longest first: last year's time; for a site without one, a
    typical site's time (the median of last year's) times what its home page's answer predicts
    (`HomeAnswer.typical_crawls`: a slow answer, a very large page). Ties keep the inventory's order."""
    home = home or {}
    if not seconds and not home:
        return list(sites)
    typical = statistics.median(seconds.values()) if seconds else 1.0

    def expected(s: Site) -> float:
        if s.site_id in seconds:
            return seconds[s.site_id]
        return typical * (home[s.site_id].typical_crawls() if s.site_id in home else 1.0)

    ordered = sorted(sites, key=lambda s: -expected(s))
    first = [f"{s.site_id} ({seconds[s.site_id]:.0f}s last year)" if s.site_id in seconds
             else f"{s.site_id} ({home.get(s.site_id, HomeAnswer(0.0))})" for s in ordered[:3]]
    log.info("crawl order: longest expected first (%d of %d sites timed last year, %d home pages timed now; "
             "first: %s)", sum(s.site_id in seconds for s in sites), len(sites), len(home), ", ".join(first))
    return ordered


async def _timed_all(sites: list[Site], http, gate: HostGate, end: float) -> dict[str, HomeAnswer]:
    """Each site's home page timed through the crawl's per-host `gate`, FIRST_ROUND at once; a slow answer
    (SLOW_HOME_S or more, in time) is timed once more right away, SECOND_ROUND at once, and the quicker one
    counts. The sites not done by the loop time `end` are left out (or keep their first time)."""
    from govweb.crawl.probe_net import probe_once

    first, second = asyncio.Semaphore(FIRST_ROUND), asyncio.Semaphore(SECOND_ROUND)
    out: dict[str, HomeAnswer] = {}

    async def timed(site: Site, host: str, limit: asyncio.Semaphore) -> HomeAnswer:
        async with gate.slot(host), limit:
            probe = await probe_once(http, site.url, HOME_TIMEOUT_S)
        if probe.status is not None:
            gate.answered(host)
        return HomeAnswer(probe.elapsed_ms / 1000, probe.length)

    async def one(site: Site) -> None:
        host = urlsplit(site.url).hostname or ""
        out[site.site_id] = answer = await timed(site, host, first)
        if SLOW_HOME_S <= answer.seconds < HOME_TIMEOUT_S:
            again = await timed(site, host, second)
            out[site.site_id] = again if again.seconds < answer.seconds else answer

    tasks = [asyncio.ensure_future(one(s)) for s in sites]
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, end - asyncio.get_running_loop().time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return out


async def _answer_times(sites: list[Site], policy: NetworkPolicy, gate: HostGate) -> dict[str, HomeAnswer]:
    from govweb.crawl.fetch import session

    end = asyncio.get_running_loop().time() + ANSWER_DEADLINE_S
    async with session(policy, limit=FIRST_ROUND + SECOND_ROUND) as http:
        times = await _timed_all(sites, http, gate, end)
    return {s.site_id: times.get(s.site_id, HomeAnswer(HOME_TIMEOUT_S)) for s in sites}


def answer_times(sites: list[Site], policy: NetworkPolicy, limits: CrawlLimits | None = None) -> dict[str, HomeAnswer]:
    """How each site's home page answered a probe (HEAD, GET when HEAD is refused): its seconds, at most
    HOME_TIMEOUT_S (also for a site whose host did not let it through by ANSWER_DEADLINE_S), and the length
    it declared. A home page that answered slowly but in time is timed once more, fewer at once, and the
    quicker answer counts: a first answer can be slow because the server was busy with our other probes
    (sites sharing a platform, or the simulated web's one process serving every site), a second one of the
    same page is not. Each host is asked as the crawl asks it (`politeness.HostGate` with `limits`' per-host
    concurrency and delay: one request until the host has answered). A failure that came fast (no such
    name, refused) is fast: that site's crawl fails fast too."""
    if not sites:
        return {}
    limits = limits or CrawlLimits()
    t0 = time.monotonic()
    gate = HostGate(limits.per_host_concurrency, limits.per_host_delay_s)
    times = asyncio.run(_answer_times(sites, policy, gate))
    seconds = [a.seconds for a in times.values()]
    longest = sorted(times.items(), key=lambda kv: -kv[1].typical_crawls())[:3]
    log.info("timed %d home pages for the crawl order in %.1fs: median %.2fs, %d slower than %.1fs, %d larger "
             "than %d bytes; longest expected: %s", len(times), time.monotonic() - t0, statistics.median(seconds),
             sum(t >= SLOW_HOME_S for t in seconds), SLOW_HOME_S,
             sum((a.length or 0) > HEAVY_HOME_BYTES for a in times.values()), HEAVY_HOME_BYTES,
             ", ".join(f"{sid} ({a})" for sid, a in longest))
    return times


def crawl_order(sites: list[Site], store: EvidenceStore, year: int, policy: NetworkPolicy | None) -> list[Site]:
    """The sites, longest expected crawl first. The home pages of the sites without last year's time are timed
    through `policy` (None: a run that does not reach the sites, as rescore and archive runs)."""
    seconds = previous_seconds(store, year)
    unknown = [s for s in sites if s.site_id not in seconds]
    return longest_first(sites, seconds, answer_times(unknown, policy) if policy is not None else None)
