"""Where an anchor leads, as a visitor's click would take them: its `href`, or the page its inline script opens.

Portals write list items, menus and downloads as script links: `<a href="javascript:void(0)"
onclick="window.open('/art/2018/10/1.html')">`, `<a href="javascript:openWin('/art/1.html')">`,
`<a href="#" onclick="location.href='content_1.jsp?id=9'">` or `onclick="downFile('/files/guide.doc')"`.
A reader that keeps only http(s) hrefs drops those items. Every list, menu and link reader takes an anchor's
target from `target()` and finds anchors with `SELECTOR`.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

SELECTOR = "a[href], a[onclick]"
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


def target(a: LexborNode) -> str:
    """The anchor's target as written (relative or not): a followable href, else the URL its script opens;
    "" when it leads nowhere a crawler can follow (a tab switch, mail, an in-page jump)."""
    attrs = a.attributes
    href = (attrs.get("href") or "").strip()
    if href and not href.lower().startswith(NON_HTTP):
        return href
    code = attrs.get("onclick") or ""
    if href[:11].lower() == "javascript:":
        code = f"{href[11:]} {code}"
    return scripted(code)
