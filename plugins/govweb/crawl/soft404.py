"""Soft 404s: sites that answer a missing page with 200 (an error page in its place, or a redirect to /404.html or
to the home page). Many portals do (a CMS's friendly error page, an IIS or nginx rule); a link checker that
trusts the status then reports their dead links as working.

The crawl asks each site once for a page it cannot have (`not_found_probe`). When the answer is a 404 nothing
changes. When it is a 200, a link of the site's own host is a soft 404 when its answer is that answer:
- the probe was redirected, and the link was redirected to the same address (`/404.html`, the home page);
- the probe was answered in place, and the link's page has the probe's title (its error page's), unless that
  title is the home page's own (a server that shows the home page for every unknown path: then only redirects
  tell). Links checked with HEAD have no title: on such sites they are asked again with GET.
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
TITLE_BYTES = 65_536  # enough of a page to hold its <title>
INDEX_FILE = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def missing_url(site_url: str, site_id: str) -> str:
    """A page the site cannot have: a made-up name under its root, the same for the site in every run."""
    token = hashlib.sha256(f"govweb-not-found:{site_id}".encode()).hexdigest()[:16]
    return urljoin(site_url, f"/govweb-{token}.html")


def _title(body: bytes | None, header_charset: str | None) -> str:
    if not body:
        return ""
    html = markup.decode(body, markup.detect_encoding(body, header_charset))
    return markup.title(markup.tree_of(html))


async def page_title(sc: SiteCrawl, url: str) -> tuple[int | None, str, str]:
    """(status, final URL, title) of a GET of `url` (the site's polite client)."""
    f = await request_page(sc, url)
    return f.status, f.final_url or url, _title(f.body[:TITLE_BYTES] if f.body else None, f.header_charset)


async def not_found_probe(sc: SiteCrawl) -> None:
    """Ask the site for a page it cannot have; its answer is recorded in capture.probes.not_found."""
    url = missing_url(sc.capture.url, sc.site.site_id)
    probe = NotFoundProbe(attempted=True, url=url)
    f = await request_page(sc, url)
    probe.status, probe.final_url, probe.error = f.status, f.final_url or "", f.error
    if f.body and f.ok:
        probe.title = _title(f.body[:TITLE_BYTES], f.header_charset)
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


def is_soft_404(check: LinkCheck, probe: NotFoundProbe, title: str | None, home_title: str) -> bool:
    """Whether a link check's success is the site's answer to a missing page (see the module docstring)."""
    if not probe.soft or check.status is None or check.status >= 400 or not _own(check.url, probe):
        return False
    if probe.redirected:  # sent where the missing page was sent, from another page (not "/" -> "/index.html")
        return bool(check.final_url) and _page_key(check.final_url) == _page_key(probe.final_url) \
            and _page_key(check.url) != _page_key(check.final_url)
    return bool(probe.title) and probe.title != home_title and title == probe.title


async def mark_soft_404s(sc: SiteCrawl, checks: list[LinkCheck]) -> int:
    """Mark the link checks (links, downloads) that are soft 404s (error "soft_404"); returns how many. On a site
    that answers in place, links checked without a title (HEAD) are fetched again with GET for it."""
    probe = sc.capture.probes.not_found
    if not probe.soft:
        return 0
    home_title = sc.capture.home.title if sc.capture.home is not None else ""
    titles = {p.url: p.title for p in sc.capture.pages if p.status is not None}

    async def one(check: LinkCheck) -> bool:
        title = titles.get(check.url)
        if title is None and not probe.redirected and _own(check.url, probe) and check.status is not None \
                and check.status < 400:
            status, _, title = await page_title(sc, check.url)
            if status is None or status >= 400:
                return False
        if not is_soft_404(check, probe, title, home_title):
            return False
        check.error = "soft_404"
        check.detail = (f"answered {check.status} as a missing page is on this site "
                        f"({probe.final_url if probe.redirected else repr(probe.title)})")
        return True

    return sum(await asyncio.gather(*(one(c) for c in checks)))
