"""Where an anchor leads, as a visitor's click would take them: its `href`, or the page its inline script opens.

Portals write list items, menus and downloads as script links: `<a href="javascript:void(0)"
onclick="window.open('/art/2018/10/1.html')">`, `<a href="javascript:openWin('/art/1.html')">`,
`<a href="#" onclick="location.href='content_1.jsp?id=9'">` or `onclick="openDoc('./201809/t1.html')"`.
A reader that keeps only http(s) hrefs drops those items. Every list, menu and link reader takes an anchor's
target from `target()` and finds anchors with `SELECTOR`. Rows that are clickable themselves, with no link
inside (`<li onclick="window.open('/art/1.html')"><span>标题</span><span>2018-10-12</span></li>`,
`<tr onclick="location.href='view.jsp?id=9'">`), get their title wrapped in a link when a page is parsed
(`link_clickable_rows`), so they are read like any other row. So do anchors and rows that call a helper of
the page's own with an id (`onclick="showDetail(2231)"`, `link_helper_anchors`, see `script_calls`).
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.parse.script_calls import HelperCalls, called_names

SELECTOR = "a[href], a[onclick]"
SCRIPT_ANCHORS = 'a[onclick], a[href^="javascript:" i]'  # anchors whose target may be written in a script
ITEM_SELECTOR = ", ".join(f"li > {one.strip()}" for one in SELECTOR.split(","))  # SELECTOR's anchors in an <li>
NON_HTTP = ("javascript:", "mailto:", "tel:", "#", "about:", "data:")
# the first quoted argument of a navigation call: window.open('…'), location.href = '…', location = '…',
# location.assign/replace('…'), with window./top./self./parent./document. in front or not
NAVIGATION = re.compile(
    r"""(?:\bwindow\.open|(?:\b(?:window|top|self|parent|document)\.)?\blocation(?:\.href)?\s*=|"""
    r"""\blocation\.(?:assign|replace))\s*\(?\s*(['"])([^'"\s]+)\1""")
# a quoted path to a page, as a helper function's argument: openArticle('./201809/t20180904_1.html'). Not
# a file name (downFile('a.doc')): helpers hand those to a download script, resolved against the page it is
# no file's address, and a guessed address that 404s would be reported as a broken download.
QUOTED_PATH = re.compile(r"""(['"])([^'"\s()]+\.(?:s?html?|jsp|do|aspx?|php|action)(?:\?[^'"\s]*)?)\1""", re.I)


def scripted(code: str) -> str:
    """The URL a piece of inline script (a `javascript:` href or an `onclick`) opens, "" when it names none."""
    if not code:
        return ""
    m = NAVIGATION.search(code) or QUOTED_PATH.search(code)
    return m.group(2) if m else ""


def script_of(a: LexborNode) -> str:
    """The inline script an anchor runs when clicked: its `javascript:` href's code and its onclick."""
    attrs = a.attributes
    href = (attrs.get("href") or "").strip()
    code = attrs.get("onclick") or ""
    return f"{href[11:]} {code}" if href[:11].lower() == "javascript:" else code


def target(a: LexborNode) -> str:
    """The anchor's target as written (relative or not): a followable href, else the URL its script opens;
    "" when it leads nowhere a crawler can follow (a tab switch, mail, an in-page jump)."""
    attrs = a.attributes
    href = (attrs.get("href") or "").strip()
    if href and not href.lower().startswith(NON_HTTP):
        return href
    return scripted(script_of(a))


CLICKABLE = "li[onclick], tr[onclick], td[onclick], dd[onclick], dt[onclick], div[onclick], p[onclick]"
INLINE_TAGS = frozenset({"font", "b", "strong", "em", "i", "u", "span", "img", "br", "-text", "small", "label", "a"})
DATE_CHARS = re.compile(r"[\d\s\-/.:：年月日\[\]()（）【】]")  # what a date or a number is written with
MIN_TITLE_CHARS = 4


def _title_element(row: LexborNode) -> LexborNode | None:
    """The element holding a clickable row's title: the one with the longest text among the row and its
    descendants that hold only inline markup (a placeholder `<a>` among them) with text in at most one child
    (two are the parts of a row: a title and a date), more than a date or a number (a title may name a date:
    关于2018年10月1日起实施…的通知)."""
    best, size = None, 0
    for node in row.traverse():  # the row itself first
        kids = [c for c in node.iter() if c.is_element_node]
        if not node.is_element_node or any(c.tag not in INLINE_TAGS for c in kids) \
                or sum(1 for c in kids if c.text(deep=True).strip()) > 1:  # parts of a row: not one title
            continue
        text = " ".join(node.text(deep=True).split())
        # of equal texts, a placeholder <a> itself rather than the cell around it
        if len(DATE_CHARS.sub("", text)) >= MIN_TITLE_CHARS \
                and (len(text) > size or (len(text) == size and node.tag == "a")):
            best, size = node, len(text)
    return best


def link_helper_anchors(tree: LexborHTMLParser, helpers: HelperCalls) -> int:
    """Give every anchor that opens a page through a helper of the page's own (`onclick="showDetail(2231)"`,
    see script_calls) the href of that page (the tree is changed; the stored HTML is not)."""
    linked = 0
    for a in tree.css(SCRIPT_ANCHORS):
        if not target(a) and (url := helpers.address(script_of(a))):
            a.attrs["href"] = url
            linked += 1
    return linked


def link_clickable_rows(tree: LexborHTMLParser, helpers: HelperCalls | None = None) -> int:
    """Wrap the title of every row that opens a page by script (written in its onclick, or built by a helper of
    the page's own), and holds no link of its own, in an `<a href>` to that page (the tree is changed; the
    stored HTML is not). Returns how many rows were linked."""
    helpers = helpers or HelperCalls(tree)
    linked = 0
    for row in tree.css(CLICKABLE):
        code = row.attributes.get("onclick") or ""
        url = scripted(code) or helpers.address(code)
        if not url or any(target(a) for a in row.css(SELECTOR)):
            continue
        title = _title_element(row)
        if title is None:
            continue
        if title.tag == "a":  # a placeholder link (href="javascript:void(0)") inside the clickable row
            title.attrs["href"] = url
        else:
            title.inner_html = f'<a href="{html.escape(url)}">{title.inner_html}</a>'
        linked += 1
    return linked


def link_scripted(tree: LexborHTMLParser, files: tuple[str, ...] = ()) -> int:
    """Anchors opened through page helpers get their href, then clickable rows are linked (both above); `files`:
    the texts of script files the page loads, whose helpers count as the page's own."""
    helpers = HelperCalls(tree, files)
    return link_helper_anchors(tree, helpers) + link_clickable_rows(tree, helpers)


def unknown_helpers(tree: LexborHTMLParser) -> set[str]:
    """The functions that anchors and clickable rows left unlinked by `link_scripted` call, which no inline script
    of the page defines: helpers that live in a script file the page loads (`<script src="/js/common.js">`)."""
    helpers = HelperCalls(tree)
    codes = [script_of(a) for a in tree.css(SCRIPT_ANCHORS) if not target(a)]
    codes += [row.attributes.get("onclick") or "" for row in tree.css(CLICKABLE)
              if not any(target(a) for a in row.css(SELECTOR))]
    return {name for code in codes for name in called_names(code) if not helpers.defines(name)}
