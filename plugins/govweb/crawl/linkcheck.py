"""Link checks: HEAD, then GET when HEAD is refused; a dead host fails at once with its first reason.
A link to a page this crawl already fetched and got an answer for is not requested again: its check is
that answer (as a link checker's per-run URL cache does)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from govweb.capture import LinkCheck, Page
from govweb.crawl.context import Shared
from govweb.crawl.fetch import Fetched, fetch
from govweb.crawl.politeness import BUSY_RETRY_S, remember_failure

GET_AFTER_HEAD = (403, 404, 405, 501)  # servers that answer HEAD badly; 404 re-checked to avoid false alarms


@dataclass(frozen=True)
class LinkTarget:
    url: str
    source: str
    text: str = ""


def _record(t: LinkTarget, f: Fetched) -> LinkCheck:
    return LinkCheck(url=t.url, source=t.source, text=t.text[:200], status=f.status, final_url=f.final_url,
                     method="" if f.status is None and f.error else f.method, elapsed_ms=f.elapsed_ms,
                     error=f.error or ("http_error" if f.status is not None and f.status >= 400 else ""),
                     detail=f.error_detail)


async def _request(shared: Shared, url: str, method: str, timeout_s: float) -> Fetched:
    host = (urlsplit(url).hostname or "").lower()
    for pause in (0.0, *BUSY_RETRY_S):
        await asyncio.sleep(pause)
        async with shared.gate.slot(host):
            dead = shared.dead.get(host)
            if dead:
                return Fetched(url, method=method, error=dead.reason,
                               error_detail=f"host remembered dead: {dead.detail}")
            async with shared.link_slots:
                f = await fetch(shared.http, url, keep_body=False, timeout_s=timeout_s, max_bytes=0, method=method)
        if f.status is not None:
            shared.gate.answered(host)
            return f
        # a live host that is slow once or refuses once is busy, not dead (see remember_failure)
        if not f.error or not remember_failure(shared.gate, shared.dead, host, f.error, f.error_detail):
            return f
    return f


async def check_one(shared: Shared, t: LinkTarget, timeout_s: float) -> LinkCheck:
    parts = urlsplit(t.url)
    if parts.scheme not in ("http", "https"):
        return LinkCheck(url=t.url, source=t.source, text=t.text, error="http_error", detail="not an http(s) link")
    rule = shared.policy.mapped(parts.hostname or "") if parts.scheme == "https" else None
    if rule is not None and rule.https_unknown:
        return LinkCheck(url=t.url, source=t.source, text=t.text[:200], error="skipped",
                         detail=f"https to a host mapped by --host-map to port {rule.port} without a TLS port")
    f = await _request(shared, t.url, "HEAD", timeout_s)
    if f.error == "timeout" and shared.gate.has_answered(urlsplit(t.url).hostname or ""):
        f = await _request(shared, t.url, "HEAD", timeout_s)  # a live host's one slow answer is retried once
    if f.status in GET_AFTER_HEAD or (f.status is None and f.error not in ("dns", "refused", "timeout",
                                                                             "blocked")):
        g = await _request(shared, t.url, "GET", timeout_s)
        if g.status is not None or f.status is None:
            f = g
    return _record(t, f)


def dedupe(targets: list[LinkTarget]) -> list[LinkTarget]:
    seen: dict[str, LinkTarget] = {}
    for t in targets:
        seen.setdefault(t.url, t)
    return list(seen.values())


FROM_CRAWL = "answered when the crawl fetched this page"


def answered_pages(pages: list[Page]) -> dict[str, Page]:
    """The pages of this crawl that got an HTTP answer, by the URL requested (a fetch that failed without
    one, e.g. a timeout, is left to the link check to try again)."""
    return {p.url: p for p in pages if p.status is not None}


def from_page(t: LinkTarget, page: Page) -> LinkCheck:
    """The link check of a URL the crawl fetched (by GET, in the browser or over HTTP)."""
    return _record(t, Fetched(t.url, method="GET", status=page.status, final_url=page.final_url or page.url,
                              elapsed_ms=page.elapsed_ms, error_detail=FROM_CRAWL))


async def check_links(shared: Shared, targets: list[LinkTarget], timeout_s: float,
                      answered: dict[str, Page] | None = None) -> list[LinkCheck]:
    """Check every distinct URL once (the first page it was found on is its source), in input order. URLs in
    `answered` (see answered_pages) take that answer and cost no request."""
    unique = dedupe(targets)
    known = answered or {}

    async def one(t: LinkTarget) -> LinkCheck:
        page = known.get(t.url)
        return from_page(t, page) if page is not None else await check_one(shared, t, timeout_s)

    return list(await asyncio.gather(*(one(t) for t in unique)))
