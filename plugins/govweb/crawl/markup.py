"""The crawler's view of the parse library (`govweb.parse`): one import point for the crawl modules,
plus the page basics the library leaves to its callers (title, meta, links, visible text)."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from govweb import extract
from govweb.capture import Link
from govweb.parse.anchors import SELECTOR, target
from govweb.parse.board import is_answered, letter_detail, letters
from govweb.parse.charset import decode, detect_encoding
from govweb.parse.guides import attachments, guide_labels
from govweb.parse.lists import (
    datastore_tree,
    iframe_sources,
    list_items,
    main_list,
    script_content_pending,
    script_list_pending,
)
from govweb.parse.navigation import classify, column_links, key_area_match, section_links
from govweb.parse.pagination import pagination, scripted_next
from govweb.parse.redirects import client_redirect

__all__ = ["attachments", "base_url", "classify", "client_redirect", "column_links", "decode", "detect_encoding",
           "guide_labels", "is_answered", "iframe_sources", "key_area_match", "letter_detail", "letters", "links",
           "list_items", "main_list", "meta", "page_links", "pagination", "script_content_pending",
           "script_list_pending", "scripted_next", "section_links", "script_links", "title", "tree_of",
           "visible_text"]


def tree_of(html: str, scripts: tuple[str, ...] = ()) -> LexborHTMLParser:
    return extract.parse(html, scripts)


def base_url(tree: LexborHTMLParser, page_url: str) -> str:
    """The URL relative links resolve against: `<base href>` when the page sets one."""
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node else ""
    return urljoin(page_url, href) if href else page_url


def title(tree: LexborHTMLParser) -> str:
    return extract.title(tree)


def meta(tree: LexborHTMLParser) -> dict[str, str]:
    return extract.meta(tree)


def visible_text(tree: LexborHTMLParser) -> str:
    """Visible text of a parsed page (the tree is not changed)."""
    return extract.visible_text(tree)


def _absolute(base: str, origin: str, raw: str) -> str:
    """urljoin without its cost for the common shapes (absolute URLs, clean root-relative paths)."""
    if raw.startswith(("http://", "https://")) and "/." not in raw:
        return raw
    if raw.startswith("/") and not raw.startswith("//") and "/." not in raw:
        return origin + raw
    return urljoin(base, raw)


@lru_cache(maxsize=65536)
def _host(url: str) -> str:
    """The URL's host, lower case (memoised: a site's pages repeat its menu links on every page)."""
    return (urlsplit(url).hostname or "").lower()


def links(tree: LexborHTMLParser, base: str, site_host: str | Collection[str]) -> list[Link]:
    """Every distinct http(s) link in document order with its anchor text; internal = on the site's host
    (or one of its hosts: the portal and the subdomains serving its sections)."""
    own = {site_host} if isinstance(site_host, str) else set(site_host)
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    out: dict[str, Link] = {}
    for a in tree.css(SELECTOR):
        raw = target(a)
        if not raw:
            continue
        href = _absolute(base, origin, raw)
        if "#" in href:
            href = urldefrag(href)[0]
        if href in out or not href.startswith(("http://", "https://")):
            continue
        out[href] = Link(href=href, text=" ".join(a.text(deep=True).split()), internal=_host(href) in own)
    return list(out.values())


def script_links(tree: LexborHTMLParser, base: str, site_host: str | Collection[str]) -> list[Link]:
    """The links a Hanweb (大汉) page ships inside its `<script type="text/xml"><datastore>` records: a browser
    renders them as the column's list, `links()` on the served HTML never sees them."""
    store = datastore_tree(tree)
    return links(store, base, site_host) if store is not None else []


def page_links(tree: LexborHTMLParser, base: str, site_host: str | Collection[str]) -> list[Link]:
    """A page's links as a reader sees them: its `<a>` links, then those of its Hanweb datastore records
    (rendered by script in a browser), each once."""
    found = links(tree, base, site_host)
    seen = {lk.href for lk in found}
    return found + [lk for lk in script_links(tree, base, site_host) if lk.href not in seen]
