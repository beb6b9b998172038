"""Lists whose pager is a script (layui's laypage, an Element UI table, bare page numbers, a 下一页 span over an
API, a pager form posted to a server that reads POST bodies only): the crawler clicks the pager in the browser
(in the tab that rendered a script-built first page, or in a tab it loads the served page into) and records
the second list page with what it clicked. A list of one page has a disabled 下一页: nothing is clicked."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.unit.crawl.loopweb import LoopWeb, Route, browser_env, crawl_menu_columns, fixture, html
from tests.unit.crawl.test_form_pager_crawl import LIST, ROW

pytestmark = pytest.mark.browser

SITE = "http://www.ajax.test/"
HOME = """<html><head><meta charset="utf-8"><title>某某市人民政府</title></head><body><div class="nav">
<a href="/">首页</a><a href="/col/tzgg/">通知公告</a><a href="/col/zcwj/">政策文件</a><a href="/col/gzdt/">工作动态</a>
<a href="/col/gsgg/">公示公告</a><a href="/col/bmdt/">部门动态</a><a href="/col/zwdt/list.jsp">政务动态</a></div>
</body></html>"""
# column page, its fixture, its channel, how many items its API lists
COLUMNS = {"tzgg": ("ajax_list_laypage.html", "tzgg", 12), "zcwj": ("ajax_list_element.html", "zcwj", 12),
           "gzdt": ("ajax_list_numbers.html", "gzdt", 12), "gsgg": ("ajax_list_laypage.html", "tzgg1", 4),
           "bmdt": ("ajax_pager_served_list.html", "bmdt", 12)}


def _rows(channel: str, total: int, page: int) -> list[dict]:
    first = (page - 1) * 5
    return [{"title": f"关于{channel}第{k}号事项的通知", "url": f"/art/{channel}/{k}.html",
             "pubDate": f"2018-09-{28 - k:02d}"} for k in range(first + 1, min(total, first + 5) + 1)]


def web() -> LoopWeb:
    w = LoopWeb()
    w.add("www.ajax.test", "/", html(HOME))
    for slug, (name, channel, total) in COLUMNS.items():
        gbk = name == "ajax_list_numbers.html"
        page = fixture(name, charset=None, encoding="gbk") if gbk else fixture(name)
        if slug == "gsgg":  # the same laypage page over a channel of one page
            page = Route(page.body.replace(b'channelId = "tzgg"', b'channelId = "tzgg1"'), charset="utf-8")
        w.add("www.ajax.test", f"/col/{slug}/", page)
        for n in range(1, 4):
            body = json.dumps({"total": total, "list": _rows(channel, total, n)}, ensure_ascii=False)
            w.add("www.ajax.test", f"/api/info/list?channelId={channel}&pageNo={n}&pageSize=5",
                  Route(body.encode(), content_type="application/json"))
    # test_form_pager_crawl's pager form, whose GET gives page 1 again: the server reads the POST body only
    first = LIST.format(n=1, rows="".join(ROW.format(k=k, d=20 - k) for k in range(1, 4)))
    second = LIST.format(n=2, rows="".join(ROW.format(k=k, d=20 - k) for k in range(4, 6)))
    w.add("www.ajax.test", "/col/zwdt/list.jsp", Route(first.encode(), post=html(second)))
    return w


async def _crawl(tmp_path):
    async with browser_env(web(), tmp_path, SITE) as sc:
        return await crawl_menu_columns(sc, SITE), sc.capture


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return asyncio.run(_crawl(tmp_path_factory.mktemp("ajax")))


@pytest.mark.parametrize(("name", "channel", "clicked"),
                         [("通知公告", "tzgg", "下一页"), ("政策文件", "zcwj", "btn-next"), ("工作动态", "gzdt", "2"),
                          ("部门动态", "bmdt", "下一页")])
def test_the_script_pagers_second_page_is_clicked_and_read(crawled, name, channel, clicked):
    cols, cap = crawled
    col = cols[name]
    assert col.paginates and len(col.list_pages) == 2
    assert [i.url.rsplit("/", 1)[1] for i in col.items] == [f"{k}.html" for k in range(1, 11)]
    assert all(f"/art/{channel}/" in i.url for i in col.items)
    second = next(p for p in cap.pages if p.url == col.list_pages[1])
    assert second.via == "browser" and second.reached_by == clicked and second.html_key and second.text_key
    first = next(p for p in cap.pages if p.url == col.list_pages[0])
    assert first.via == ("http" if channel == "bmdt" else "browser") and first.reached_by == ""  # served, or built
    if channel == "gzdt":  # the click moved the address (its hash): that address is the page's
        assert second.url == f"{SITE}col/gzdt/#p2"
    else:  # the address stayed: the first page's, marked as its second page
        assert second.url == f"{SITE}col/{channel}/#page=2"


def test_a_pager_form_posted_in_the_browser_when_its_get_gives_page_one_again(crawled):
    cols, cap = crawled
    col = cols["政务动态"]
    assert col.list_pages == [f"{SITE}col/zwdt/list.jsp", f"{SITE}col/zwdt/list.jsp#page=2"]
    assert [i.url.rsplit("/", 1)[1] for i in col.items] == [f"{k}.html" for k in range(1, 6)]
    second = next(p for p in cap.pages if p.url == col.list_pages[1])
    assert second.via == "browser" and second.reached_by == "下一页"


def test_a_list_of_one_page_has_nothing_clicked(crawled):
    cols, cap = crawled
    col = cols["公示公告"]
    assert len(col.items) == 4 and col.list_pages == [f"{SITE}col/gsgg/"] and not col.paginates
    assert sorted(p.url for p in cap.pages if p.reached_by) == [
        f"{SITE}col/bmdt/#page=2", f"{SITE}col/gzdt/#p2", f"{SITE}col/tzgg/#page=2", f"{SITE}col/zcwj/#page=2",
        f"{SITE}col/zwdt/list.jsp#page=2"]
