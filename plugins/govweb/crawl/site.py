"""Crawl one site into a typed capture: home page and probes in the browser, the site model over HTTP,
link checks; budgets enforced; the capture stored as JSON."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from govweb import attempts
from govweb.capture import Capture, CrawlLimits, Page
from govweb.crawl import probes_runner, soft404
from govweb.crawl.budget import Budget
from govweb.crawl.context import Doc, Shared, SiteCrawl
from govweb.crawl.home import home_iframes, render_home
from govweb.crawl.linkcheck import LinkTarget, answered_pages, check_links
from govweb.crawl.network import NameNotFound, TargetBlocked
from govweb.crawl.plan import crawl_columns, discover
from govweb.crawl.render import http_page, read_robots, robots_permit
from govweb.crawl.sections import find_board, find_guides, platform_links
from govweb.crawl.settings import CrawlSettings
from govweb.evidence import EvidenceStore
from govweb.models import Site

__all__ = ["CrawlSettings", "classify_browser_error", "crawl_site"]
log = logging.getLogger(__name__)
INNER_LINK_KINDS = ("article", "column", "disclosure", "guide", "letter", "board", "other")


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
    if "ERR_BLOCKED" in m or ("ERR_ABORTED" in m and "blocked" in m):
        return "blocked"
    if "crash" in m.lower() or "Target closed" in m or "has been closed" in m:
        return "browser_crash"
    if "ERR_TOO_MANY_REDIRECTS" in m or "ERR_HTTP" in m or "ERR_EMPTY_RESPONSE" in m:
        return "http_error"
    return "refused"


def inner_link_sample(pages: list[Page], known: set[str], size: int) -> list[Page]:
    """Up to `size` inner pages whose links add the most not yet checked (articles first among pages that
    add any). Real portals repeat the menu and crumbs on every article: a page adding no link of its own
    would spend a place of the sample on links the home page's checks already cover."""
    seen, left, chosen = set(known), list(pages), []
    hrefs = [{lk.href for lk in p.links} for p in left]
    while left and len(chosen) < size:
        gains = [len(h - seen) for h in hrefs]
        best = max(range(len(left)), key=lambda i: (gains[i] > 0, left[i].kind == "article", gains[i], -i))
        if gains[best] == 0:
            break
        chosen.append(left.pop(best))
        seen |= hrefs.pop(best)
    return chosen


def inner_link_targets(sc: SiteCrawl, home: Doc) -> list[LinkTarget]:
    """Every home-page link, then the links of a sample of inner pages (see inner_link_sample)."""
    targets = [LinkTarget(lk.href, home.page.url, lk.text) for lk in home.page.links]
    inner = [p for p in sc.capture.pages if p.kind in INNER_LINK_KINDS and p.links and not p.error]
    for page in inner_link_sample(inner, {t.url for t in targets}, sc.limits.inner_link_pages):
        targets += [LinkTarget(lk.href, page.url, lk.text) for lk in page.links]
    # other hosts' robots.txt is not read: their links are always checked
    return [t for t in targets if robots_permit(sc, t.url)]


def _lap(sc: SiteCrawl, what: str, t0: float) -> float:
    now = time.monotonic()
    log.debug("%s: %s %.2fs", sc.site.site_id, what, now - t0)
    return now


async def site_model(sc: SiteCrawl, home: Doc) -> None:
    t = time.monotonic()
    await home_iframes(sc, home)
    sc.capture.platform_links.extend(platform_links(sc, home.page.links))
    await discover(sc, home)
    t = _lap(sc, "iframes+discover", t)
    board = await find_board(sc)
    t = _lap(sc, "board", t)
    if sc.archive is None:  # archive mode: a missing page is the archive's business
        await soft404.not_found_probe(sc)  # before any link or download is checked
    await asyncio.gather(crawl_columns(sc, home, {board.url} if board else set()), find_guides(sc),
                         home_articles(sc, home))
    t = _lap(sc, "columns+guides", t)
    # archive mode: the pages came from the archive, the links are checked live
    answered = answered_pages(sc.capture.pages) if sc.archive is None else {}
    checks = await check_links(sc.shared, inner_link_targets(sc, home), sc.limits.link_timeout_s, answered)
    await soft404.mark_soft_404s(sc, checks)
    sc.capture.link_checks = checks
    sc.capture.stats.requests += sum(c.url not in answered for c in checks)
    _lap(sc, "link checks", t)


async def home_articles(sc: SiteCrawl, home: Doc) -> None:
    """The articles listed on the home page (the most read content: typos, old agency names and personal
    data are looked for there first)."""
    urls = list(dict.fromkeys(i.url for i in home.page.items if sc.internal(i.url)))[: sc.limits.home_articles]
    slots = asyncio.Semaphore(sc.settings.site_concurrency)

    async def one(url: str) -> None:
        async with slots:
            await http_page(sc, url, "article")

    await asyncio.gather(*(one(u) for u in urls))


async def _crawl(sc: SiteCrawl) -> None:
    url = sc.capture.url
    if sc.capture.mode == "archive":
        if not await _find_snapshot(sc):
            return
        parts = urlsplit(sc.archive.archive.base)
    else:
        parts = urlsplit(url)
    await asyncio.to_thread(sc.shared.policy.resolve, parts.hostname or "", parts.port or 80)
    t = time.monotonic()
    await read_robots(sc)
    async with sc.shared.browser.context() as ctx:
        sc.context = ctx
        rest = None
        try:
            async with sc.shared.browser.tab(ctx) as tab:
                home = await render_home(sc, tab)
                t = _lap(sc, "robots+home", t)
                if home.page.status is None or home.page.status >= 400:
                    sc.capture.status, sc.capture.failure_reason = "failed", "http_error"
                    sc.capture.error = f"home page status {home.page.status}"
                    return
                # the site model is crawled over HTTP while the browser runs the probes
                rest = asyncio.gather(site_model(sc, home), probes_runner.network_probes(sc))
                await _live_probes(sc, tab, home)
            # The home tab closes as soon as axe and the phone load are done with it, not when the site is: a
            # live portal's carousel, marquee or animated banner keeps its renderer drawing for as long as the
            # tab is open (measured: 24 such tabs left open kept 1.45 of 2 cores busy).
            await rest
            # The search comes last: its query is taken from the columns' items, all of them crawled by now (a
            # query chosen from the items crawled so far would depend on timing, and so would the evidence).
            t = time.monotonic()
            await probes_runner.search(sc, home)
            _lap(sc, "search probe", t)
        finally:  # failed or cancelled (time budget) before the rest was done: it stops with the site
            if rest is not None and not rest.done():
                rest.cancel()
                with contextlib.suppress(BaseException):
                    await rest


async def _find_snapshot(sc: SiteCrawl) -> bool:
    """Archive mode: the site's snapshot nearest the as-of date and not after it, or a failed capture."""
    from govweb.crawl.archive import Archive, ArchiveError, SiteArchive
    from govweb.crawl.fetch import fetch

    archive = Archive.from_env()
    cdx = archive.cdx_url(sc.capture.url, sc.as_of)
    f = await fetch(sc.shared.http, cdx, keep_body=True, timeout_s=sc.limits.page_timeout_s, max_bytes=20_000_000)
    if not f.ok or f.body is None:
        _fail(sc.capture, f.error or "http_error", f"archive index {cdx}: {f.error_detail or f.status}")
        return False
    try:
        snap = archive.choose(f.body.decode("utf-8", "replace"), sc.capture.url, sc.as_of)
    except ArchiveError as exc:
        _fail(sc.capture, "http_error", str(exc))
        return False
    if snap is None:
        _fail(sc.capture, "missing", f"no snapshot of {sc.capture.url} in {archive.base} within "
                                     f"{archive.window_days} days before {sc.as_of}")
        return False
    sc.archive = SiteArchive(archive, snap, {})
    return True


async def _live_probes(sc: SiteCrawl, tab, home: Doc) -> None:
    t = time.monotonic()
    await probes_runner.live_page_probes(sc, tab, home)
    t = _lap(sc, "axe probe", t)
    await probes_runner.mobile(sc, tab)  # navigates the tab: last
    _lap(sc, "mobile probe", t)


def _final_stats(cap: Capture, seconds: float) -> None:
    """Page counts from the pages themselves (the probes add theirs), the time spent."""
    got = [p for p in cap.pages if p.status is not None]
    cap.stats.pages = len(got)
    cap.stats.browser_pages = sum(p.via == "browser" for p in got)
    cap.stats.http_pages = sum(p.via == "http" for p in got)
    cap.stats.seconds = round(seconds, 3)


def _fail(cap: Capture, reason: str, error: str) -> None:
    cap.status, cap.failure_reason, cap.error = "failed", reason, error[:500]


async def crawl_site(site: Site, *, shared: Shared, store: EvidenceStore, year: int, as_of: str, mode: str,
                     limits: CrawlLimits | None = None) -> Capture:
    """Crawl `site` and store its capture; never raises for the site's own failure (the capture says)."""
    limits = limits or shared.limits
    cap = Capture(site_id=site.site_id, name=site.name, url=site.url, year=year, as_of=as_of, mode=mode,
                  started=_now(), limits=limits)
    sc = SiteCrawl(site=site, capture=cap, store=store, shared=shared, as_of=date.fromisoformat(as_of),
                   budget=Budget(limits.max_pages, limits.max_seconds))
    t0 = time.monotonic()
    try:
        # the time budget stops new pages at max_seconds; requests in flight get one page timeout more
        async with asyncio.timeout(limits.max_seconds + limits.page_timeout_s):
            await _crawl(sc)
    except TimeoutError:
        if cap.home is None or cap.home.status is None:
            _fail(cap, "timeout", "home page not loaded within the time budget")
        else:
            cap.stats.budget_hit = cap.stats.budget_hit or "time"
            sc.partial("budget: time")
    except TargetBlocked as exc:
        _fail(cap, "blocked", str(exc))
    except NameNotFound as exc:
        _fail(cap, "dns", str(exc))
    except Exception as exc:  # noqa: BLE001 - one site's failure is recorded, never sinks the batch
        msg = f"{type(exc).__name__}: {exc}"
        if cap.home is not None and cap.home.status is not None and cap.home.status < 400:
            log.warning("%s: crawl interrupted after the home page: %s", site.site_id, msg[:300])
            sc.partial(f"interrupted: {msg[:200]}")
        else:
            _fail(cap, classify_browser_error(msg), msg)
    if sc.archive is not None:
        cap.snapshots = dict(sorted(sc.archive.served.items()))
        missing = [p.url for p in cap.pages if p.status == 404]
        if missing and cap.status != "failed":
            sc.partial(f"{len(missing)} page(s) missing from the archive, e.g. {missing[0]}")
    sc.trees.clear()
    _final_stats(cap, time.monotonic() - t0)
    if cap.stats.budget_hit and cap.status == "ok":
        cap.partial_reasons = cap.partial_reasons or [f"budget: {cap.stats.budget_hit}"]
    if cap.status == "ok" and cap.partial_reasons:
        cap.status = "partial"
        if cap.stats.budget_hit:
            cap.failure_reason = "budget"
    cap.finished = _now()
    attempts.save(store, cap)  # every attempt kept; capture.json stays the best one
    return cap
