"""A column whose menu entry is a page that moves the browser on (a meta refresh, or a bare page whose script
sets the address), as TRS and older ASP portals point a section at its first sub-column: read over HTTP, the
crawler follows the move and reads the list; the addresses before it are the page's redirects."""

from __future__ import annotations

import asyncio

from tests.unit.crawl.loopweb import LoopWeb, crawl_env, crawl_menu_columns, html

SITE = "http://www.moves.test/"
HOST = "www.moves.test"
HOME = """<html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body><div class="nav">
<a href="/">首页</a><a href="/tzgg/">通知公告</a><a href="/zcwj/">政策文件</a></div></body></html>"""
LIST = """<html><head><meta charset="utf-8"><title>{name}</title></head><body><ul class="list">{rows}</ul>
</body></html>"""
ROW = '<li><a href="/art/{slug}/{k}.html">关于{slug}第{k}号事项的通知，请认真执行</a><span>2018-09-{d:02d}</span></li>'


def web() -> LoopWeb:
    w = LoopWeb()
    w.add(HOST, "/", html(HOME))
    w.add(HOST, "/tzgg/", html('<html><head><meta http-equiv="refresh" content="0; url=list_1.html"></head>'
                               "<body></body></html>"))
    w.add(HOST, "/zcwj/", html('<html><head><meta charset="gbk"></head><body><script language="javascript">'
                               'window.location.href = "/zcwj/gfxwj/index.html";</script></body></html>'))
    for slug, path, name in (("tzgg", "/tzgg/list_1.html", "通知公告"), ("zcwj", "/zcwj/gfxwj/index.html", "政策文件")):
        rows = "".join(ROW.format(slug=slug, k=k, d=20 - k) for k in range(1, 6))
        w.add(HOST, path, html(LIST.format(name=name, rows=rows)))
    return w


async def _crawl(tmp_path):
    async with crawl_env(web(), tmp_path, SITE) as sc:
        return await crawl_menu_columns(sc, SITE), sc.capture


def test_a_column_page_that_moves_on_is_followed(tmp_path):
    cols, cap = asyncio.run(_crawl(tmp_path))
    for name, url, final in (("通知公告", f"{SITE}tzgg/", f"{SITE}tzgg/list_1.html"),
                             ("政策文件", f"{SITE}zcwj/", f"{SITE}zcwj/gfxwj/index.html")):
        col = cols[name]
        assert len(col.items) == 5 and col.list_pages == [final], name
        page = next(p for p in cap.pages if p.url == url)
        assert page.final_url == final and page.redirects == [url] and page.status == 200
