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
from govweb.crawl.context import Shared
from govweb.crawl.fetch import session
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.site import CrawlSettings, crawl_site
from govweb.evidence import EvidenceStore
from govweb.models import Site

log = logging.getLogger(__name__)


def _progress(done: int, total: int, cap: Capture, pages: int, t_start: float) -> None:
    elapsed = max(time.monotonic() - t_start, 1e-6)
    detail = f" ({cap.failure_reason}: {cap.error[:120]})" if cap.failure_reason else ""
    log.info("[%d/%d] %s %s: %s%s, %d pages (%d browser), %d columns, %d links checked, %.1fs; batch %.1f pages/s",
             done, total, cap.site_id, cap.name, cap.status, detail, cap.stats.pages, cap.stats.browser_pages,
             len(cap.columns), len(cap.link_checks), cap.stats.seconds, pages / elapsed)


async def crawl_sites(sites: list[Site], store: EvidenceStore, *, year: int, as_of: str, policy: NetworkPolicy,
                      mode: str, settings: CrawlSettings, limits: CrawlLimits, concurrency: int) -> dict[str, str]:
    from playwright.async_api import async_playwright

    summary: dict[str, str] = {}
    reasons: Counter[str] = Counter()
    pages = 0
    sem = asyncio.Semaphore(concurrency)
    t_start = time.monotonic()
    async with async_playwright() as pw:
        pool = browser_setup.BrowserPool(pw, policy, settings.browser_restart_after, settings.browser_pages)
        async with session(policy, limit=max(64, settings.link_concurrency)) as http:
            shared = Shared(http=http, policy=policy, settings=settings, limits=limits, browser=pool)

            async def one(site: Site) -> None:
                async with sem:
                    cap = await crawl_site(site, shared=shared, store=store, year=year, as_of=as_of, mode=mode,
                                           limits=limits)
                nonlocal pages
                pages += cap.stats.pages
                summary[site.site_id] = f"failed:{cap.failure_reason}" if cap.status == "failed" else cap.status
                if cap.failure_reason:
                    reasons[cap.failure_reason] += 1
                _progress(len(summary), len(sites), cap, pages, t_start)

            await asyncio.gather(*(one(s) for s in sites))
        await pool.close()
    elapsed = time.monotonic() - t_start
    log.info("batch of %d sites crawled in %.1fs: %d pages (%.1f pages/s), %d browser launch(es); "
             "failure reasons: %s; crawl worker peak RSS %d MiB (Chromium apart)", len(sites), elapsed, pages,
             pages / max(elapsed, 1e-6), pool.launches, dict(reasons) or "none",
             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    return summary


def _worker_init() -> None:
    """A crawl worker process logs its progress like the task that started it."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(processName)s %(name)s: %(message)s")


def _crawl_share(sites: list[Site], store: EvidenceStore, kw: dict) -> dict[str, str]:
    return asyncio.run(crawl_sites(sites, store, **kw))


def _in_processes(sites: list[Site], store: EvidenceStore, processes: int, kw: dict) -> dict[str, str]:
    """Spread the sites over worker processes (each its own browser and event loop, so the parsing uses
    every core); interleaved, so big and small sites mix. A worker that dies fails its task loudly: the
    sites it had finished are stored and are skipped when the task is retried."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    shares = [sites[i::processes] for i in range(processes)]
    log.info("crawling %d sites in %d worker processes", len(sites), processes)
    ctx = multiprocessing.get_context("spawn")  # no forked event loops, browsers or sockets
    out: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=processes, mp_context=ctx, initializer=_worker_init) as pool:
        for done in [pool.submit(_crawl_share, share, store, kw) for share in shares if share]:
            out.update(done.result())
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
