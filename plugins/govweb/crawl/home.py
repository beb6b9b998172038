"""The home page in Chromium: DOM after scripts, desktop screenshot, links, dated items (iframes too)."""

from __future__ import annotations

import contextlib
import logging
import time
from urllib.parse import urlsplit

from govweb.capture import DatedItem, Page
from govweb.crawl import doc_charset, markup, shell, shots
from govweb.crawl.browser import VIEWPORT
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.render import fill_page, http_page, request_page, store_html

log = logging.getLogger(__name__)


def _redirect_chain(resp) -> list[str]:
    chain = []
    req = resp.request.redirected_from if resp else None
    while req is not None:
        chain.append(req.url)
        req = req.redirected_from
    return list(reversed(chain))


async def render_home(sc: SiteCrawl, tab) -> Doc:
    """Load the home page in `tab` (left open for the probes); the page is always fetched (no robots)."""
    url = sc.capture.url
    page = Page(url=url, kind="home", via="browser")
    sc.capture.pages.insert(0, page)
    sc.budget.pages += 1
    t0 = time.monotonic()
    target = sc.archive.fetch_url(url) if sc.archive is not None else url
    resp = await tab.goto(target, wait_until="load", timeout=sc.limits.page_timeout_s * 1000)
    # A page that keeps polling never goes idle: it is captured as it stands after settle_ms.
    with contextlib.suppress(Exception):
        await tab.wait_for_load_state("networkidle", timeout=sc.settings.settle_ms)
    page.elapsed_ms = int((time.monotonic() - t0) * 1000)
    page.status = resp.status if resp else None
    page.final_url = tab.url
    if resp is not None:  # the host answers: a later refusal is a busy server, not a dead one
        sc.shared.gate.answered(urlsplit(target).hostname or "")
    page.redirects = _redirect_chain(resp)
    html = shell_html = await tab.content()
    original = sc.archive.original_of if sc.archive is not None else None
    framed = await shell.main_frame(tab, sc.internal, original)
    if sc.archive is None and resp is not None and resp.ok and await _decode_again(sc, tab, resp, html, framed):
        html = shell_html = await tab.content()
        framed = await shell.main_frame(tab, sc.internal, original)
    if framed is not None:
        html = framed[1]
    if sc.archive is not None:  # the page as the site served it: archive rewriting undone, original URL
        html = sc.archive.archive.unrewrite(html)
        page.final_url = sc.archive.restore(url, tab.url)
        page.snapshot = sc.archive.served.get(url, "")
    if framed is not None:
        log.info("%s: the home page is a frame shell; its main frame %s is read as the home page",
                 sc.site.site_id, framed[0])
        html = shell.with_base(html, framed[0], page.final_url or url, shell_html)
    # the stored DOM is UTF-8 whatever the site served (its charset is in meta / the HTTP pages)
    page.encoding = "utf-8"
    body = html.encode("utf-8")
    page.bytes = len(body)
    page.html_key = store_html(sc, body, "text/html; charset=utf-8")
    viewport = tab.viewport_size or VIEWPORT
    height = min(max(await shots.height_after_fonts(tab), viewport["height"]), sc.settings.max_shot_height)
    fmt = "jpeg" if sc.settings.screenshot_format == "jpeg" else "png"
    shot = await shots.capture(tab, int(viewport["width"]), height, int(viewport["height"]), fmt)
    page.screenshot_key = sc.store.put_blob(f"{sc.prefix}/shots", shot, "jpg" if fmt == "jpeg" else "png",
                                            f"image/{fmt}")
    doc = await fill_page(sc, Doc(page, keeper=sc.trees), html, page.final_url or url)
    stats = sc.capture.stats
    stats.pages += 1
    stats.browser_pages += 1
    stats.requests += 1
    stats.bytes += len(body)
    sc.docs[url] = doc
    return doc


async def _decode_again(sc: SiteCrawl, tab, resp, html: str, framed: tuple[str, str] | None) -> bool:
    """Load the home page again with its documents (the page; the main frame of a frame shell) in the charset
    their bytes are written in, where the browser read them in another (doc_charset); the first load's status,
    redirects and timing stand. True when it was loaded again."""
    async def raw_of(url: str) -> tuple[bytes, str | None] | None:
        f = await request_page(sc, url)
        return (f.body, f.header_charset) if f.ok and f.body else None

    documents = [(tab, resp.url, html)]
    if framed is not None and (frame := await shell.frame_of(tab)) is not None:
        documents.append((frame, framed[0], framed[1]))
    wrong = {}
    for frame, url, text in documents:
        if (found := await doc_charset.misdecoded(frame, url, text, raw_of)) is not None:
            body, codec, used = found
            log.info("%s: %s is written in %s, not in %s as the browser read it; loaded again as %s",
                     sc.site.site_id, url, codec, used, codec)
            wrong[url] = (body, codec)
    if not wrong or await doc_charset.reload_decoded(tab, resp.url, wrong, sc.limits.page_timeout_s * 1000) is None:
        return False
    with contextlib.suppress(Exception):
        await tab.wait_for_load_state("networkidle", timeout=sc.settings.settle_ms)
    return True


def merge_items(into: list[DatedItem], more: list[DatedItem]) -> None:
    seen = {i.url for i in into}
    for item in more:
        if item.url not in seen:
            into.append(item)
            seen.add(item.url)


async def home_iframes(sc: SiteCrawl, home: Doc) -> None:
    """Lists inside iframes: the framed pages stored as `other` pages, their items merged into the home's."""
    if home.tree is None:
        return
    for src in markup.iframe_sources(home.tree, home.base):
        if not src.startswith(("http://", "https://")):
            continue
        framed = await http_page(sc, src, "other")
        if framed is not None and framed.tree is not None:
            if not framed.page.items:
                framed.page.items = markup.list_items(framed.tree, framed.base, sc.as_of)
            merge_items(home.page.items, framed.page.items)
