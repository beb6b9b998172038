"""RowDater.links: distinct link targets under an element, counted in one pass over the anchors and capped at
LINKS_COUNTED; every element gets the count a selector query of its own subtree gives."""

from __future__ import annotations

from datetime import date

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.rows import LINKS_COUNTED, NON_HTTP, RowDater

PAGES = [
    # a news list, a nav of many links, repeated and script/mail/anchor-only targets
    "<div id=nav><a href='/a'>甲</a><a href='/b'>乙</a><a href='/c'>丙</a><a href='/d'>丁</a><a href='/e'>戊</a></div>"
    "<ul class=list><li><a href='/n/1.html'>一</a><span>2018-09-04</span></li>"
    "<li><a href='/n/2.html'>二</a> <a href='/n/2.html'>二</a></li>"
    "<li><a href='javascript:void(0)'>打印</a><a href='#top'>顶部</a><a href=''>空</a><a>无</a></li>"
    "<li><a href=' /n/3.html '>三</a><a href='mailto:x@y.cn'>信</a><a href='/n/4.html'>四</a></li></ul>",
    # a table board, links deep in cells, a row with more links than a row holds
    "<table><tr><td><p><a href='/l/1'>问</a></p></td><td>已回复</td></tr>"
    "<tr><td><a href='/l/2'>问</a></td><td><a href='/l/2r'>复</a><a href='/l/2s'>评</a><a href='/l/2t'>转</a>"
    "<a href='/l/2u'>看</a></td></tr></table>",
    # bare anchors separated by <br> in one cell
    "<td><a href='/x/1'>一</a> 2018-01-02<br><a href='/x/2'>二</a> 2018-01-03<br><a href='/x/2'>二</a></td>"
    "<p><a href='/y/1'>甲</a> <a href='/y/2'>乙</a> <a href='/y/3'>丙</a></p>",
]


def _expected(node) -> int:
    anchors = [node] if node.tag == "a" else node.css("a[href]")
    hrefs = {(a.attributes.get("href") or "").strip() for a in anchors}
    return min(LINKS_COUNTED, len({h for h in hrefs if h and not h.lower().startswith(NON_HTTP)}))


@pytest.mark.parametrize("html", PAGES)
def test_every_element_counts_its_distinct_link_targets(html):
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    dater = RowDater(date(2018, 10, 15))
    nodes = [n for n in tree.root.traverse() if n.is_element_node]
    counts = [(n.tag, dater.links(n)) for n in nodes]
    assert counts == [(n.tag, _expected(n)) for n in nodes]


def test_the_pages_exercise_every_count_up_to_the_cap():
    seen = set()
    for html in PAGES:
        tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
        seen |= {_expected(n) for n in tree.root.traverse() if n.is_element_node}
    assert seen == set(range(LINKS_COUNTED + 1))


def test_text_nodes_and_another_trees_elements_are_counted_on_their_own_tree():
    dater = RowDater(date(2018, 10, 15))
    first = LexborHTMLParser("<ul><li><a href='/1'>一</a></li></ul>")
    second = LexborHTMLParser("<ul><li><a href='/1'>一</a><a href='/2'>二</a></li></ul>")
    assert dater.links(first.css_first("li")) == 1
    assert dater.links(second.css_first("li")) == 2
    text = next(n for n in first.css_first("a").iter(include_text=True))
    assert dater.links(text) == 0
