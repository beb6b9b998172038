"""Crawl one site into a capture: home page in the browser, linked pages and link checks over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import aiohttp

from govweb import extract
from govweb.crawl.fetch import Fetched, fetch
from govweb.crawl.network import NameNotFound, NetworkPolicy, TargetBlocked
from govweb.evidence import EvidenceStore, capture_key
from govweb.models import Site

log = logging.getLogger(__name__)
MAX_SHOT_HEIGHT = 6000


@dataclass(frozen=True)
class CrawlSettings:
    page_timeout_s: float = 20.0
    link_timeout_s: float = 10.0
    settle_ms: int = 1500  # wait for network idle after load, so JS-rendered lists are in the DOM
    max_pages: int = 40  # linked pages stored per site (one level deep)
    max_bytes: int = 5_000_000
    link_concurrency: int = 8


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def classify_browser_error(message: str) -> str:
    m = message
    if "ERR_NAME_NOT_RESOLVED" in m or "ERR_NAME_RESOLUTION" in m:
        return "dns"
    if "ERR_CERT" in m or "ERR_SSL" in m:
        return "tls"
    if "Timeout" in m or "ERR_TIMED_OUT" in m:
        return "timeout"
    if "ERR_BLOCKED" in m or "ERR_ABORTED" in m and "blocked" in m:
        return "blocked"
    if "crash" in m.lower() or "Target closed" in m or "has been closed" in m:
        return "browser_crash"
    if "ERR_TOO_MANY_REDIRECTS" in m or "ERR_HTTP" in m:
        return "http_error"
    return "refused"


def _page_record(url: str, kind: str, via: str) -> dict:
    return {"url": url, "final_url": "", "kind": kind, "via": via, "status": None, "elapsed_ms": 0,
            "bytes": 0, "encoding": "", "title": "", "html_key": "", "screenshot_key": "", "links": [],
            "error": ""}


async def _home(browser, site: Site, store: EvidenceStore, prefix: str, s: CrawlSettings) -> dict:
    rec = _page_record(site.url, "home", "browser")
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                        accept_downloads=False, ignore_https_errors=False)
    try:
        page = await context.new_page()
        page.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))
        t0 = time.monotonic()
        resp = await page.goto(site.url, wait_until="load", timeout=s.page_timeout_s * 1000)
        # A page that keeps polling never goes idle: it is captured as it stands after settle_ms.
        with contextlib.suppress(Exception):
            await page.wait_for_load_state("networkidle", timeout=s.settle_ms)
        rec["elapsed_ms"] = int((time.monotonic() - t0) * 1000)
        rec["status"] = resp.status if resp else None
        rec["final_url"] = page.url
        html = await page.content()
        body = html.encode("utf-8")
        rec.update(bytes=len(body), encoding="utf-8",
                   html_key=store.put_blob(f"{prefix}/pages", body, "html", "text/html; charset=utf-8"))
        height = await page.evaluate("document.documentElement.scrollHeight")
        shot = await page.screenshot(full_page=True, type="png", clip={
            "x": 0, "y": 0, "width": 1280, "height": min(max(int(height or 900), 900), MAX_SHOT_HEIGHT)})
        rec["screenshot_key"] = store.put_blob(f"{prefix}/shots", shot, "png", "image/png")
        tree = extract.parse(html)
        rec["title"] = extract.title(tree)
        rec["links"] = [link.__dict__ for link in extract.links(tree, page.url)]
    finally:
        await context.close()
    return rec


def _check_record(f: Fetched, source: str) -> dict:
    return {"url": f.url, "source": source, "status": f.status, "final_url": f.final_url,
            "elapsed_ms": f.elapsed_ms, "error": f.error, "detail": f.error_detail}


async def _linked(http: aiohttp.ClientSession, home: dict, store: EvidenceStore, prefix: str,
                  s: CrawlSettings) -> tuple[list[dict], list[dict]]:
    """Check every home-page link; store internal pages (one level deep, at most max_pages)."""
    sem = asyncio.Semaphore(s.link_concurrency)
    internal = [link["href"] for link in home["links"] if link["internal"]]
    keep = set(internal[: s.max_pages])

    async def one(url: str) -> tuple[Fetched, dict | None]:
        async with sem:
            f = await fetch(http, url, keep_body=url in keep, timeout_s=s.link_timeout_s, max_bytes=s.max_bytes)
        if url not in keep or f.body is None:
            return f, None
        rec = _page_record(url, "other", "http")
        rec.update(final_url=f.final_url, status=f.status, elapsed_ms=f.elapsed_ms, bytes=len(f.body),
                   encoding=f.encoding, error=f.error)
        if f.ok and "html" in f.content_type:
            rec["html_key"] = store.put_blob(f"{prefix}/pages", f.body, "html", f.content_type)
            tree = extract.parse(extract.decode(f.body, f.encoding))
            rec["title"] = extract.title(tree)
            rec["links"] = [link.__dict__ for link in extract.links(tree, f.final_url)]
        return f, rec

    results = await asyncio.gather(*(one(link["href"]) for link in home["links"]))
    checks = [_check_record(f, home["url"]) for f, _ in results]
    pages = [rec for _, rec in results if rec is not None]
    return pages, checks


async def crawl_site(site: Site, *, browser, http: aiohttp.ClientSession, store: EvidenceStore,
                     policy: NetworkPolicy, year: int, as_of: str, mode: str, s: CrawlSettings) -> dict:
    prefix = f"evidence/{year}/{site.site_id}"
    cap = {"site_id": site.site_id, "name": site.name, "url": site.url, "year": year, "as_of": as_of,
           "mode": mode, "started": _now(), "finished": "", "status": "ok", "failure_reason": "",
           "error": "", "pages": [], "link_checks": [], "probes": {}}
    try:
        host = urlsplit(site.url).hostname or ""
        await asyncio.to_thread(policy.resolve, host, urlsplit(site.url).port or 80)
        home = await _home(browser, site, store, prefix, s)
        cap["pages"].append(home)
        if home["status"] is None or home["status"] >= 400:
            cap.update(status="failed", failure_reason="http_error", error=f"home page status {home['status']}")
        else:
            pages, checks = await _linked(http, home, store, prefix, s)
            cap["pages"].extend(pages)
            cap["link_checks"] = checks
    except TargetBlocked as exc:
        cap.update(status="failed", failure_reason="blocked", error=str(exc))
    except NameNotFound as exc:
        cap.update(status="failed", failure_reason="dns", error=str(exc))
    except Exception as exc:  # noqa: BLE001 - one site's failure is recorded, never sinks the batch
        msg = f"{type(exc).__name__}: {exc}"
        cap.update(status="failed", failure_reason=classify_browser_error(msg), error=msg[:500])
    cap["finished"] = _now()
    store.put_json(capture_key(year, site.site_id), cap)
    return cap
