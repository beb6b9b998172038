"""Pages that send the visitor on from the browser rather than with an HTTP redirect: a column's index page that
is `<meta http-equiv="refresh" content="0; url=tzgg/index.html">`, or a page with next to no text of its own
whose script sets the address (`window.location.href = "./tzgg/";`, `location.replace('list_1.html')`). TRS
and older ASP portals point a section's menu entry at such a page; read over HTTP, it lists nothing."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from govweb.parse.rows import document_base, norm, resolve
from govweb.parse.script_calls import without_comments

META_REFRESH = re.compile(r"""^\s*(\d+(?:\.\d+)?)\s*(?:[;,]\s*(?:url\s*=\s*)?['"]?([^'"]*))?""", re.I)
# an address set by the script: location(.href) = "…", location.assign/replace("…"), on window/top/self/document
SCRIPT_MOVE = re.compile(
    r"""(?:\b(?:window|top|self|parent|document)\.)?\blocation(?:\.href)?\s*=(?!=)\s*(['"])([^'"\s]+)\1\s*(?:;|$)"""
    r"""|\blocation\.(?:assign|replace)\s*\(\s*(['"])([^'"\s]+)\3\s*\)""", re.M)
MAX_DELAY_S = 10  # a refresh later than this is a page that reloads itself (a clock, a live score), not a move
MAX_OWN_TEXT = 200  # a script move counts only on a page that says next to nothing itself


def _own_text(tree: LexborHTMLParser) -> int:
    body = tree.body
    if body is None:
        return 0
    return sum(len(norm(node.text(deep=False))) for node in body.traverse(include_text=True)
               if node.tag == "-text" and node.parent is not None
               and node.parent.tag not in ("script", "style", "noscript", "template"))


def client_redirect(tree: LexborHTMLParser, page_url: str) -> str | None:
    """The address the page moves the browser on to (resolved), or None."""
    base = document_base(tree, page_url)
    for meta in tree.css("meta[http-equiv]"):
        if (meta.attributes.get("http-equiv") or "").strip().lower() != "refresh":
            continue
        m = META_REFRESH.match(meta.attributes.get("content") or "")
        if m and float(m[1]) <= MAX_DELAY_S and (m[2] or "").strip():
            return _elsewhere(resolve(base, m[2].strip()), page_url)
    if _own_text(tree) > MAX_OWN_TEXT:
        return None
    for script in tree.css("script:not([src])"):
        code = without_comments(script.text(deep=True))
        for m in SCRIPT_MOVE.finditer(code):
            # run when the page loads: not in a function (a search box's handler) nor under a condition (a
            # phone's move to /m/), nor an address built from pieces ("/search?q=" + …)
            if code.count("{", 0, m.start()) == code.count("}", 0, m.start()):
                return _elsewhere(resolve(base, m[2] or m[4]), page_url)
    return None


def _elsewhere(url: str | None, page_url: str) -> str | None:
    return url if url and url.split("#")[0] != page_url.split("#")[0] else None
