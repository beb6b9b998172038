"""A site's crawl keeps the parsed trees of its most recently used pages only (a lexbor tree is ~1 MiB):
a page whose tree was let go is parsed again, with the same result, and a tree in use stays valid."""

from __future__ import annotations

from govweb.capture import Page
from govweb.crawl import markup
from govweb.crawl.context import Doc, TreeKeeper

HTML = "<html><body><ul>{}</ul></body></html>"


def _doc(keeper: TreeKeeper, n: int) -> Doc:
    html = HTML.format("".join(f"<li><a href='/p{n}/{i}.html'>条目{i}</a></li>" for i in range(n + 1)))
    doc = Doc(Page(url=f"http://www.example.gov.cn/{n}.html", kind="article"), keeper=keeper)
    doc.parsed(html, doc.page.url, markup.tree_of(html))
    return doc


def _hrefs(tree) -> list[str]:
    return [lk.href for lk in markup.links(tree, "http://www.example.gov.cn/", "www.example.gov.cn")]


def test_only_the_most_recently_used_trees_are_kept():
    keeper = TreeKeeper(3)
    docs = [_doc(keeper, n) for n in range(8)]
    assert [d._tree is not None for d in docs] == [False] * 5 + [True] * 3
    docs[0].tree  # noqa: B018 - used again: parsed again, and the oldest of the kept ones goes
    assert [d._tree is not None for d in docs] == [True] + [False] * 5 + [True, True]
    assert len(keeper.live) == 3


def test_a_released_page_parses_again_to_the_same_tree():
    keeper = TreeKeeper(1)
    first = _doc(keeper, 4)
    before = _hrefs(first.tree)
    _doc(keeper, 5)
    assert first._tree is None
    assert _hrefs(first.tree) == before and len(before) == 5


def test_a_tree_held_by_a_caller_stays_valid_after_release():
    keeper = TreeKeeper(1)
    first = _doc(keeper, 2)
    held = first.tree
    for n in range(3, 6):
        _doc(keeper, n)
    assert first._tree is None
    assert len(_hrefs(held)) == 3


def test_a_page_without_html_has_no_tree():
    doc = Doc(Page(url="http://www.example.gov.cn/x.html", kind="article", error="refused"), keeper=TreeKeeper(2))
    assert doc.tree is None and not doc.keeper.live


def test_a_finished_site_lets_every_tree_go_without_waiting_for_the_cycle_collector():
    import gc

    keeper = TreeKeeper(4)
    docs = [_doc(keeper, n) for n in range(4)]
    gc.disable()
    try:
        keeper.clear()
        assert all(d._tree is None for d in docs) and not keeper.live
        # nothing refers back to the pages: dropped, they go at once (no reference cycle left for gc)
        refs = [gc.get_referrers(d) for d in docs]
        assert all(not any(r is keeper.live for r in rs) for rs in refs)
    finally:
        gc.enable()
    assert _hrefs(docs[1].tree)  # a page asked for again is parsed again
