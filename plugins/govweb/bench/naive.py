"""The naive baseline of the crawl benchmark: every page in Chromium, 8 pages at a time, breadth-first over
internal links from the home page, no adaptive rendering, the same page budget as the govweb crawl.

It stores nothing; it returns the URLs it loaded per site, so coverage can be compared URL for URL.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urldefrag, urljoin, urlsplit

from govweb.crawl import browser as browser_setup
from govweb.crawl.network import NetworkPolicy

LINKS_JS = "Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"


async def _site(context, home: str, budget: int, sem: asyncio.Semaphore) -> set[str]:
    host = urlsplit(home).hostname
    seen, queue, loaded = {home}, [home], set()
    while queue and len(loaded) < budget:
        wave, queue = queue[: budget - len(loaded)], queue[budget - len(loaded):]

        async def one(url: str) -> list[str]:
            async with sem:
                page = await context.new_page()
                try:
                    resp = await page.goto(url, wait_until="load", timeout=20000)
                    if resp is None or resp.status >= 400:
                        return []
                    loaded.add(url)
                    return await page.evaluate(LINKS_JS)
                except Exception:  # noqa: BLE001 - a baseline: a page that fails is simply not covered
                    return []
                finally:
                    await page.close()

        for hrefs in await asyncio.gather(*(one(u) for u in wave)):
            for href in hrefs:
                url = urldefrag(urljoin(home, href or ""))[0]
                if urlsplit(url).hostname == host and url not in seen and url.startswith("http"):
                    seen.add(url)
                    queue.append(url)
    return loaded


async def _crawl(urls: list[str], policy: NetworkPolicy, budget: int, parallel: int) -> dict[str, set[str]]:
    from playwright.async_api import async_playwright

    sem = asyncio.Semaphore(parallel)
    out: dict[str, set[str]] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**browser_setup.launch_options(policy))

        async def site(url: str) -> None:  # all sites at once; at most `parallel` pages loading in total
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            out[url] = await _site(context, url, budget, sem)
            await context.close()

        await asyncio.gather(*(site(u) for u in urls))
        await browser.close()
    return out


def crawl(urls: list[str], policy: NetworkPolicy, budget: int, parallel: int = 8) -> tuple[dict[str, set[str]], float]:
    t0 = time.monotonic()
    result = asyncio.run(_crawl(urls, policy, budget, parallel))
    return result, time.monotonic() - t0
