"""Crawl a batch of sites with one browser and one HTTP client: skip what is already captured, log
progress (sites done/total, pages/s), count failure reasons, never raise for one site's failure."""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from collections import Counter

from govweb.attempts import usable as already_captured
from govweb.capture import Capture, CrawlLimits
from govweb.crawl import browser as browser_setup
from govweb.crawl.axe_warm import WarmAxe
from govweb.crawl.context import Shared
from govweb.crawl.fetch import session
from govweb.crawl.gcpolicy import crawl_gc
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.site import CrawlSettings, crawl_site
from govweb.evidence import EvidenceStore
from govweb.models import Site

log = logging.getLogger(__name__)


class SiteQueue:
    """Where a crawl worker takes its next site: a list (one process) or a queue shared by the worker processes
    (each takes the next site when it has a free slot, so no process idles while the other still has a backlog).
    `done` counts finished sites across the processes, for the progress log."""

    def __init__(self, total: int, sites: list[Site] | None = None, queue=None, done=None):
        self.total = total
        self._sites = iter(sites or ())
        self._queue = queue
        self._done = done
        self._local_done = 0

    async def next(self) -> Site | None:
        if self._queue is None:
            return next(self._sites, None)
        return await asyncio.to_thread(self._queue.get)  # None: no site left for this slot

    def finished(self) -> int:
        if self._done is None:
            self._local_done += 1
            return self._local_done
        with self._done.get_lock():
            self._done.value += 1
            return self._done.value


def _progress(done: int, total: int, cap: Capture, pages: int, t_start: float) -> None:
    elapsed = max(time.monotonic() - t_start, 1e-6)
    why = cap.error or "; ".join(cap.partial_reasons)
    detail = f" ({cap.failure_reason}: {why[:120]})" if cap.failure_reason else ""
    log.info("[%d/%d] %s %s: %s%s, %d pages (%d browser), %d columns, %d links checked, %.1fs; %.1f pages/s",
             done, total, cap.site_id, cap.name, cap.status, detail, cap.stats.pages, cap.stats.browser_pages,
             len(cap.columns), len(cap.link_checks), cap.stats.seconds, pages / elapsed)


async def crawl_sites(sites: list[Site] | SiteQueue, store: EvidenceStore, *, year: int, as_of: str,
                      policy: NetworkPolicy, mode: str, settings: CrawlSettings, limits: CrawlLimits,
                      concurrency: int) -> dict[str, str]:
    """Crawl the sites, `concurrency` at a time, in the order given; {site_id: status}."""
    source = sites if isinstance(sites, SiteQueue) else SiteQueue(len(sites), sites)
    with crawl_gc():
        return await _crawl(source, store, year=year, as_of=as_of, policy=policy, mode=mode, settings=settings,
                            limits=limits, concurrency=concurrency)


async def _crawl(source: SiteQueue, store: EvidenceStore, *, year: int, as_of: str, policy: NetworkPolicy,
                 mode: str, settings: CrawlSettings, limits: CrawlLimits, concurrency: int) -> dict[str, str]:
    from playwright.async_api import async_playwright

    summary: dict[str, str] = {}
    reasons: Counter[str] = Counter()
    pages = 0
    t_start = time.monotonic()
    async with async_playwright() as pw:
        pool = browser_setup.BrowserPool(pw, policy, settings.browser_restart_after, settings.browser_pages)
        async with session(policy, limit=max(64, settings.link_concurrency)) as http:
            shared = Shared(http=http, policy=policy, settings=settings, limits=limits, browser=pool,
                            axe=WarmAxe(pool) if settings.warm_axe else None)

            async def slot() -> None:
                nonlocal pages
                while (site := await source.next()) is not None:
                    cap = await crawl_site(site, shared=shared, store=store, year=year, as_of=as_of, mode=mode,
                                           limits=limits)
                    pages += cap.stats.pages
                    summary[site.site_id] = f"failed:{cap.failure_reason}" if cap.status == "failed" else cap.status
                    if cap.failure_reason:
                        reasons[cap.failure_reason] += 1
                    _progress(source.finished(), source.total, cap, pages, t_start)

            await asyncio.gather(*(slot() for _ in range(concurrency)))
        if shared.axe is not None:
            await shared.axe.close()
        await pool.close()
    elapsed = time.monotonic() - t_start
    log.info("%d sites crawled in %.1fs: %d pages (%.1f pages/s), %d browser launch(es); "
             "failure reasons: %s; crawl worker peak RSS %d MiB (Chromium apart)", len(summary), elapsed, pages,
             pages / max(elapsed, 1e-6), pool.launches, dict(reasons) or "none",
             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    return summary


_QUEUE = None  # a worker process's end of the shared site queue (set by _worker_init)
_DONE = None


def _worker_init(queue, done) -> None:
    """A crawl worker process logs its progress like the task that started it and takes sites from the queue."""
    global _QUEUE, _DONE
    _QUEUE, _DONE = queue, done
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")


def _crawl_from_queue(total: int, store: EvidenceStore, kw: dict) -> dict[str, str]:
    return asyncio.run(crawl_sites(SiteQueue(total, queue=_QUEUE, done=_DONE), store, **kw))


def _in_processes(sites: list[Site], store: EvidenceStore, processes: int, kw: dict) -> dict[str, str]:
    """Spread the sites over worker processes (each its own browser and event loop, so the parsing uses every
    core). The processes take sites from one queue in the batch's order, so they finish together. A worker
    that dies fails its task loudly: the sites it had finished are stored and are skipped when the task is
    retried."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    log.info("crawling %d sites in %d worker processes", len(sites), processes)
    ctx = multiprocessing.get_context("spawn")  # no forked event loops, browsers or sockets
    queue, done = ctx.Queue(), ctx.Value("i", 0)
    for site in sites:
        queue.put(site)
    for _ in range(processes * kw["concurrency"]):  # one end mark per crawl slot
        queue.put(None)
    out: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=processes, mp_context=ctx, initializer=_worker_init,
                             initargs=(queue, done)) as pool:
        for fut in [pool.submit(_crawl_from_queue, len(sites), store, kw) for _ in range(processes)]:
            out.update(fut.result())
    return out


def crawl_batch(sites: list[Site], store: EvidenceStore, *, year: int, as_of: str, policy: NetworkPolicy,
                mode: str = "live", settings: CrawlSettings | None = None, concurrency: int = 3,
                force: bool = False, limits: CrawlLimits | None = None, processes: int = 1) -> dict[str, str]:
    """Crawl `sites` (in `processes` worker processes, each crawling `concurrency` sites at once); return
    {site_id: status of this attempt} ('failed:REASON' for a failed one) including skipped ones ('skipped')."""
    browser_setup.require_cjk_font()
    browser_setup.require_chromium()
    todo = [s for s in sites if force or not already_captured(store, year, s.site_id)]
    skipped = {s.site_id: "skipped" for s in sites if s not in todo}
    if skipped:
        log.info("skipping %d site(s) already captured for %d (use force to re-crawl)", len(skipped), year)
    if not todo:
        return skipped
    kw = {"year": year, "as_of": as_of, "policy": policy, "mode": mode, "concurrency": concurrency,
          "settings": settings or CrawlSettings.for_mode(mode), "limits": limits or CrawlLimits()}
    if processes > 1 and len(todo) > 1:
        result = _in_processes(todo, store, min(processes, len(todo)), kw)
    else:
        result = asyncio.run(crawl_sites(todo, store, **kw))
    return {**skipped, **result}
