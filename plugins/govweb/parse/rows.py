"""Rows of portal lists: site-chrome regions, link targets, anchor titles and the date of an anchor's row.

A list row is whatever the CMS repeats per entry: `ul/ol > li`, `table tr`, `dl > dt + dd`, a `div.item`
holding the anchor and a date span, or bare anchors separated by `<br>` in one cell. A row's date is looked
for in the row only (outside the anchor first, then in the anchor's own text or title attribute).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from functools import lru_cache
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse.anchors import NON_HTTP, SELECTOR, target
from govweb.parse.dates import FoundDate, best_date, find_dates, has_date, scan

ROW_TAGS = frozenset({"li", "tr", "dd", "dt", "p"})
SKIP_TEXT_TAGS = frozenset({"a", "script", "style", "noscript", "template", "select"})
MAX_WALK = 5
MAX_ROW_TEXT = 160  # characters of row text besides the link; longer is a paragraph of prose
TODAY_WIDGET = re.compile(
    r"(今天是|今天|今日|当前日期|当前时间)\s*[:：]?\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
TRUNCATED = re.compile(r"(\.{2,}|…+|。{2,})\s*$")
NAV_TOKEN = re.compile(r"nav|menu|daohang")
HEADER_TOKEN = re.compile(r"^(header|head|top|toubu|banner|topbar)$")
FOOTER_TOKEN = re.compile(r"^(foot|bottom|copyright|dibu|copy)$|footer")
CRUMB_TOKEN = re.compile(r"crumb|position|location|weizhi|dqwz|dangqian")
PAGER_TOKEN = re.compile(r"pagin|pager|fenye|turn[_-]?page|^pages$|^page[_-]?(bar|box|div|nav|num|list[_-]?page)$")
SIDE_TOKEN = re.compile(r"^(side|sidebar|aside|left[_-]?nav|sub[_-]?nav)$|related|xglm|xgwz|yqlj|friend")
EXCLUDED_TAGS = frozenset({"nav", "header", "footer"})
SIDE_TAGS = frozenset({"aside"})
# 更多 as portals write it: 更多>>, +更多, [更多], 【更多】, >>更多, 更多..., 更 多 (a spaced word), 更多通知, 查看全部
MORE_DECOR = r"[\s+＋>›»\[\]【】［］()（）.…·:：|]*"
MORE_TEXT = re.compile(
    rf"^{MORE_DECOR}((查看|浏览|阅读)?(更\s*多|全部)[\u4e00-\u9fff]{{0,4}}|more|[+＋]|[>›»]+){MORE_DECOR}$", re.I)


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------- urls


def document_base(tree: LexborHTMLParser, base_url: str) -> str:
    """The URL relative links resolve against: `<base href>` (itself resolved against the page URL)."""
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node else ""
    return urljoin(base_url, href) if href else base_url


def resolve(base: str, href: str | None) -> str | None:
    """Absolute http(s) URL without fragment, or None for script/mail/anchor-only links."""
    return _resolve(base, (href or "").strip())


@lru_cache(maxsize=16384)
def _resolve(base: str, raw: str) -> str | None:
    if not raw or raw.lower().startswith(NON_HTTP):
        return None
    fast = _plain_join(base, raw)
    if fast is not None:
        return fast
    url = urldefrag(urljoin(base, raw))[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def _plain_join(base: str, raw: str) -> str | None:
    """urljoin's result for the two commonest shapes without its cost, None for any other shape: an
    absolute http(s) URL, or a root-relative path, with nothing urljoin would rewrite (query, fragment,
    dot segments, doubled slashes, blanks, backslashes)."""
    if "/." in raw or PLAIN_UNSAFE.search(raw):
        return None
    if raw.startswith(("http://", "https://")):
        rest = raw.split("//", 1)[1]
        return raw if "/" in rest and rest[0] != "/" and "//" not in rest else None
    if raw[0] == "/" and "//" not in raw:
        origin = _origin(base)
        return origin + raw if origin else None
    return None


PLAIN_UNSAFE = re.compile(r"[\s\x00-\x1f?#\\\[\]]")


@lru_cache(maxsize=4096)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


# ---------------------------------------------------------------- regions


def attr_tokens(attrs: dict) -> list[str]:
    """The lower-case id and class tokens of an element's attributes."""
    return f"{attrs.get('id') or ''} {attrs.get('class') or ''}".lower().split()


def tokens(node: LexborNode) -> list[str]:
    return attr_tokens(node.attributes)


_CHROME_TOKENS = {side: re.compile("|".join(f"(?:{p.pattern})" for p in (
    NAV_TOKEN, HEADER_TOKEN, FOOTER_TOKEN, CRUMB_TOKEN, PAGER_TOKEN, *((SIDE_TOKEN,) if side else ()))))
    for side in (False, True)}


def chrome(node: LexborNode, side: bool) -> bool:
    """Whether this element itself is site chrome (nav, header, footer, breadcrumb, pager; sidebars if asked):
    its tag, role, or an id/class token matching one of the *_TOKEN patterns."""
    tag = node.tag
    if tag in EXCLUDED_TAGS or (side and tag in SIDE_TAGS):
        return True
    attrs = node.attributes
    if not attrs:
        return False
    if attrs.get("role") in ("navigation", "contentinfo", "banner"):
        return True
    pattern = _CHROME_TOKENS[side]
    return any(pattern.search(t) for t in attr_tokens(attrs))


class Regions:
    """Memoised 'is this node inside site chrome' over one tree."""

    def __init__(self, side: bool) -> None:
        self.side = side
        self._memo: dict[LexborNode, bool] = {}

    def excluded(self, node: LexborNode | None) -> bool:
        path: list[LexborNode] = []
        verdict = False
        while node is not None and node.tag not in ("body", "html"):
            if node in self._memo:
                verdict = self._memo[node]
                break
            path.append(node)
            if chrome(node, self.side):
                verdict = True
                break
            node = node.parent
        for seen in path:
            self._memo[seen] = verdict
        return verdict


# ---------------------------------------------------------------- row dates


def outside_text(node: LexborNode) -> str:
    """Text of node without the text of anchors (and scripts) inside it."""
    if node.tag == "-text":
        return node.text_content or ""
    if not node.is_element_node or node.tag in SKIP_TEXT_TAGS:
        return ""
    return " ".join(outside_text(child) for child in node.iter(include_text=True))


def _row_text(text: str) -> str:
    """Row text without a "今天是2018年10月15日 星期一" clock widget (today's date is no item's date)."""
    return TODAY_WIDGET.sub(" ", text) if "今" in text or "当前" in text else text


LINKS_COUNTED = 4  # link counts are exact up to this; a node with more links counts this many


def link_sets(tree: LexborHTMLParser) -> dict[LexborNode, set[str]]:
    """For every element holding a link: the distinct link targets in it (itself included), up to LINKS_COUNTED.

    One pass over the anchors: each adds its target to its ancestors until one already holds LINKS_COUNTED
    targets (that one's ancestors hold as many, since every target offered to a node was offered to its parent).
    Counting each element's anchors with its own selector query read every anchor once per ancestor."""
    sets: dict[LexborNode, set[str]] = {}
    for a in tree.css(SELECTOR):
        href = target(a)
        node = a if href else None
        while node is not None:
            held = sets.get(node)
            if held is None:
                held = sets[node] = set()
            elif len(held) >= LINKS_COUNTED:
                break
            held.add(href)
            node = node.parent
    return sets


class _Segments:
    """One container's children split at its link-bearing children (computed once per container)."""

    def __init__(self, container: LexborNode, rows: RowDater) -> None:
        self.kids = list(container.iter(include_text=True))
        self.index = {kid: i for i, kid in enumerate(self.kids) if kid.is_element_node}
        self.bearing = [i for i, kid in enumerate(self.kids) if rows.links(kid)]
        lead = self.kids[: self.bearing[0]] if self.bearing else []
        self.date_first = has_date(" ".join(outside_text(k) for k in lead), rows.as_of)

    def around(self, child: LexborNode) -> list[LexborNode]:
        """The non-link siblings that belong to `child`'s row: after it, or before it in date-first layouts."""
        index = self.index.get(child)
        if index is None or not self.bearing:
            return []
        pos = bisect_left(self.bearing, index)
        if self.date_first:
            start = self.bearing[pos - 1] + 1 if pos > 0 else 0
            return self.kids[start:index]
        nxt = pos + 1 if pos < len(self.bearing) and self.bearing[pos] == index else pos
        end = self.bearing[nxt] if nxt < len(self.bearing) else len(self.kids)
        return self.kids[index + 1 : end]


class RowDater:
    """Dates of anchors' rows on one tree, with per-tree memos (link counts, container segments)."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self._links: dict[LexborHTMLParser, dict[LexborNode, set[str]]] = {}  # per tree (a page, its datastore)
        self._segments: dict[LexborNode, _Segments] = {}

    def links(self, node: LexborNode) -> int:
        """Distinct link targets under node (node included), counted up to LINKS_COUNTED."""
        if node.tag == "-text" or not node.is_element_node:
            return 0
        tree = node.parser
        sets = self._links.get(tree)
        if sets is None:
            sets = self._links[tree] = link_sets(tree)
        held = sets.get(node)
        return len(held) if held else 0

    def _segment_dates(self, container: LexborNode, child: LexborNode) -> list[FoundDate]:
        """Dates laid out flat beside `child` in a container of several rows (`<a>..</a> 2018-09-04<br>`).

        Dates follow their anchor unless the container opens with a date before its first anchor."""
        if container not in self._segments:
            self._segments[container] = _Segments(container, self)
        segment = self._segments[container].around(child)
        text = _row_text(" ".join(outside_text(k) for k in segment))
        if len(text) > MAX_ROW_TEXT and len(norm(text)) > MAX_ROW_TEXT:
            return []
        return find_dates(text, self.as_of)

    def _context_dates(self, a: LexborNode) -> list[FoundDate]:
        """Dates of the anchor's row, outside the anchor itself; [] if the row has none."""
        child, node = a, a.parent
        for _ in range(MAX_WALK):
            if node is None or node.tag in ("body", "html"):
                return []
            if self.links(node) > 1:
                return self._segment_dates(node, child)
            text = _row_text(outside_text(node))
            if len(text) > MAX_ROW_TEXT and len(norm(text)) > MAX_ROW_TEXT:
                return []  # prose (an article paragraph with a link), not a list row
            dated, dates = scan(text, self.as_of)
            if dated:
                return dates
            if node.tag in ROW_TAGS:
                parent = node.parent
                if parent is not None and self.links(parent) > 1:
                    return self._segment_dates(parent, node)
                return []
            child, node = node, node.parent
        return []

    def date(self, a: LexborNode) -> FoundDate | None:
        """The date of the row this anchor heads: a separate date in the row first, else one in the anchor."""
        outside = self._context_dates(a)
        if outside:
            return best_date(outside)
        own = f"{a.text(deep=True)} {a.attributes.get('title') or ''}"
        return best_date(find_dates(own, self.as_of))


def row_date(a: LexborNode, as_of: date) -> FoundDate | None:
    """One anchor's row date (use a RowDater for many anchors of one page)."""
    return RowDater(as_of).date(a)


def anchor_title(a: LexborNode) -> str:
    """The anchor's text, or its title attribute when the text is truncated ("…", "...") or empty."""
    text = norm(a.text(deep=True))
    full = norm(a.attributes.get("title"))
    if full and (not text or TRUNCATED.search(text)):
        return full
    if not text:
        img = a.css_first("img[alt]")
        return norm(img.attributes.get("alt")) if img else ""
    return text
