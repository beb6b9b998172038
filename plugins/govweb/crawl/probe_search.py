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
from urllib.parse import urlencode

import aiohttp

from govweb import extract
from govweb.capture import Capture, DatedItem, Page, SearchProbe
from govweb.crawl.fetch import session
from govweb.crawl.probe_browser import load_answered
from govweb.crawl.probe_results import found, pick_query, result_links, result_page, stated_count
from govweb.parse.charset import decode, detect_encoding, form_encoding, meta_charset
from govweb.parse.forms import search_forms

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
ARM_MUTATIONS = ("window.__govwebMutations = 0; new MutationObserver(m => { window.__govwebMutations += m.length; })"
                 ".observe(document.body, {childList: true, subtree: true});")
PAGE_TIMEOUT_MS = 20_000


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


async def _changed(page, popups: list, before: str, navigations: list | None = None) -> bool:
    """Did the search navigate (or start to: a slow server's answer is still on its way), open a window or
    change the DOM?"""
    if popups or navigations or page.url != before:
        return True
    try:
        return await page.evaluate("window.__govwebMutations || 0") > 0
    except Exception:  # noqa: BLE001 - the context was destroyed by a navigation under way
        return True


async def _wait_outcome(page, popups: list, before: str, timeout_s: float = 6.0,
                        navigations: list | None = None) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        if await _changed(page, popups, before, navigations):
            await asyncio.sleep(0.5)  # let a script-built result list finish
            return True
    return False


def _note_navigation(page, request, navigations: list) -> None:
    with contextlib.suppress(Exception):  # a worker's request has no frame
        if request.is_navigation_request() and request.frame == page.main_frame:
            navigations.append(request.url)


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
    navigations: list = []  # document requests of the page after the query was sent
    try:
        resp = await load_answered(page, home_url)
        if resp is not None and resp.status >= 400:  # no search box to type into: say so now, not after a wait
            raise RuntimeError(f"home page {home_url} answered HTTP {resp.status}")
        box = page.locator(selector).first
        before = page.url
        page.on("request", lambda req: _note_navigation(page, req, navigations))
        if await _type_query(page, box, query):
            await page.evaluate(ARM_MUTATIONS)
            await box.press("Enter")
        else:  # a hidden box (shown by a magnifier icon): set it and send Enter by script
            await page.evaluate(ARM_MUTATIONS)
            await box.evaluate(ENTER_JS)
        if not await _wait_outcome(page, popups, before, navigations=navigations) \
                and await box.evaluate(CLICK_NEAR_JS):
            await _wait_outcome(page, popups, before, navigations=navigations)
        target = popups[-1] if popups else page
        with contextlib.suppress(Exception):
            await target.wait_for_load_state("load", timeout=PAGE_TIMEOUT_MS)
        await _settle(target)
        html = await settled_content(target)
        return target.url, html
    finally:
        page.remove_listener("popup", on_page)
        for p in {page, *popups}:
            with contextlib.suppress(Exception):
                await p.close()


# -- the probe ---------------------------------------------------------------------------------------
async def _submit(context, policy, form, query: str, enc: str, base: str, store, prefix: str,
                  as_of: str, finds_target) -> tuple[Page, str]:
    t0 = time.monotonic()
    if form.how == "form" and form.method == "post":
        final, status, html, enc, ms = await _http_submit(policy, form, query, enc)
        return result_page(form.action, final, status, html, enc, "http", ms, store, prefix, as_of)
    if form.how == "form" and form.query_field and form.action.startswith(("http://", "https://")):
        # adaptive: over HTTP first; the browser only when the page read without scripts does not list the
        # searched item (results that scripts fill in, a script redirect, or a search that really fails)
        final, status, html, got_enc, ms = await _http_submit(policy, form, query, enc)
        page, text = result_page(form_url(form, query, enc), final, status, html, got_enc, "http", ms, store,
                                 prefix, as_of)
        if finds_target(page):
            return page, text
        url, final, status, html, ms = await _browser_get(context, form_url(form, query, enc))
        return result_page(url, final, status, html, "utf-8", "browser", ms, store, prefix, as_of)
    final, html = await _script_search(context, base, form.selector, query)
    ms = int((time.monotonic() - t0) * 1000)
    return result_page(final, final, None, html, "utf-8", "browser", ms, store, prefix, as_of)


def _finds(page: Page, home: Page, target: DatedItem) -> bool:
    ok = page.status is not None and page.status < 400
    return ok and found(target, result_links(page.links, home, keep=target.url), page.items)


def _judge(probe: SearchProbe, page: Page, text: str, home: Page, target: DatedItem) -> None:
    links = result_links(page.links, home, keep=target.url)
    probe.result_url, probe.result_key = page.final_url or page.url, page.html_key
    count = stated_count(text)
    probe.result_count = count if count is not None else len(links)
    probe.found_target = found(target, links, page.items)
    probe.error = f"http_{page.status}" if page.status is not None and page.status >= 400 else ""


async def search_probe(context, home: Page, home_html: str, capture: Capture, store, prefix: str,
                       policy) -> SearchProbe:
    """Search the site for a piece of one of its own titles; record the result page and whether the
    titled item is among the results. Never raises: failures are the probe's `error`."""
    probe = SearchProbe(attempted=True)
    base = home.final_url or home.url
    try:
        forms = search_forms(extract.parse(home_html), base)
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
        finds = lambda page: _finds(page, home, target)  # noqa: E731
        page, text = await _submit(context, policy, form, probe.query, enc, base, store, prefix, capture.as_of,
                                   finds)
        _judge(probe, page, text, home, target)
        if not probe.found_target and form.how == "form" and enc not in ("utf-8", "utf8"):
            # GBK pages whose search engine reads UTF-8 (a separate search platform): try UTF-8 too.
            retry, retry_text = await _submit(context, policy, form, probe.query, "utf-8", base, store, prefix,
                                              capture.as_of, finds)
            again = probe.model_copy()
            _judge(again, retry, retry_text, home, target)
            if again.found_target:
                probe, page = again, retry
        capture.pages.append(page)
    except Exception as exc:  # noqa: BLE001 - a probe records its failure, never sinks the crawl
        log.info("search probe on %s failed: %s", base, exc)
        probe.error = f"{type(exc).__name__}: {exc}"[:200]
    return probe
