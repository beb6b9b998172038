"""Adaptive rendering: plain HTTP + the parser for inner pages; the browser only for pages whose list, or
whose text, is built by scripts (detected on the HTTP page) — recorded `via="browser"`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from urllib.parse import urlsplit

from govweb.capture import Page
from govweb.crawl import markup, page_scripts, script_pager
from govweb.crawl.budget import BudgetExceeded
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.fetch import Fetched, fetch
from govweb.crawl.politeness import BUSY_RETRY_S, remember_failure
from govweb.crawl.robots import from_fetched, robots_url

log = logging.getLogger(__name__)
LIST_KINDS = ("column", "board", "disclosure")
TEXT_KINDS = ("article", "guide", "letter")  # pages read for their text: rendered when a script writes it in
CLICKED_KINDS = ("column", "disclosure")  # a script pager is clicked for the second page of these lists


def store_html(sc: SiteCrawl, body: bytes, content_type: str) -> str:
    return sc.store.put_blob(f"{sc.prefix}/pages", body, "html", content_type or "text/html")


def store_text(sc: SiteCrawl, tree) -> str:
    text = markup.visible_text(tree)
    return sc.store.put_blob(f"{sc.prefix}/text", text.encode("utf-8"), "txt", "text/plain; charset=utf-8")


async def keep_dom(sc: SiteCrawl, doc: Doc, html: str, page_url: str) -> Doc:
    """A page's DOM as the browser has it (UTF-8, whatever the site served) stored as the page and read into `doc`."""
    body = html.encode("utf-8")
    doc.page.encoding, doc.page.bytes = "utf-8", len(body)
    doc.page.html_key = store_html(sc, body, "text/html; charset=utf-8")
    return await fill_page(sc, doc, html, page_url)


async def fill_page(sc: SiteCrawl, doc: Doc, html: str, page_url: str) -> Doc:
    """`fill_from_html`, with the helpers of the site's script files when the page's items call helpers it does
    not define itself (crawl.page_scripts: the page is parsed again with them)."""
    tree = markup.tree_of(html)
    files = await page_scripts.helper_files(sc, tree, markup.base_url(tree, page_url))
    if files:
        doc.page.script_keys = [f.key for f in files]
        return fill_from_html(sc, doc, html, page_url, tuple(f.text for f in files))
    return fill_from_html(sc, doc, html, page_url, tree=tree)


def fill_from_html(sc: SiteCrawl, doc: Doc, html: str, page_url: str, scripts: tuple[str, ...] = (),
                   tree=None) -> Doc:
    """Title, meta, links, items of a decoded page into `doc` (`scripts`: texts of the script files whose
    helpers the page calls; `tree`: the page already parsed with them); its visible text stored."""
    page = doc.page
    tree = tree or markup.tree_of(html, scripts)
    base = markup.base_url(tree, page_url)
    page.title = markup.title(tree)
    page.meta = markup.meta(tree)
    page.links = markup.page_links(tree, base, sc.own_hosts)
    if page.kind in LIST_KINDS:
        page.items = markup.main_list(tree, base, sc.as_of)
    elif page.kind == "home":
        page.items = markup.list_items(tree, base, sc.as_of)
    page.text_key = store_text(sc, tree)
    doc.parsed(html, base, tree, scripts)
    return doc


def own_list(sc: SiteCrawl, doc: Doc) -> list:
    """The page's own list (its items when it is a list page), computed once per page."""
    if doc.main is None:
        if doc.page.kind in LIST_KINDS or doc.tree is None:
            doc.main = doc.page.items
        else:
            doc.main = markup.main_list(doc.tree, doc.base, sc.as_of)
    return doc.main


def robots_permit(sc: SiteCrawl, url: str) -> bool:
    """robots.txt allows `url` (SiteCrawl.robots_allow); a disallowed url is listed once in the capture."""
    if sc.robots_allow(url):
        return True
    hits = sc.capture.robots.disallowed_paths_hit
    if url not in hits:
        hits.append(url)
    return False


def take_budget(sc: SiteCrawl) -> bool:
    try:
        sc.budget.take()
    except BudgetExceeded as exc:
        sc.capture.stats.budget_hit = exc.kind
        sc.partial(f"budget: {exc.kind}")
        return False
    return True


async def request_page(sc: SiteCrawl, url: str) -> Fetched:
    """One polite GET of `url` for the site (per-host slot, dead-host memory), counted in the stats."""
    shared = sc.shared
    host = (urlsplit(url).hostname or "").lower()
    target = sc.archive.fetch_url(url) if sc.archive is not None else url
    for pause in (0.0, *BUSY_RETRY_S):
        await asyncio.sleep(pause)
        async with shared.gate.slot(host):
            dead = shared.dead.get(host)
            if dead:
                return Fetched(url, error=dead.reason, error_detail=f"host remembered dead: {dead.detail}")
            f = await fetch(shared.http, target, keep_body=True, timeout_s=sc.limits.page_timeout_s,
                            max_bytes=sc.limits.max_bytes)
        if f.status is not None:
            shared.gate.answered(host)
            break
        # a slow page is not retried (it would cost another page timeout) and does not kill the host
        if f.error == "timeout" or not remember_failure(shared.gate, shared.dead, host, f.error, f.error_detail):
            break
    if sc.archive is not None:  # the page as the site served it, under its own URL
        f.url, f.final_url = url, sc.archive.restore(url, f.final_url or target)
        if f.body is not None:
            f.body = sc.archive.unrewrite_bytes(f.body)
    stats = sc.capture.stats
    stats.requests += 1
    stats.bytes += len(f.body or b"")
    return f


async def read_robots(sc: SiteCrawl, host_url: str = "") -> None:
    """robots.txt of the site's host (host_url empty) or of an adopted section host: stored, recorded in
    the capture and obeyed from now on for that host's pages."""
    url = robots_url(host_url or sc.capture.url)
    f = await request_page(sc, url)
    text, key = None, ""
    if f.body is not None and f.ok:
        text = f.body.decode("utf-8", errors="replace")
        key = sc.store.put_blob(f"{sc.prefix}/robots", f.body, "txt", "text/plain")
    record, rules = from_fetched(f, text, key)
    if not host_url:
        sc.capture.robots, sc.robots = record, rules
    else:
        sc.capture.section_robots.append(record)
        sc.section_robots[(urlsplit(url).hostname or "").lower()] = rules


async def http_page(sc: SiteCrawl, url: str, kind: str, column: str = "") -> Doc | None:
    """Fetch `url` once per site (robots and budget permitting) and add it to the capture as `kind`;
    a second caller for the same url gets the first caller's page once it is complete."""
    if url in sc.docs:
        return sc.docs[url]
    if url in sc.fetching:
        return await asyncio.shield(sc.fetching[url])
    if not robots_permit(sc, url) or not take_budget(sc):
        return None
    done: asyncio.Future = asyncio.get_running_loop().create_future()
    sc.fetching[url] = done
    doc = None
    try:
        doc = await _http_page(sc, url, kind, column)
    finally:
        sc.docs[url] = doc or Doc(Page(url=url, kind=kind, column=column, error="refused"))
        sc.fetching.pop(url, None)
        done.set_result(doc)
    return doc


async def _http_page(sc: SiteCrawl, url: str, kind: str, column: str) -> Doc:
    page = Page(url=url, kind=kind, via="archive" if sc.archive is not None else "http", column=column)
    doc = Doc(page, keeper=sc.trees)
    sc.capture.pages.append(page)
    f = await follow_client_moves(sc, url, await request_page(sc, url))
    page.status, page.final_url, page.elapsed_ms = f.status, f.final_url, f.elapsed_ms
    page.redirects = f.redirects
    page.bytes = len(f.body or b"")
    if sc.archive is not None:
        page.snapshot = sc.archive.served.get(url, "")
    if f.error or not f.ok:
        page.error = f.error or "http_error"
        page.error_detail = f.error_detail or f"HTTP {f.status}"
        sc.fail(page.error)
        if f.status is None:
            return doc
    sc.capture.stats.http_pages += 1
    sc.capture.stats.pages += 1
    if f.body is None or not f.is_html:
        return doc
    page.encoding = f.encoding or markup.detect_encoding(f.body, f.header_charset)
    html = markup.decode(f.body, page.encoding)
    page.html_key = store_html(sc, f.body, f.content_type)
    await fill_page(sc, doc, html, f.final_url or url)
    if f.ok and (kind in LIST_KINDS and not page.items and markup.script_list_pending(doc.tree)
                 or kind in TEXT_KINDS and markup.script_content_pending(doc.tree)):
        await rerender(sc, doc)
    return doc


MAX_CLIENT_MOVES = 3
REFRESH = re.compile(rb"http-equiv\s*=\s*['\"]?refresh", re.I)
SMALL_PAGE = 8_000  # a page that moves on by script is a bare one: a larger page moves on by a meta refresh only


def _may_move(f: Fetched) -> bool:
    """Whether a fetched page may move the browser on (worth parsing for parse.redirects)."""
    if not f.ok or f.body is None or not f.is_html:
        return False
    head = f.body[:SMALL_PAGE]
    if not REFRESH.search(head) and b"location" not in head.lower():
        return False
    return len(f.body) <= SMALL_PAGE or REFRESH.search(f.body) is not None


async def follow_client_moves(sc: SiteCrawl, url: str, f: Fetched) -> Fetched:
    """The page a fetched page sends the browser on to (parse.redirects: a meta refresh, or a bare page whose
    script sets the address), fetched in its place (at most MAX_CLIENT_MOVES times), with every address before
    it in `redirects`; `f` itself when it moves nowhere or the next page cannot be read."""
    for _ in range(MAX_CLIENT_MOVES):
        if not _may_move(f):
            return f
        here = f.final_url or url
        html = markup.decode(f.body, f.encoding or markup.detect_encoding(f.body, f.header_charset))
        target = markup.client_redirect(markup.tree_of(html), here)
        if target is None or not robots_permit(sc, target):
            return f
        nxt = await request_page(sc, target)
        if not nxt.ok or nxt.body is None:
            log.info("%s: %s moves on to %s, which answered %s", sc.site.site_id, here, target,
                     nxt.error or nxt.status)
            return f
        nxt.redirects = [*f.redirects, here, *nxt.redirects]
        f = nxt
    return f


async def rerender(sc: SiteCrawl, doc: Doc) -> None:
    """Re-fetch a page in the site's browser context (its list is built by scripts). A column's list page whose
    pager is a script too gets its second page clicked while the tab is open (`doc.next_doc`)."""
    if sc.context is None or sc.shared.browser is None or not take_budget(sc):
        return
    page = doc.page
    t0 = time.monotonic()
    async with sc.shared.browser.tab(sc.context) as tab:
        try:
            resp = await tab.goto(page.url, wait_until="load", timeout=sc.limits.page_timeout_s * 1000)
            with contextlib.suppress(Exception):
                await tab.wait_for_load_state("networkidle", timeout=sc.settings.settle_ms)
            html = await tab.content()
            final = tab.url
        except Exception as exc:  # noqa: BLE001 - the HTTP version of the page stays in the capture
            log.info("browser re-render of %s failed: %s", page.url, exc)
            sc.fail("browser_crash" if "closed" in str(exc).lower() else "timeout")
            return
        page.via = "browser"
        page.status = resp.status if resp else page.status
        page.final_url = final
        page.elapsed_ms += int((time.monotonic() - t0) * 1000)
        await keep_dom(sc, doc, html, final)
        stats = sc.capture.stats
        stats.browser_pages += 1
        stats.http_pages -= 1
        stats.requests += 1
        if page.kind in CLICKED_KINDS and page.items and not markup.pagination(doc.tree, html, final).next_url:
            doc.next_doc = await script_pager.second_page(sc, tab, doc)
