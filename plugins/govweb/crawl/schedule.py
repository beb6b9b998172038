"""The order in which the sites are crawled: the ones expected to take longest first.

A crawl task ends when its last site ends. A site that needs minutes (a slow server, a time budget hit) started
near the end keeps every other slot idle while it finishes; started first, it runs beside the others (longest
processing time first). A site's expected time is what its crawl took last year (the crawl health summary,
`quality/{year}/crawl_health.json`, written after every crawl). A site without one (a first run, a new site)
has its home page timed once before the run is planned (`answer_times`): one that answers slowly or not at
all is expected to take that many times a typical site's time."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from urllib.parse import urlsplit

from govweb.capture import CrawlLimits
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import HostGate
from govweb.evidence import EvidenceStore
from govweb.models import Site

log = logging.getLogger(__name__)
SLOW_HOME_S = 0.5  # a home page answering in h seconds (h above this) expects h / SLOW_HOME_S typical crawls
HOME_TIMEOUT_S = 5.0  # a home page not answered by then is timed at this
ANSWER_DEADLINE_S = 30.0  # for the whole timing; a site not timed by then (behind a slow shared host) is slow
FIRST_ROUND, SECOND_ROUND = 16, 4  # probes in flight: every home page, then the slow ones again


def health_key(year: int) -> str:
    return f"quality/{year}/crawl_health.json"


def previous_seconds(store: EvidenceStore, year: int) -> dict[str, float]:
    """Seconds each site's crawl took in the year before `year` (empty when that year was not crawled here)."""
    key = health_key(year - 1)
    if not store.exists(key):
        return {}
    seconds = store.get_json(key).get("seconds") or {}
    return {str(k): float(v) for k, v in seconds.items()}


def longest_first(sites: list[Site], seconds: dict[str, float], home_s: dict[str, float] | None = None) -> list[Site]:
    """`sites` ordered by expected crawl time, longest first: last year's time; for a site without one, a
    typical site's time (the median of last year's), times h / SLOW_HOME_S when its home page answered in h
    seconds, h above SLOW_HOME_S (`home_s`). Ties keep the inventory's order."""
    home_s = home_s or {}
    if not seconds and not home_s:
        return list(sites)
    typical = statistics.median(seconds.values()) if seconds else 1.0

    def expected(s: Site) -> float:
        if s.site_id in seconds:
            return seconds[s.site_id]
        return typical * max(1.0, home_s.get(s.site_id, 0.0) / SLOW_HOME_S)

    ordered = sorted(sites, key=lambda s: -expected(s))
    first = [f"{s.site_id} ({seconds[s.site_id]:.0f}s last year)" if s.site_id in seconds
             else f"{s.site_id} (home page {home_s.get(s.site_id, 0.0):.1f}s)" for s in ordered[:3]]
    log.info("crawl order: longest expected first (%d of %d sites timed last year, %d home pages timed now; "
             "first: %s)", sum(s.site_id in seconds for s in sites), len(sites), len(home_s), ", ".join(first))
    return ordered


async def _round(sites: list[Site], http, gate: HostGate, concurrency: int, end: float) -> dict[str, float]:
    """One timed probe of each site's home page, through the crawl's per-host `gate`; the sites not done by the
    loop time `end` are left out."""
    from govweb.crawl.probe_net import probe_once

    limit = asyncio.Semaphore(concurrency)
    out: dict[str, float] = {}

    async def one(site: Site) -> None:
        host = urlsplit(site.url).hostname or ""
        async with gate.slot(host), limit:
            probe = await probe_once(http, site.url, HOME_TIMEOUT_S)
        if probe.status is not None:
            gate.answered(host)
        out[site.site_id] = probe.elapsed_ms / 1000

    tasks = [asyncio.ensure_future(one(s)) for s in sites]
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, end - asyncio.get_running_loop().time()))
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    return out


async def _answer_times(sites: list[Site], policy: NetworkPolicy, gate: HostGate) -> dict[str, float]:
    from govweb.crawl.fetch import session

    end = asyncio.get_running_loop().time() + ANSWER_DEADLINE_S
    async with session(policy, limit=FIRST_ROUND) as http:
        first = await _round(sites, http, gate, FIRST_ROUND, end)
        times = {s.site_id: first.get(s.site_id, HOME_TIMEOUT_S) for s in sites}
        again = [s for s in sites if SLOW_HOME_S <= first.get(s.site_id, 0.0) < HOME_TIMEOUT_S]
        second = await _round(again, http, gate, SECOND_ROUND, end)
    return {sid: min(t, second.get(sid, t)) for sid, t in times.items()}


def answer_times(sites: list[Site], policy: NetworkPolicy, limits: CrawlLimits | None = None) -> dict[str, float]:
    """Seconds each site's home page took to answer a probe (HEAD, GET when HEAD is refused), at most
    HOME_TIMEOUT_S (also for a site whose host did not let it through by ANSWER_DEADLINE_S). A home page
    that answered slowly but in time is timed once more, fewer at once, and the quicker answer counts: a
    first answer can be slow because the server was busy with our other probes (sites sharing a platform, or
    the simulated web's one process serving every site), a second one of the same page is not. Each host is
    asked as the crawl asks it (`politeness.HostGate` with `limits`' per-host concurrency and delay: one
    request until the host has answered). A failure that came fast (no such name, refused) is fast: that
    site's crawl fails fast too."""
    if not sites:
        return {}
    limits = limits or CrawlLimits()
    t0 = time.monotonic()
    gate = HostGate(limits.per_host_concurrency, limits.per_host_delay_s)
    times = asyncio.run(_answer_times(sites, policy, gate))
    slow = sorted(times.items(), key=lambda kv: -kv[1])[:3]
    log.info("timed %d home pages for the crawl order in %.1fs: median %.2fs, %d slower than %.1fs, slowest %s",
             len(times), time.monotonic() - t0, statistics.median(times.values()),
             sum(t >= SLOW_HOME_S for t in times.values()), SLOW_HOME_S,
             ", ".join(f"{sid} {t:.1f}s" for sid, t in slow))
    return times


def crawl_order(sites: list[Site], store: EvidenceStore, year: int, policy: NetworkPolicy | None) -> list[Site]:
    """The sites, longest expected crawl first. The home pages of the sites without last year's time are timed
    through `policy` (None: a run that does not reach the sites, as rescore and archive runs)."""
    seconds = previous_seconds(store, year)
    unknown = [s for s in sites if s.site_id not in seconds]
    return longest_first(sites, seconds, answer_times(unknown, policy) if policy is not None else None)
