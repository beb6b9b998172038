"""List items whose helpers live in the site's script files (`onclick="showInfo('tzgg', 4521)"` with showInfo in
/js/common.js): the files are fetched once per site, their helpers read with the page, and kept as evidence so
the detectors' re-reading of the stored page finds the same items. Libraries are not fetched."""

from __future__ import annotations

import asyncio
from pathlib import Path

from govweb import extract
from govweb.checks.registry import SiteEvidence
from govweb.crawl import markup
from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import AS_OF, LoopWeb, Route, crawl_env

LISTS = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
SITE = "http://www.jsfile.test/"
PAGE = f"{SITE}xxgk/tzgg/index.html"
HOST = "www.jsfile.test"
WANT = [f"{SITE}art/tzgg/4521.html", f"{SITE}art/tzgg/4519.html", f"{SITE}art/tzgg/4502.html",
        f"{SITE}gov/view.jsp?id=88", f"{SITE}gov/view.jsp?id=87"]


def _page() -> bytes:
    return (LISTS / "helper_in_file.html").read_text(encoding="utf-8").encode("gb2312")


def web(inline_helper: bool = False) -> LoopWeb:
    w = LoopWeb()
    body = _page()
    if inline_helper:  # the same page defining its helpers itself
        inline = (LISTS / "helper_in_file_common.js").read_text(encoding="utf-8") + \
            (LISTS / "helper_in_file_list.js").read_text(encoding="utf-8")
        body = body.replace(b"</head>", f"<script>{inline}</script></head>".encode("gb2312"))
    w.add(HOST, "/xxgk/tzgg/index.html", Route(body, charset=None))
    w.add(HOST, "/xxgk/tzgg/index_1.html", Route(body, charset=None))
    js = "application/javascript"
    w.add(HOST, "/js/common.js", Route((LISTS / "helper_in_file_common.js").read_text(encoding="utf-8")
                                       .encode("gbk"), content_type=js, charset=None))
    w.add(HOST, "/xxgk/js/list.js", Route((LISTS / "helper_in_file_list.js").read_bytes(), content_type=js))
    w.add(HOST, "/js/jquery-1.8.3.min.js", Route(b"/*! jQuery v1.8.3 */function jQuery(){}", content_type=js))
    return w


async def _crawl(w: LoopWeb, tmp_path):
    async with crawl_env(w, tmp_path, SITE) as sc:
        first = await http_page(sc, PAGE, "column")
        again = await http_page(sc, f"{SITE}xxgk/tzgg/index_1.html", "column")
        return sc, first, again


def test_items_opened_by_helpers_of_the_sites_script_files(tmp_path):
    w = web()
    sc, first, again = asyncio.run(_crawl(w, tmp_path))
    assert [i.url for i in first.page.items] == WANT
    assert [i.url for i in again.page.items] == WANT
    assert len(first.page.script_keys) == 2 and first.page.script_keys == again.page.script_keys
    # each file fetched once for the site; the library and the page's other calls (addFavorite) cost nothing
    assert w.hits[(HOST, "/js/common.js")] == 1 and w.hits[(HOST, "/xxgk/js/list.js?v=20180901")] == 1
    assert w.hits[(HOST, "/js/jquery-1.8.3.min.js")] == 0
    # the GBK file is kept as UTF-8 text, and the detectors' re-reading of the stored page finds the same items
    stored = sc.store.get(first.page.script_keys[0]).decode("utf-8")
    assert "公共脚本" in stored and "function showInfo" in stored
    ev = SiteEvidence(sc.capture, sc.store, AS_OF)
    again_read = markup.main_list(ev.tree(first.page), first.base, AS_OF)
    assert [i.url for i in again_read] == WANT
    # without the files' helpers the rows lead nowhere
    assert markup.main_list(extract.parse(first.html), first.base, AS_OF) == []


def test_a_page_defining_its_helpers_fetches_no_script_file(tmp_path):
    w = web(inline_helper=True)
    _, first, _ = asyncio.run(_crawl(w, tmp_path))
    assert [i.url for i in first.page.items] == WANT and first.page.script_keys == []
    assert not any(path.endswith(".js") or ".js?" in path for (_, path) in w.hits)
