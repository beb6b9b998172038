"""Lists of items on portal pages: dated entries, a column page's own list, script-built lists, iframes.

Rows and their dates come from `govweb.parse.rows`; navigation, header, footer, breadcrumb and pager regions
never yield items. Hanweb pages that ship their rows in a `<datastore>` script are read without a browser.
"""

from __future__ import annotations

import re
from datetime import date
from statistics import median

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.capture import DatedItem
from govweb.parse.anchors import SELECTOR, target
from govweb.parse.dates import FoundDate
from govweb.parse.rows import (
    SKIP_TEXT_TAGS,
    Regions,
    RowDater,
    anchor_title,
    document_base,
    norm,
    outside_text,
    resolve,
    tokens,
)

MAX_ROW_LINKS = 3
PAGER_TEXT = re.compile(r"^(\d+|首页|上一?页|下一?页|尾页|末页|最后一页|前页|后页|跳转|go|[<>«»‹›＜＞]+)$", re.I)


def _item(a: LexborNode, url: str, found: FoundDate | None) -> DatedItem:
    if found is None:
        return DatedItem(title=anchor_title(a), url=url, date="", precision="")
    return DatedItem(title=anchor_title(a), url=url, date=found.day.isoformat(), precision=found.precision)


# ---------------------------------------------------------------- Hanweb datastore

DATASTORE_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def datastore_tree(tree: LexborHTMLParser) -> LexborHTMLParser | None:
    """The rows a Hanweb (大汉) page ships inside `<script type="text/xml"><datastore>` records, parsed as HTML.

    The browser's jpage.js renders them; reading them directly spares a browser fetch."""
    records: list[str] = []
    for node in tree.css("script"):
        if "text/xml" in (node.attributes.get("type") or "").lower():
            records += DATASTORE_RECORD.findall(node.text(deep=True))
    if not records:
        return None
    rows = "".join(records)
    wrapped = f"<table>{rows}</table>" if rows.lstrip().lower().startswith("<tr") else f"<div>{rows}</div>"
    return LexborHTMLParser(f"<html><body>{wrapped}</body></html>")


# ---------------------------------------------------------------- public


def list_items(tree: LexborHTMLParser, base_url: str, as_of: date) -> list[DatedItem]:
    """Every dated entry on the page (any list markup), first occurrence per URL, none dated after as_of."""
    base = document_base(tree, base_url)
    regions = Regions(side=False)
    rows = RowDater(as_of)
    items: list[DatedItem] = []
    seen: set[str] = set()
    store = datastore_tree(tree)
    anchors = tree.css(SELECTOR) + (store.css(SELECTOR) if store is not None else [])
    for a in anchors:
        url = resolve(base, target(a))
        if url is None or url in seen or regions.excluded(a):
            continue
        found = rows.date(a)
        if found is None or not anchor_title(a):
            continue
        seen.add(url)
        items.append(_item(a, url, found))
    return items


def _signature(node: LexborNode) -> tuple[str, str]:
    return node.tag or "", norm(node.attributes.get("class"))


class _Anchors:
    """Each anchor's absolute URL and title, read once per tree (a row's anchor is also its parent's and
    grandparent's while they hold few links)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._memo: dict[LexborNode, tuple[str | None, str]] = {}

    def of(self, a: LexborNode) -> tuple[str | None, str]:
        hit = self._memo.get(a)
        if hit is None:
            hit = self._memo[a] = (resolve(self.base, target(a)), anchor_title(a))
        return hit


def _row_anchor(row: LexborNode, anchors: _Anchors) -> tuple[LexborNode, str, str] | None:
    """The row's main link: the anchor with the longest title, with its absolute URL and title."""
    best: tuple[int, LexborNode, str, str] | None = None
    for a in [row] if row.tag == "a" else row.css(SELECTOR):
        url, title = anchors.of(a)
        if url is None or not title or PAGER_TEXT.match(title):
            continue
        if best is None or len(title) > best[0]:
            best = (len(title), a, url, title)
    return best[1:] if best else None


class _Group:
    def __init__(self) -> None:
        self.links: list[tuple[LexborNode, str]] = []
        self.title_lengths: list[int] = []
        self.rows: list[tuple[LexborNode, str, FoundDate | None]] | None = None

    def date_rows(self, dater: RowDater) -> None:
        self.rows = [(a, url, dater.date(a)) for a, url in self.links]

    def _score(self, dated: int) -> float:
        count = len(self.links)
        if count < 2:
            return 0.0
        length = median(self.title_lengths)
        return count * (2 * dated / count + min(length, 20) / 10)

    def ceiling(self) -> float:
        """The score if every row were dated: no undated group can score more."""
        return self._score(len(self.links))

    def score(self) -> float:
        return self._score(sum(1 for _, _, found in self.rows if found is not None))


def _groups(tree: LexborHTMLParser, base: str, dater: RowDater) -> list[_Group]:
    """Sibling rows with links, grouped by (grandparent, parent signature, row signature); rows not dated yet.

    Keying by the grandparent merges a list the CMS split into several `<ul>` chunks."""
    body = tree.body
    if body is None:
        return []
    regions = Regions(side=True)
    anchors = _Anchors(base)
    groups: dict[tuple, _Group] = {}
    for parent in body.traverse():
        if parent.tag in SKIP_TEXT_TAGS or regions.excluded(parent):
            continue
        for row in parent.iter():
            # a row without a link target has no main link (_row_anchor): skipped before its anchors are read
            # the parent is not chrome, so the row is excluded when it is chrome itself (memoised for when the
            # row is the parent)
            if not row.is_element_node or not 0 < dater.links(row) <= MAX_ROW_LINKS or regions.excluded(row):
                continue
            main = _row_anchor(row, anchors)
            if main is None:
                continue
            a, url, title = main
            key = (parent.parent or parent, _signature(parent), _signature(row))
            group = groups.setdefault(key, _Group())
            group.links.append((a, url))
            group.title_lengths.append(len(title))
    return [group for group in groups.values() if len(group.links) >= 2]


def _best_group(groups: list[_Group], dater: RowDater) -> _Group | None:
    """The best-scoring group (the first of equals, in document order), dating rows only of the groups that
    could still win: dating is most of a list page's parse time."""
    best, best_index, best_score = None, -1, 0.0
    ceilings = [group.ceiling() for group in groups]
    for index in sorted(range(len(groups)), key=lambda i: -ceilings[i]):
        group = groups[index]
        if best is not None and ceilings[index] < best_score:
            break
        group.date_rows(dater)
        score = group.score()
        if score > 0 and (best is None or score > best_score or (score == best_score and index < best_index)):
            best, best_index, best_score = group, index, score
    return best


def main_list(tree: LexborHTMLParser, base_url: str, as_of: date) -> list[DatedItem]:
    """The column page's own list (dated or not; undated rows get date ""), [] when the column is empty."""
    base = document_base(tree, base_url)
    store = datastore_tree(tree)
    if store is not None:
        return main_list(store, base, as_of)
    dater = RowDater(as_of)
    best = _best_group(_groups(tree, base, dater), dater)
    if best is None:
        return list_items(tree, base_url, as_of)
    items: list[DatedItem] = []
    seen: set[str] = set()
    for a, url, found in best.rows:
        if url not in seen:
            seen.add(url)
            items.append(_item(a, url, found))
    return items


def iframe_sources(tree: LexborHTMLParser, base_url: str) -> list[str]:
    """Absolute http(s) sources of iframes and frames, in document order, each once."""
    base = document_base(tree, base_url)
    out: dict[str, None] = {}
    for node in tree.css("iframe, frame"):
        url = resolve(base, node.attributes.get("src"))
        if url is not None:
            out.setdefault(url, None)
    return list(out)


SCRIPT_FILL = re.compile(
    r"\$\.(ajax|get|getJSON|post)\s*\(|\bjQuery\.(ajax|get|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|\baxios\b|"
    r"document\.write(ln)?\s*\(|\.innerHTML\s*[+]?=|\.(html|append|load)\s*\(|\btemplate\s*\(|laytpl|artTemplate|"
    r"\bnew Vue\b|createApp\s*\(|\bjsonp\b|\$\.getScript\s*\(",
    re.I,
)
LIST_HINT = re.compile(r"list|news|item|article|data|result|con|wz|xxgk|gk|info|tbody|tab", re.I)
LOADING_TEXT = re.compile(r"加载|载入|loading|请稍候|正在", re.I)
CONTAINER_TAGS = frozenset({"ul", "ol", "tbody", "table", "dl", "div", "section"})
DATA_SOURCE_ATTRS = ("data-src", "data-url", "data-api", "data-source", "data-href", "data-list")
MIN_STATIC_ROWS = 3
MIN_TITLE_LEN = 10


def _scripts(tree: LexborHTMLParser) -> str:
    return "\n".join(node.text(deep=True) for node in tree.css("script") if not node.attributes.get("src"))


def _empty_container(node: LexborNode, script_text: str) -> bool:
    """An element meant to hold a list that has no links and no real text, marked as a list or fed by script."""
    if node.tag not in CONTAINER_TAGS or node.css_first(SELECTOR) is not None:
        return False
    text = norm(node.text(deep=True))
    if len(text) > 30 and not LOADING_TEXT.search(text):
        return False
    attrs = node.attributes
    if any(attrs.get(name) for name in DATA_SOURCE_ATTRS):
        return True
    ident = (attrs.get("id") or "").strip()
    if ident and re.search(rf"""['"#]{re.escape(ident)}\b""", script_text):
        return True
    if node.tag == "tbody":
        return node.css_first("td") is None  # a table body with no data rows
    return node.tag in ("ul", "ol", "dl") and any(LIST_HINT.search(t) for t in tokens(node))


def _static_list(tree: LexborHTMLParser) -> bool:
    """Whether the page already carries its list in the HTML (dated rows, or several long-titled rows)."""
    far = date.max.replace(year=9998)
    if list_items(tree, "http://localhost/", far):
        return True
    rows = main_list(tree, "http://localhost/", far)
    return len(rows) >= MIN_STATIC_ROWS and median(len(r.title) for r in rows) >= MIN_TITLE_LEN


def _template_markup(tree: LexborHTMLParser) -> bool:
    body = tree.body
    if body is None:
        return False
    if tree.css_first("template, [v-for], [v-repeat], [ng-repeat], [x-for], script[type='text/html'], "
                      "script[type='text/template'], script[type='text/x-template']"):
        return True
    return bool(re.search(r"\{\{\s*[\w.$\[\]'\"]+\s*\}\}", outside_text(body)))


def script_list_pending(tree: LexborHTMLParser) -> bool:
    """The page builds its content list by script (ajax/fetch/document.write/templates), so a browser must
    render it; False for static list pages whatever scripts they carry (analytics, jQuery)."""
    if tree.body is None or _static_list(tree):
        return False
    if _template_markup(tree):
        return True
    script_text = _scripts(tree)
    fills = bool(SCRIPT_FILL.search(script_text))
    for node in tree.body.traverse():
        if not _empty_container(node, script_text):
            continue
        if fills or any(node.attributes.get(name) for name in DATA_SOURCE_ATTRS):
            return True
    return False


CONTENT_HINT = re.compile(r"content|article|detail|zoom|text|main|body|wz|con|info|nr|xl|zw", re.I)
CHROME = re.compile(r"foot|bottom|copyright|banquan|\bbq\b|head|\btop\b|nav|menu", re.I)
MIN_OWN_TEXT = 100  # a page whose paragraphs outside its header and footer say this much carries its text itself


BLOCKS = "p, td, div"
INNER_BLOCK_TAGS = frozenset({"p", "td", "div", "ul", "ol", "table", "dl"})


def _own_paragraph_text(body: LexborNode) -> int:
    """How much the page's paragraphs say outside its header, menus and footer (`<footer>`, class foot, bottom …):
    the text of its innermost blocks (`<p>`, cells, and `<div>`s that hold text with `<br>` between the lines)."""
    total = 0
    for p in body.css(BLOCKS):
        node, chrome = p.parent, False
        for _ in range(8):
            if node is None or node.tag == "body":
                break
            if node.tag in ("footer", "header", "nav") or CHROME.search(
                    f"{node.attributes.get('id') or ''} {node.attributes.get('class') or ''}"):
                chrome = True
                break
            node = node.parent
        if not chrome and not any(c.tag in INNER_BLOCK_TAGS for c in list(p.traverse())[1:]):  # [0]: p itself
            total += len(norm(p.text(deep=True)))
    return total


def script_content_pending(tree: LexborHTMLParser) -> bool:
    """A page whose text (an article, a guide, a letter) its script fetches and writes in: template markup, or
    an empty container named like an article body (`<div id="zoom">`, `#content`, showing at most a 加载中 line)
    that a script fills, and next to no paragraph text of its own outside the header and footer. False for pages
    that carry their text, whatever scripts they run beside it (a share box, a visit counter)."""
    body = tree.body
    if body is None:
        return False
    if _template_markup(tree):
        return True
    script_text = _scripts(tree)
    if not SCRIPT_FILL.search(script_text):
        return False
    if _own_paragraph_text(body) >= MIN_OWN_TEXT:
        return False
    for node in body.css("div[id], section[id], article[id], td[id]"):
        ident = (node.attributes.get("id") or "").strip()
        text = norm(node.text(deep=True))
        if CONTENT_HINT.search(f"{ident} {node.attributes.get('class') or ''}") \
                and (len(text) <= 30 or LOADING_TEXT.search(text) and len(text) <= 60) \
                and node.css_first(SELECTOR) is None \
                and re.search(rf"""['"#]{re.escape(ident)}\b""", script_text):
            return True
    return False
