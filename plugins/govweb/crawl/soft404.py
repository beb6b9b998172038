"""Soft 404s: sites that answer a missing page with 200 (an error page in its place, or a redirect to /404.html or
to the home page). Many portals do (a CMS's friendly error page, an IIS or nginx rule); a link checker that
trusts the status then reports their dead links as working.

The crawl asks each site once for a page it cannot have (`not_found_probe`). When the answer is a 404 nothing
changes. When it is a 200, a link of the site's own host is a soft 404 when its answer is that answer:
- the probe was redirected, and the link was redirected to the same address (`/404.html`, the home page);
- the probe was answered in place with a page that says so (不存在, 找不到, 404 …), and the link's page has that
  page's title and says so too, unless the title is the home page's own (a server that shows the home page for
  every unknown path: then only redirects tell). Some CMSs give every page the site's name as its title: the
  title alone would make every link of such a site a dead one. On these sites the links of the site's own host
  that answered are fetched again with GET for their title and text.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from urllib.parse import urljoin, urlsplit

from govweb.capture import LinkCheck, NotFoundProbe
from govweb.crawl import markup
from govweb.crawl.context import SiteCrawl
from govweb.crawl.render import request_page

log = logging.getLogger(__name__)
TITLE_BYTES = 65_536  # enough of a page to hold its <title> and an error page's message
MISSING_WORDS = re.compile("|".join(("不存在", "找不到", "未找到", "无法找到", "已删除", "已被删除", "已撤销",
                                     "页面错误", "出错了", "404", r"not\s*found")), re.I)
INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def missing_url(site_url: str, site_id: str) -> str:
    """A page the site cannot have: a made-up name under its root, the same for the site in every run."""
    token = hashlib.sha256(f"govweb-not-found:{site_id}".encode()).hexdigest()[:16]
    return urljoin(site_url, f"/govweb-{token}.html")


def _read(body: bytes | None, header_charset: str | None) -> tuple[str, bool]:
    """(title, whether it says the page is missing) of the start of a page."""
    if not body:
        return "", False
    tree = markup.tree_of(markup.decode(body, markup.detect_encoding(body, header_charset)))
    title = markup.title(tree)
    return title, MISSING_WORDS.search(f"{title} {markup.visible_text(tree)[:2000]}") is not None


async def page_read(sc: SiteCrawl, url: str) -> tuple[int | None, str, bool]:
    """(status, title, says missing) of a GET of `url` (the site's polite client)."""
    f = await request_page(sc, url)
    return (f.status, *_read(f.body[:TITLE_BYTES] if f.body else None, f.header_charset))


async def not_found_probe(sc: SiteCrawl) -> None:
    """Ask the site for a page it cannot have; its answer is recorded in capture.probes.not_found."""
    url = missing_url(sc.capture.url, sc.site.site_id)
    probe = NotFoundProbe(attempted=True, url=url)
    f = await request_page(sc, url)
    probe.status, probe.final_url, probe.error = f.status, f.final_url or "", f.error
    if f.body and f.ok:
        probe.title, probe.says_missing = _read(f.body[:TITLE_BYTES], f.header_charset)
    sc.capture.probes.not_found = probe
    if probe.soft:
        log.info("%s: a missing page answers %s (%s, %r): soft 404s", sc.site.site_id, probe.status,
                 probe.final_url, probe.title)


def _page_key(url: str) -> tuple[str, str, str]:
    """A URL as the page it names: host, path without its index file or trailing slash, query."""
    parts = urlsplit(url)
    path = INDEX_FILE.sub("/", parts.path or "/").rstrip("/")
    return (parts.hostname or "").lower(), path, parts.query


def _own(url: str, probe: NotFoundProbe) -> bool:
    return (urlsplit(url).hostname or "").lower() == (urlsplit(probe.url).hostname or "").lower()


def is_soft_404(check: LinkCheck, probe: NotFoundProbe, page: tuple[str, bool] | None, home_title: str) -> bool:
    """Whether a link check's success is the site's answer to a missing page (see the module docstring); `page`
    is the link's (title, says missing) when the site answers in place."""
    if not probe.soft or check.status is None or check.status >= 400 or not _own(check.url, probe):
        return False
    if probe.redirected:  # sent where the missing page was sent, from another page (not "/" -> "/index.html")
        return bool(check.final_url) and _page_key(check.final_url) == _page_key(probe.final_url) \
            and _page_key(check.url) != _page_key(check.final_url)
    return page is not None and probe.says_missing and bool(probe.title) and probe.title != home_title \
        and page == (probe.title, True)


async def mark_soft_404s(sc: SiteCrawl, checks: list[LinkCheck]) -> int:
    """Mark the link checks (links, downloads) that are soft 404s (error "soft_404"); returns how many. On a site
    that answers in place, the links of its own host that answered are fetched again with GET (title, text)."""
    probe = sc.capture.probes.not_found
    if not probe.soft or (not probe.redirected and not probe.says_missing):
        return 0
    home_title = sc.capture.home.title if sc.capture.home is not None else ""

    async def one(check: LinkCheck) -> bool:
        page = None
        if not probe.redirected and _own(check.url, probe) and check.status is not None and check.status < 400:
            status, title, says = await page_read(sc, check.url)
            if status is None or status >= 400:
                return False
            page = (title, says)
        if not is_soft_404(check, probe, page, home_title):
            return False
        check.error = "soft_404"
        check.detail = (f"answered {check.status} as a missing page is on this site "
                        f"({probe.final_url if probe.redirected else repr(probe.title)})")
        return True

    return sum(await asyncio.gather(*(one(c) for c in checks)))
