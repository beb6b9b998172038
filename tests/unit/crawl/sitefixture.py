"""A hand-written portal on the loopback web (TRS-like markup, GBK pages, script list, iframe, board, guides)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from tests.unit.crawl.loopweb import FIXTURES, LoopWeb, Route, fixture

HOST = "www.site.test"
SITE = f"http://{HOST}/"


def portal(web: LoopWeb) -> LoopWeb:
    add = lambda path, route: web.add(HOST, path, route)  # noqa: E731
    add("/", fixture("home.html", charset=None, encoding="gbk"))
    add("/robots.txt", Route((FIXTURES / "robots.txt").read_bytes(), content_type="text/plain"))
    add("/frag/notice.html", fixture("frag_notice.html"))
    add("/col/col101/index.html", fixture("col_news.html", charset=None, encoding="gbk"))
    add("/col/col101/index_1.html", fixture("col_news_2.html", charset=None, encoding="gbk"))
    add("/col/col102/index.html", fixture("col_notice_table.html"))
    add("/col/col102/index.html?page=2", fixture("col_notice_table_2.html"))
    add("/col/col103/index.html", fixture("col_script.html"))
    add("/col/col201/index.html", fixture("col_notice_table.html"))
    add("/xxgk/", fixture("xxgk.html"))
    add("/xxgk/zn/", fixture("xxgk_zn.html"))
    add("/xxgk/ml/", fixture("col_notice_table.html"))
    add("/xxgk/nb/", fixture("xxgk_zn.html"))
    add("/xxgk/zdly/", fixture("zdly.html"))
    add("/xxgk/zdly/zfcg/", fixture("zdly_zfcg.html"))
    add("/xxgk/zdly/czyjs/", fixture("zdly_zfcg.html"))
    add("/hdjl/", fixture("board.html"))
    add("/hdjl/list_5.html", fixture("board_last.html"))
    letter = (FIXTURES / "letter.html").read_text(encoding="utf-8")
    add("/hdjl/letter/89.html", Route(letter.encode()))
    for n in (1, 2):
        add(f"/hdjl/letter/{n}.html", Route(letter.replace("已回复", "已办结").encode()))
    pending = letter.replace("已回复", "处理中").replace("2018-10-03", "2018-10-12")
    pending = pending.split("<tr><th>答复时间")[0] + "</table></div></body></html>"
    add("/hdjl/letter/90.html", Route(pending.encode()))
    add("/bsfw/", fixture("bsfw.html"))
    add("/bsfw/guide/1.html", fixture("guide.html"))
    add("/bsfw/guide/2.html", fixture("guide.html"))
    add("/bsfw/files/form_1.doc", Route(b"\xd0\xcf\x11\xe0", content_type="application/msword", charset=None,
                                        head_status=405))
    for path in ("/art/2018/10/10/art_101_1.html", "/art/2018/10/08/art_101_2.html", "/art/2018/09/28/art_101_3.html",
                 "/art/2018/10/09/art_102_1.html", "/art/2018/10/05/art_102_2.html",
                 "/art/2018/10/02/art_301_1.html", "/art/2018/09/12/art_301_2.html",
                 "/art/2018/10/01/art_103_1.html", "/art/2018/09/15/art_103_2.html"):
        add(path, fixture("article.html"))
    web.add("www.gov.test", "/", Route(b"<html><title>gov</title></html>"))
    web.add("zwfw.gov.test", "/3301/", Route(b"<html><title>zwfw</title></html>"))
    return web


@dataclass
class FakeResponse:
    status: int = 200


class FakeTab:
    """Stands in for a Playwright page: 'renders' the script-built list page from a fixture."""

    def __init__(self, rendered: dict[str, str]):
        self.rendered = rendered
        self.url = ""

    async def goto(self, url, **kw):
        self.url = url
        return FakeResponse()

    async def wait_for_load_state(self, *a, **kw):
        return None

    async def content(self) -> str:
        return self.rendered[self.url]


class FakePool:
    def __init__(self, rendered: dict[str, str]):
        self.rendered = rendered
        self.visits: list[str] = []

    @contextlib.asynccontextmanager
    async def tab(self, ctx):
        tab = FakeTab(self.rendered)
        yield tab
        self.visits.append(tab.url)
