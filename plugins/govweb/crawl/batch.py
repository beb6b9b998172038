"""Crawl a batch of sites with one browser: skip what is already captured, log progress, never raise
for one site's failure (the capture records it)."""

from __future__ import annotations

import asyncio
import logging
import time

from govweb.crawl import browser as browser_setup
from govweb.crawl.fetch import session
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.site import CrawlSettings, crawl_site
from govweb.evidence import EvidenceStore, capture_key
from govweb.models import Site

log = logging.getLogger(__name__)


def already_captured(store: EvidenceStore, year: int, site_id: str) -> bool:
    key = capture_key(year, site_id)
    return store.exists(key) and store.get_json(key).get("status") in ("ok", "partial")


async def _crawl(sites: list[Site], store, policy, year, as_of, mode, settings, concurrency) -> dict:
    from playwright.async_api import async_playwright

    summary: dict[str, str] = {}
    done = 0
    sem = asyncio.Semaphore(concurrency)
    t_start = time.monotonic()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**browser_setup.launch_options(policy))
        async with session(policy) as http:

            async def one(site: Site) -> None:
                nonlocal done, browser
                async with sem:
                    if not browser.is_connected():
                        log.warning("browser disconnected; relaunching")
                        browser = await pw.chromium.launch(**browser_setup.launch_options(policy))
                    t0 = time.monotonic()
                    cap = await crawl_site(site, browser=browser, http=http, store=store, policy=policy,
                                           year=year, as_of=as_of, mode=mode, s=settings)
                done += 1
                summary[site.site_id] = cap["status"]
                log.info("[%d/%d] %s %s: %s%s, %d pages, %d links checked, %.1fs", done, len(sites),
                         site.site_id, site.name, cap["status"],
                         f" ({cap['failure_reason']}: {cap['error'][:120]})" if cap["failure_reason"] else "",
                         len(cap["pages"]), len(cap["link_checks"]), time.monotonic() - t0)

            await asyncio.gather(*(one(s) for s in sites))
        await browser.close()
    log.info("batch of %d sites crawled in %.1fs", len(sites), time.monotonic() - t_start)
    return summary


def crawl_batch(sites: list[Site], store: EvidenceStore, *, year: int, as_of: str, policy: NetworkPolicy,
                mode: str = "live", settings: CrawlSettings | None = None, concurrency: int = 3,
                force: bool = False) -> dict[str, str]:
    """Crawl `sites`; return {site_id: status} including skipped ones (status 'skipped')."""
    browser_setup.require_cjk_font()
    browser_setup.require_chromium()
    todo = [s for s in sites if force or not already_captured(store, year, s.site_id)]
    skipped = {s.site_id: "skipped" for s in sites if s not in todo}
    if skipped:
        log.info("skipping %d site(s) already captured for %d (use force to re-crawl)", len(skipped), year)
    if not todo:
        return skipped
    result = asyncio.run(_crawl(todo, store, policy, year, as_of, mode, settings or CrawlSettings(),
                                concurrency))
    return {**skipped, **result}
