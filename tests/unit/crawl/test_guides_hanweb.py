"""Service guides listed by a Hanweb (大汉) 办事指南 column: the list ships in a `<datastore>` script that
jpage.js renders, so plain HTTP sees no guide links in the markup; the crawler reads the records."""

from __future__ import annotations

import asyncio
from pathlib import Path

from govweb.capture import Column
from govweb.crawl import markup
from govweb.crawl.sections import find_guides
from tests.unit.crawl.loopweb import LoopWeb, Route, crawl_env

CAPTURES = Path(__file__).resolve().parents[2] / "fixtures" / "captures" / "services"
HOST = "www.site.test"
SITE = f"http://{HOST}/"
LIST = "col/col1401/index.html"


def _route(name: str) -> Route:
    return Route((CAPTURES / name).read_bytes())


def test_script_links_read_the_datastore_records():
    html = (CAPTURES / "guide_list_hanweb.html").read_text(encoding="utf-8")
    tree = markup.tree_of(html)
    shown = {lk.href for lk in markup.links(tree, SITE + LIST, HOST)}
    shipped = markup.script_links(tree, SITE + LIST, HOST)
    assert f"{SITE}art/2018/6/5/art_1401_3001.html" not in shown
    assert [lk.href for lk in shipped] == [f"{SITE}art/2018/6/5/art_1401_3001.html",
                                           f"{SITE}art/2018/6/4/art_1401_3002.html"]
    assert shipped[1].text == "残疾人证办理" and all(lk.internal for lk in shipped)


async def _guides(tmp_path):
    web = LoopWeb()
    web.add(HOST, "/" + LIST, _route("guide_list_hanweb.html"))
    web.add(HOST, "/art/2018/6/5/art_1401_3001.html", _route("guide_table_synonyms.html"))
    web.add(HOST, "/art/2018/6/4/art_1401_3002.html", _route("guide_dl_lacking.html"))
    async with crawl_env(web, tmp_path, SITE) as sc:
        sc.capture.columns = [Column(name="办事指南", url=SITE + LIST, category="services", found_in="section")]
        await find_guides(sc)
        return sc.capture.guides


def test_guides_found_through_a_hanweb_datastore_list(tmp_path):
    guides = asyncio.run(_guides(tmp_path))
    assert [g.url for g in guides] == [f"{SITE}art/2018/6/5/art_1401_3001.html",
                                       f"{SITE}art/2018/6/4/art_1401_3002.html"]
    assert len(guides[0].labels) >= 5 and "事项名称" in "".join(guides[1].labels)


def test_a_pages_links_include_its_datastore_records_once():
    """What a browser shows: the records' links are the page's links (link-checked like any other)."""
    html = (CAPTURES / "guide_list_hanweb.html").read_text(encoding="utf-8")
    tree = markup.tree_of(html)
    shown = [lk.href for lk in markup.links(tree, SITE + LIST, HOST)]
    got = [lk.href for lk in markup.page_links(tree, SITE + LIST, HOST)]
    assert got[: len(shown)] == shown and len(got) == len(set(got))
    assert f"{SITE}art/2018/6/5/art_1401_3001.html" in got[len(shown):]
