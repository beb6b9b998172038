"""Pure HTML extraction used by the crawler and the detectors (selectolax, the fast lexbor parser)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from govweb.parse.anchors import SELECTOR, link_scripted, target

DATE_PATTERNS = (
    re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"),
)
ITEM_CONTAINERS = ("li", "tr", "dd", "dt", "p")


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    internal: bool


@dataclass(frozen=True)
class DatedItem:
    title: str
    url: str
    date: str  # ISO yyyy-mm-dd


def parse(html: str, scripts: tuple[str, ...] = ()) -> LexborHTMLParser:
    """The page's tree, with anchors and rows that open a page by script linked like any other
    (anchors.link_scripted); `scripts`: the texts of the script files whose helpers the page calls."""
    tree = LexborHTMLParser(html)
    link_scripted(tree, scripts)
    return tree


def find_dates(text: str) -> list[date]:
    found = []
    for pat in DATE_PATTERNS:
        for m in pat.finditer(text):
            try:
                found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
            except ValueError:
                continue
    return found


def _norm(text: str) -> str:
    return " ".join(text.split())


def links(tree: LexborHTMLParser, base_url: str) -> list[Link]:
    """Every distinct http(s) link target in document order, with its anchor text."""
    host = urlsplit(base_url).hostname
    out: dict[str, Link] = {}
    for a in tree.css(SELECTOR):
        raw = target(a)
        if not raw:
            continue
        href = urldefrag(urljoin(base_url, raw))[0]
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https"):
            continue
        if href not in out:
            out[href] = Link(href, _norm(a.text(deep=True)), parts.hostname == host)
    return list(out.values())


def dated_items(tree: LexborHTMLParser, base_url: str) -> list[DatedItem]:
    """Anchors that sit in a list item carrying a date (news lists in any of the CMS markups)."""
    items: list[DatedItem] = []
    seen: set[str] = set()
    for a in tree.css(SELECTOR):
        raw = target(a)
        if not raw:
            continue
        node = a.parent
        while node is not None and node.tag not in ITEM_CONTAINERS and node.tag != "body":
            node = node.parent
        if node is None or node.tag == "body":
            continue
        dates = find_dates(node.text(deep=True))
        if not dates:
            continue
        url = urldefrag(urljoin(base_url, raw))[0]
        if url in seen:
            continue
        seen.add(url)
        items.append(DatedItem(_norm(a.text(deep=True)), url, max(dates).isoformat()))
    return items


def visible_text(tree: LexborHTMLParser) -> str:
    """The page's text as a reader sees it (no scripts, styles, noscript or templates); `tree` is left as it
    is (the text is read from a copy: copying a parsed tree costs about half of parsing it again)."""
    if tree.body is None:
        return ""
    body = tree.clone().body
    for node in body.css("script, style, noscript, template"):
        node.decompose()
    return _norm(body.text(deep=True, separator=" "))


def meta(tree: LexborHTMLParser) -> dict[str, str]:
    out = {}
    for m in tree.css("meta[name]"):
        name = (m.attributes.get("name") or "").strip()
        if name:
            out[name] = (m.attributes.get("content") or "").strip()
    return out


def title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("title")
    return _norm(node.text()) if node else ""


def search_forms(tree: LexborHTMLParser) -> list[str]:
    """Actions of forms that look like site search (a text/search input), in document order."""
    actions = []
    for form in tree.css("form"):
        inputs = form.css("input")
        if any((i.attributes.get("type") or "text").lower() in ("text", "search") for i in inputs):
            actions.append(form.attributes.get("action") or "")
    return actions
