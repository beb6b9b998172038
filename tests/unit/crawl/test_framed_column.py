"""A column page that shows its list in an iframe (old ASP/JSP portals): the framed page is the column's list,
with its own pager; frames of other hosts are not followed, and a page with a list of its own reads no frame."""

from __future__ import annotations

import asyncio

from govweb.crawl.plan import crawl_column, home_columns
from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import LoopWeb, crawl_env, html

SITE = "http://www.frame.test/"
HOME = """<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/tzgg/">通知公告</a><a href="/zwdt/">政务动态</a>
<a href="/ldjh/">领导讲话</a></div>
</body></html>"""
FRAMED_COLUMN = """<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="position">当前位置：<a href="/">首页</a> &gt; 通知公告</div>
<iframe src="https://map.example.test/embed?x=1" width="300" height="200"></iframe>
<iframe src="list.asp?classid=3" width="100%" height="600" frameborder="0" scrolling="no"></iframe></body></html>"""
ROWS = """<table>{rows}</table><div class="page">共2页 第{n}页 {next}</div>"""
ROW = ('<tr><td><a href="/art/{k}.html" target="_blank">关于开展第{k}次安全生产大检查的通知</a></td>'
       '<td>2018-09-{d:02d}</td></tr>')
OWN_LIST = """<html><head><meta charset="utf-8"><title>政务动态</title></head><body><ul>
<li><a href="/art/31.html">县政府召开常务会议研究部署秋冬季工作</a><span>2018-10-12</span></li>
<li><a href="/art/32.html">县长调研乡村振兴重点项目建设情况</a><span>2018-10-10</span></li>
<li><a href="/art/33.html">全县安全生产工作会议召开</a><span>2018-10-08</span></li></ul>
<iframe src="/video/player.html" width="400" height="300"></iframe></body></html>"""


def framed_web() -> LoopWeb:
    web = LoopWeb()
    add = lambda path, text: web.add("www.frame.test", path, html(text))  # noqa: E731
    add("/", HOME)
    add("/tzgg/", FRAMED_COLUMN)
    first = "".join(ROW.format(k=k, d=28 - k) for k in range(1, 4))
    add("/tzgg/list.asp?classid=3", ROWS.format(rows=first, n=1, next='<a href="list.asp?classid=3&page=2">下一页</a>'))
    second = "".join(ROW.format(k=k, d=28 - k) for k in range(4, 6))
    add("/tzgg/list.asp?classid=3&page=2", ROWS.format(rows=second, n=2, next=""))
    add("/zwdt/", OWN_LIST)
    add("/video/player.html", "<html><body><video></video></body></html>")
    add("/ldjh/", "<html><head><meta charset='utf-8'></head><body><p>暂无信息</p>"
                  "<iframe src='/ldjh/empty.html'></iframe></body></html>")
    add("/ldjh/empty.html", "<html><body><p>暂无信息</p></body></html>")
    web.add("map.example.test", "/embed", html("<html><body>地图</body></html>"))
    return web


async def _crawl(tmp_path):
    web = framed_web()
    async with crawl_env(web, tmp_path, SITE) as sc:
        home = await http_page(sc, SITE, "home")
        cols = {c.name: c for c in home_columns(sc, home)}
        for name in ("通知公告", "政务动态", "领导讲话"):
            await crawl_column(sc, cols[name], set())
        return cols, web


def test_a_list_in_an_iframe_is_the_columns_list_with_its_own_pager(tmp_path):
    cols, web = asyncio.run(_crawl(tmp_path))
    notices = cols["通知公告"]
    assert [i.url.rsplit("/", 1)[1] for i in notices.items] == [f"{k}.html" for k in range(1, 6)]
    assert notices.list_pages == [f"{SITE}tzgg/", f"{SITE}tzgg/list.asp?classid=3",
                                  f"{SITE}tzgg/list.asp?classid=3&page=2"]
    assert notices.paginates and notices.total_pages == 2
    assert web.hits[("map.example.test", "/embed?x=1")] == 0  # another host's frame is no list of the site
    # a page with a list of its own reads no frame; an empty frame leaves the column empty
    assert len(cols["政务动态"].items) == 3 and web.hits[("www.frame.test", "/video/player.html")] == 0
    assert cols["领导讲话"].items == [] and cols["领导讲话"].list_pages == [f"{SITE}ldjh/"]
