"""search.works: search the site for a title taken from its own news and see whether the item comes back.

The query is a distinctive piece of a real item title (a contiguous run of the title, so any substring
search finds it). The form is submitted the way the site expects: a GET form is requested over HTTP and,
when that page does not list the item (result lists are often filled by script), opened in the browser; a
POST form is posted over HTTP; a script-driven box is typed into and submitted with Enter (or its button)
in a browser page.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp

from govweb import extract
from govweb.capture import Capture, DatedItem, Link, Page, SearchProbe
from govweb.crawl.fetch import session
from govweb.crawl.probe_browser import load_answered
from govweb.crawl.probe_results import PAGER, found, pick_query, result_links, result_page, stated_count
from govweb.parse.charset import decode, detect_encoding, form_encoding, meta_charset
from govweb.parse.forms import search_forms
from govweb.parse.rows import document_base

log = logging.getLogger(__name__)

SETTLE_MS = 1500
# Click the search button next to a box: the nearest clickable element (up to 3 levels up) saying
# 搜索/search, else one whose class or id looks like a button (btn, ss, so); never a link to another page.
CLICK_NEAR_JS = """el => {
  // buttons, script links and onclick handlers first; icons and spans (a magnifier) only after them
  const tiers = ['button, input[type=button], input[type=submit], input[type=image], a, [onclick]', 'img, span, i'];
  const label = c => [c.innerText, c.value, c.alt, c.title, String(c.className || ''), c.id,
                      c.getAttribute('onclick')].map(x => x || '').join(' ');
  // a link to another page (热门搜索 words, a nav entry beside the box) is not the submit button
  const goesElsewhere = c => {
    if (c.tagName !== 'A' || c.getAttribute('onclick')) return false;
    const href = (c.getAttribute('href') || '').trim();
    return href !== '' && href !== '#' && !/^javascript:/i.test(href);
  };
  for (const hint of [/搜索|搜 索|检索|查询|search|sousuo|jiansuo/i, /btn|button|\\bss|\\bso\\b/i]) {
    let node = el.parentElement;
    for (let depth = 0; node && depth < 3; depth++, node = node.parentElement) {
      for (const sel of tiers) {
        const hit = [...node.querySelectorAll(sel)].find(c => c !== el && !c.contains(el) && !goesElsewhere(c)
                                                            && hint.test(label(c)));
        if (hit) { hit.click(); return true; }
      }
    }
  }
  return false;
}"""
SET_VALUE_JS = ("(el, q) => { el.value = q; el.dispatchEvent(new Event('input', {bubbles: true}));"
                " el.dispatchEvent(new Event('change', {bubbles: true})); }")
ENTER_JS = ("el => { for (const t of ['keydown', 'keypress', 'keyup']) el.dispatchEvent(new KeyboardEvent(t, "
            "{key: 'Enter', code: 'Enter', keyCode: 13, which: 13, bubbles: true})); "
            "if (el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); } }")
# How often the page's text holds the query: results shown in the page (no navigation) hold it more often than
# the page did before. Any DOM change is no sign: portals' clocks, carousels and marquees change the DOM all the
# time, and a list their scripts fill in late may land just after the query was sent.
QUERY_COUNT_JS = "q => document.body ? document.body.textContent.split(q).length - 1 : 0"
# The links the page has before the query is sent, and afterwards those it did not have: a search that shows its
# results in the page (no navigation) is judged on these only, not on the page's own lists (which may well link
# to the searched page: its title was taken from them). Their hrefs as the page resolved them (its <base> too).
MARK_LINKS_JS = "() => { window.__govwebLinks = new WeakSet(document.querySelectorAll('a')); }"
FRESH_LINKS_JS = """() => window.__govwebLinks ? [...document.querySelectorAll('a[href]')]
  .filter(a => !window.__govwebLinks.has(a))
  .map(a => { const c = a.cloneNode(true); c.setAttribute('href', a.href); return c.outerHTML; }).join('\\n') : null"""
PAGE_TIMEOUT_MS = 20_000
OUTCOME_S, QUIET_S = 6.0, 1.5  # the wait for a search's outcome; without any request sent


# -- submitting --------------------------------------------------------------------------------------
def form_url(form, query: str, encoding: str) -> str:
    """The URL a GET form submits to (HTML semantics: the action's own query string is replaced)."""
    params = [*form.hidden, (form.query_field, query)]
    base = form.action.split("#")[0].split("?")[0]
    return f"{base}?{urlencode(params, encoding=encoding, errors='xmlcharrefreplace')}"


async def _settle(page) -> None:
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)


NAVIGATING = "page is navigating"  # Playwright's error when a navigation commits while content() reads the DOM
CONTENT_ATTEMPTS = 4


async def settled_content(page) -> str:
    """The page's HTML once no navigation is under way. A script search may start its navigation after our
    wait ended (a slow, loaded machine): content() then fails with "the page is navigating"; wait for that
    navigation to load and read again, instead of losing the probe."""
    for attempt in range(CONTENT_ATTEMPTS):
        try:
            return await page.content()
        except Exception as exc:  # noqa: BLE001 - only the navigating race is retried, anything else re-raised
            if NAVIGATING not in str(exc) or attempt == CONTENT_ATTEMPTS - 1:
                raise
            with contextlib.suppress(Exception):
                await page.wait_for_load_state("load", timeout=PAGE_TIMEOUT_MS)
            await _settle(page)
    raise AssertionError("unreachable")


async def _browser_get(context, url: str) -> tuple[str, str, int | None, str, int]:
    page = await context.new_page()
    try:
        t0 = time.monotonic()
        resp = await page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
        await _settle(page)
        return url, page.url, resp.status if resp else None, await settled_content(page), \
            int((time.monotonic() - t0) * 1000)
    finally:
        await page.close()


async def _http_submit(policy, form, query: str, encoding: str) -> tuple[str, int | None, str, str, int]:
    """Submit the form over HTTP (POST body, or the GET form's URL); (final url, status, html, encoding, ms)."""
    t0 = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=PAGE_TIMEOUT_MS / 1000)
    if form.method == "post":
        data = urlencode([*form.hidden, (form.query_field, query)], encoding=encoding, errors="xmlcharrefreplace")
        request = {"method": "POST", "url": form.action, "data": data,
                   "headers": {"Content-Type": "application/x-www-form-urlencoded"}}
    else:
        request = {"method": "GET", "url": form_url(form, query, encoding)}
    async with session(policy, limit=2) as http, http.request(**request, timeout=timeout) as resp:
        body = await resp.content.read(5_000_000)
        enc = detect_encoding(body, resp.charset)
        return str(resp.url), resp.status, decode(body, enc), enc, int((time.monotonic() - t0) * 1000)


@dataclass
class _Watch:
    """The page as it was when the query was sent (its URL, how often its text held the query), and what it
    did since: the requests it sent, the navigations of its main frame."""
    url: str
    query: str
    count: int = 0
    requests: int = 0
    navigations: list[str] = field(default_factory=list)

    def note(self, page, request) -> None:
        self.requests += 1
        with contextlib.suppress(Exception):  # a worker's request has no frame
            if request.is_navigation_request() and request.frame == page.main_frame:
                self.navigations.append(request.url)

    def sent(self) -> None:
        """The query is sent (again): requests count from now."""
        self.requests = 0


async def _query_count(page, query: str) -> int:
    return int(await page.evaluate(QUERY_COUNT_JS, query))


async def _changed(page, popups: list, watch: _Watch) -> bool:
    """Did the search navigate (or start to: a slow server's answer is still on its way), open a window or
    show results in the page (its text holds the query more often than before)?"""
    if popups or watch.navigations or page.url != watch.url:
        return True
    try:
        return await _query_count(page, watch.query) > watch.count
    except Exception:  # noqa: BLE001 - the context was destroyed by a navigation under way
        return True


async def _wait_outcome(page, popups: list, watch: _Watch) -> bool:
    """Wait for the search's outcome: up to OUTCOME_S, or QUIET_S when the page sent no request at all (the key
    or click started nothing: a box without an Enter handler)."""
    t0 = time.monotonic()
    while (waited := time.monotonic() - t0) < OUTCOME_S:
        await asyncio.sleep(0.25)
        if await _changed(page, popups, watch):
            await asyncio.sleep(0.5)  # let a script-built result list finish
            return True
        if waited >= QUIET_S and watch.requests == 0:
            return False
    return False


async def _type_query(page, box, query: str) -> bool:
    """Type the query like a visitor; False when the box cannot be typed into (then its value is set)."""
    try:
        await box.fill(query, timeout=3000)
        return True
    except Exception:  # noqa: BLE001 - not visible / not editable: fall back to setting the value
        await box.evaluate(SET_VALUE_JS, query)
        return False


async def _script_search(context, home_url: str, selector: str, query: str):
    """Type into a script-driven search box and submit it; the page showing the results."""
    page = await context.new_page()
    popups: list = []

    def on_page(new_page) -> None:
        popups.append(new_page)

    # windows this page opens, not every page of the context: the site model renders script-built lists in
    # the same context meanwhile, and such a page is neither the result nor ours to close
    page.on("popup", on_page)
    try:
        resp = await load_answered(page, home_url)
        if resp is not None and resp.status >= 400:  # no search box to type into: say so now, not after a wait
            raise RuntimeError(f"home page {home_url} answered HTTP {resp.status}")
        box = page.locator(selector).first
        watch = _Watch(page.url, query)
        page.on("request", lambda req: watch.note(page, req))
        typed = await _type_query(page, box, query)
        # what the page's scripts fetch (late lists, suggestions for the typed words) is in before the query is
        # sent: it may hold the query too
        await _settle(page)
        with contextlib.suppress(Exception):  # typing alone started the search (the page is navigating)
            watch.count = await _query_count(page, query)
            await page.evaluate(MARK_LINKS_JS)
        watch.sent()
        if typed:
            await box.press("Enter")
        else:  # a hidden box (shown by a magnifier icon): set it and send Enter by script
            await box.evaluate(ENTER_JS)
        if not await _wait_outcome(page, popups, watch) and await box.evaluate(CLICK_NEAR_JS):
            watch.sent()
            await _wait_outcome(page, popups, watch)
        target = popups[-1] if popups else page
        with contextlib.suppress(Exception):
            await target.wait_for_load_state("load", timeout=PAGE_TIMEOUT_MS)
        await _settle(target)
        html = await settled_content(target)
        fresh = None
        if target is page and not watch.navigations and page.url == watch.url:
            with contextlib.suppress(Exception):  # None: the page was replaced after all
                anchors = await page.evaluate(FRESH_LINKS_JS)
                # read by the one link reader of every page (schemes, fragments, duplicates, internal)
                fresh = None if anchors is None else [
                    Link(href=lk.href, text=lk.text, internal=lk.internal)
                    for lk in extract.links(extract.parse(anchors), page.url)]
        return target.url, html, fresh
    finally:
        page.remove_listener("popup", on_page)
        for p in {page, *popups}:
            with contextlib.suppress(Exception):
                await p.close()


# -- the probe ---------------------------------------------------------------------------------------
@dataclass
class _Result:
    """The result page; `fresh`: when the results were shown in the page the query was typed into, the links
    that page did not have before (the results), else None."""
    page: Page
    text: str
    fresh: list[Link] | None = None


async def _submit(context, policy, form, query: str, enc: str, base: str, store, prefix: str,
                  as_of: str, finds_target) -> _Result:
    t0 = time.monotonic()
    if form.how == "form" and form.method == "post":
        final, status, html, enc, ms = await _http_submit(policy, form, query, enc)
        return _Result(*result_page(form.action, final, status, html, enc, "http", ms, store, prefix, as_of))
    if form.how == "form" and form.query_field and form.action.startswith(("http://", "https://")):
        # adaptive: over HTTP first; the browser only when the page read without scripts does not list the
        # searched item (results that scripts fill in, a script redirect, or a search that really fails)
        final, status, html, got_enc, ms = await _http_submit(policy, form, query, enc)
        first = _Result(*result_page(form_url(form, query, enc), final, status, html, got_enc, "http", ms, store,
                                     prefix, as_of))
        if finds_target(first):
            return first
        url, final, status, html, ms = await _browser_get(context, form_url(form, query, enc))
        return _Result(*result_page(url, final, status, html, "utf-8", "browser", ms, store, prefix, as_of))
    final, html, fresh = await _script_search(context, base, form.selector, query)
    ms = int((time.monotonic() - t0) * 1000)
    return _Result(*result_page(final, final, None, html, "utf-8", "browser", ms, store, prefix, as_of), fresh)


def _found(result: _Result, home: Page, target: DatedItem) -> tuple[bool, list[Link]]:
    """Is the target among the results, and the result links: the result page's links that are not the site's
    chrome, or the links a search added to the page it was typed into (not that page's own lists)."""
    if result.fresh is not None:
        links = [lk for lk in result.fresh if lk.text and not PAGER.match(lk.text)]
        return found(target, links, []), links
    links = result_links(result.page.links, home, keep=target.url)
    return found(target, links, result.page.items), links


def _finds(result: _Result, home: Page, target: DatedItem) -> bool:
    ok = result.page.status is not None and result.page.status < 400
    return ok and _found(result, home, target)[0]


def _judge(probe: SearchProbe, result: _Result, home: Page, target: DatedItem) -> None:
    probe.found_target, links = _found(result, home, target)
    probe.result_url, probe.result_key = result.page.final_url or result.page.url, result.page.html_key
    count = stated_count(result.text)
    probe.result_count = count if count is not None else len(links)
    page = result.page
    probe.error = f"http_{page.status}" if page.status is not None and page.status >= 400 else ""


async def search_probe(context, home: Page, home_html: str, capture: Capture, store, prefix: str,
                       policy) -> SearchProbe:
    """Search the site for a piece of one of its own titles; record the result page and whether the
    titled item is among the results. Never raises: failures are the probe's `error`."""
    probe = SearchProbe(attempted=True)
    try:
        tree = extract.parse(home_html)
        base = document_base(tree, home.final_url or home.url)  # a frame shell's home: its main frame's address
        forms = search_forms(tree, base)
        if not forms:
            return probe
        form = next((f for f in forms if f.how == "form" and f.action.startswith(("http://", "https://"))),
                    forms[0])
        probe.how, probe.action = form.how if form.how in ("form", "script") else "form", form.action
        picked = pick_query(capture, home)
        if picked is None:
            probe.error = "no_query"  # no item title on the site to search for
            return probe
        probe.query, target = picked
        probe.target_url = target.url
        # the stored home DOM is UTF-8 (rendered): the site's own encoding is the one its <meta> declares
        enc = form_encoding(meta_charset(home_html.encode("utf-8", errors="replace")))
        finds = lambda result: _finds(result, home, target)  # noqa: E731
        result = await _submit(context, policy, form, probe.query, enc, base, store, prefix, capture.as_of, finds)
        _judge(probe, result, home, target)
        if not probe.found_target and form.how == "form" and enc not in ("utf-8", "utf8"):
            # GBK pages whose search engine reads UTF-8 (a separate search platform): try UTF-8 too.
            retry = await _submit(context, policy, form, probe.query, "utf-8", base, store, prefix, capture.as_of,
                                  finds)
            again = probe.model_copy()
            _judge(again, retry, home, target)
            if again.found_target:
                probe, result = again, retry
        capture.pages.append(result.page)
    except Exception as exc:  # noqa: BLE001 - a probe records its failure, never sinks the crawl
        log.info("search probe on %s failed: %s", base, exc)
        probe.error = f"{type(exc).__name__}: {exc}"[:200]
    return probe
