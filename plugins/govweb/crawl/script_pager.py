"""A list's second page when only a script can show it: the list is built by script and so is its pager, whose
下一页 has no address (`<a href="javascript:;" data-page="2">`, a layui/Element pager, a button with an arrow
icon). The crawler clicks it in the browser tab that rendered the first page and reads the list the page
shows next; the page is recorded with `reached_by` (what was clicked) and, when the click did not change
the tab's address, under the first page's address with `#page=2`.

The control is looked for in this order: an element reading 下一页/下页/next/›/» (brackets and arrows around
the word allowed), one whose class names it the next button (`next`, `btn-next`, `layui-laypage-next`), then
the page number 2 in a pager (an element whose class or id says page/pager/fenye). A disabled control (class
disabled, `disabled`, `aria-disabled`) is not clicked.
"""

from __future__ import annotations

import contextlib
import logging
import time
from urllib.parse import urldefrag

from govweb.capture import Page
from govweb.crawl import markup
from govweb.crawl import render as _render  # render calls this module: its names are read when called
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.probe_search import settled_content
from govweb.parse.pagination import NEXT_WORDS

log = logging.getLogger(__name__)

# Given the 下一页 words (a regex alternation), returns what was clicked ("" when the page has no such control): the
# control's label, or its class.
CLICK_NEXT_JS = r"""(words) => {
  const word = new RegExp('^[\\s\\[【［<«‹(（]*(' + words + ')[\\s\\]】］>›»＞)）]*$'
                          + '|^\\s*(>|›|»|＞|>>|»»|＞＞)\\s*$', 'i');
  const nextClass = /(^|[\s_-])(next|nextpage|next-page|btn-next|page-next)($|[\s_-])/i;
  const pagerBox = /pag|fenye|fy\b|laypage/i;
  const off = el => el.disabled || el.getAttribute('aria-disabled') === 'true'
    || /(^|[\s_-])disabled?($|\s)/i.test(String(el.className || '')) || el.closest('[disabled]') !== null;
  const shown = el => el.getClientRects().length > 0;
  const label = el => (el.innerText || el.value || el.getAttribute('title') || '').trim();
  const href = el => (el.getAttribute('href') || '').trim();
  // a control that leads to an address was the crawler's to follow: only script controls are clicked
  const scripted = el => { const a = el.closest('a'); const h = a ? href(a) : '';
    return !a || h === '' || h === '#' || /^javascript:/i.test(h); };
  const all = [...document.querySelectorAll('a, button, input[type=button], li, span, em, i, div, td')]
    .filter(el => shown(el) && scripted(el));
  const innermost = els => els.filter(el => !els.some(o => o !== el && el.contains(o)));
  const tiers = [
    innermost(all.filter(el => word.test(label(el)))),
    all.filter(el => nextClass.test(String(el.className || '')) && label(el).length < 12),
    innermost(all.filter(el => label(el) === '2' && el.parentElement
      && pagerBox.test(String(el.parentElement.className || '') + ' ' + (el.parentElement.id || '')
                       + ' ' + String(el.parentElement.parentElement?.className || '')))),
  ];
  for (const found of tiers) {
    const el = found[0];
    if (!el) continue;
    if (off(el)) return '';
    el.click();
    return label(el) || String(el.className);
  }
  return '';
}"""
# What the page lists, as a reader would tell two list pages apart: every link's address and words.
LINKS_JS = "() => [...document.links].map(a => a.href + ' ' + a.textContent.trim()).join('\\n')"
CHANGED_JS = f"before => ({LINKS_JS})() !== before"
CLICKED_FRAGMENT = "#page=2"
NEXT_WORDS_JS = "|".join(w.replace(" ", "\\s*") for w in NEXT_WORDS)  # next page: any spacing, as a label reads


async def load_and_click(sc: SiteCrawl, first: Doc) -> Doc | None:
    """`second_page` of a list page read over HTTP (its first page is in the served HTML, its pager is a
    script): the page is loaded in a tab of the site's browser context to click its pager."""
    if sc.context is None or sc.shared.browser is None:
        return None
    async with sc.shared.browser.tab(sc.context) as tab:
        try:
            await tab.goto(first.page.final_url or first.page.url, wait_until="load",
                           timeout=sc.limits.page_timeout_s * 1000)
            with contextlib.suppress(Exception):
                await tab.wait_for_load_state("networkidle", timeout=sc.settings.settle_ms)
        except Exception as exc:  # noqa: BLE001 - the column keeps its first page
            log.info("%s: %s could not be loaded to click its pager: %s", sc.site.site_id, first.page.url, exc)
            return None
        return await second_page(sc, tab, first)


async def second_page(sc: SiteCrawl, tab, first: Doc) -> Doc | None:
    """Click the script pager of `first` (rendered in `tab`, still open) and record the list it shows next;
    None when the page has no such pager or the click showed no other items."""
    timeout_ms = sc.limits.page_timeout_s * 1000
    before_url = tab.url
    try:
        before = await tab.evaluate(LINKS_JS)
        clicked = await tab.evaluate(CLICK_NEXT_JS, NEXT_WORDS_JS)
        if not clicked:
            return None
        t0 = time.monotonic()
        try:
            await tab.wait_for_function(CHANGED_JS, arg=before, timeout=min(timeout_ms, 6000))
        except Exception:  # noqa: BLE001 - the click navigated (the context went away), or nothing changed
            with contextlib.suppress(Exception):
                await tab.wait_for_load_state("load", timeout=timeout_ms)
        with contextlib.suppress(Exception):
            await tab.wait_for_load_state("networkidle", timeout=sc.settings.settle_ms)
        html, final = await settled_content(tab), tab.url
    except Exception as exc:  # noqa: BLE001 - the first page stays what it is
        log.info("%s: the script pager of %s could not be clicked: %s", sc.site.site_id, first.page.url, exc)
        return None
    first_url = first.page.final_url or first.page.url
    url = final if final != before_url else urldefrag(first_url)[0] + CLICKED_FRAGMENT
    if url in sc.docs or url in sc.fetching:
        return None
    tree = markup.tree_of(html, first.scripts)  # its rows may call the helpers of the first page's script files
    items = markup.main_list(tree, markup.base_url(tree, final), sc.as_of)
    if not items or {i.url for i in items} <= {i.url for i in first.page.items}:
        log.info("%s: %s: its script pager (%s) showed no other items", sc.site.site_id, first_url, clicked[:20])
        return None
    if not _render.take_budget(sc):
        return None
    page = Page(url=url, final_url=final, kind=first.page.kind, via="browser", status=first.page.status,
                column=first.page.column, reached_by=clicked[:40], elapsed_ms=int((time.monotonic() - t0) * 1000))
    doc = await _render.keep_dom(sc, Doc(page, keeper=sc.trees), html, final)
    sc.capture.pages.append(page)
    sc.docs[url] = doc
    stats = sc.capture.stats
    stats.browser_pages += 1
    stats.pages += 1
    return doc

