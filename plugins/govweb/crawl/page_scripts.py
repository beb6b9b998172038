"""The script files whose helpers open a page's items: `onclick="showInfo('tzgg', 4521)"` on every row, with
`function showInfo(…)` in `/js/common.js` rather than in the page (parse.script_calls reads the page's own
inline helpers). When a page's script links and clickable rows call functions it does not define, the site's
own script files it loads are fetched (once per site, politely, counted as requests), and those defining the
called functions are read with the page. Each such file is stored as evidence (UTF-8) and named in the page's
`script_keys`, so a detector re-reading the stored page sees the same items.

Libraries (jQuery, layui, Vue, statistics snippets …) are not fetched: they define no page's addresses.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from govweb.crawl import markup
from govweb.crawl import render as _render  # render calls this module: its names are read when called
from govweb.crawl.context import SiteCrawl
from govweb.parse.anchors import unknown_helpers
from govweb.parse.rows import resolve
from govweb.parse.script_calls import MAX_SCRIPT_CHARS, helpers_in, without_comments

log = logging.getLogger(__name__)

LIBRARY = re.compile(r"jquery|bootstrap|layui|layer|vue|react|angular|swiper|echarts|lodash|moment|axios|"
                     r"polyfill|html5shiv|respond|modernizr|analytics|gtag|cnzz|hm\.js|share|md5|base64|"
                     r"superslide|slide|flexslider|wdatepicker|my97", re.I)
MAX_PAGE_FILES = 8  # script files of one page looked into
MAX_SITE_FILES = 24  # distinct script files fetched for one site


@dataclass(frozen=True)
class ScriptFile:
    url: str
    key: str  # the stored text (UTF-8)
    text: str
    names: frozenset[str]  # the functions it defines


def script_sources(sc: SiteCrawl, tree: LexborHTMLParser, base: str) -> list[str]:
    """The page's `<script src>` files of the site's own hosts, in page order, libraries left out."""
    out: list[str] = []
    for node in tree.css("script[src]"):
        url = resolve(base, (node.attributes.get("src") or "").strip())
        name = urlsplit(url).path.rsplit("/", 1)[-1] if url else ""
        if url and sc.internal(url) and not LIBRARY.search(name) and url not in out:
            out.append(url)
    return out[:MAX_PAGE_FILES]


async def helper_files(sc: SiteCrawl, tree: LexborHTMLParser, base: str) -> list[ScriptFile]:
    """The script files a page loads (its parsed `tree`, its links resolved against `base`) that define functions
    its unlinked script links and rows call."""
    wanted = unknown_helpers(tree)
    if not wanted:
        return []
    found = []
    for url in script_sources(sc, tree, base):
        f = await _file(sc, url)
        if f is not None and f.names & wanted:
            found.append(f)
    return found


async def _file(sc: SiteCrawl, url: str) -> ScriptFile | None:
    if url not in sc.script_files:
        if len(sc.script_files) >= MAX_SITE_FILES:
            return None
        sc.script_files[url] = asyncio.ensure_future(_fetch(sc, url))
    return await asyncio.shield(sc.script_files[url])


async def _fetch(sc: SiteCrawl, url: str) -> ScriptFile | None:
    f = await _render.request_page(sc, url)
    if not f.ok or f.body is None or len(f.body) > MAX_SCRIPT_CHARS:
        log.info("%s: script file %s not read (%s)", sc.site.site_id, url, f.error or f.status or "too large")
        return None
    text = markup.decode(f.body, markup.detect_encoding(f.body, f.header_charset))
    names = frozenset(helpers_in(without_comments(text)))
    key = sc.store.put_blob(f"{sc.prefix}/scripts", text.encode("utf-8"), "js",
                            "application/javascript; charset=utf-8") if names else ""
    return ScriptFile(url, key, text, names)
