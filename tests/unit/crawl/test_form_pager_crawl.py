"""A column paged by a form: its page 2, asked for as a GET of the form's fields, is the column's second list
page when it lists other items; a server that answers the GET with page 1 again gives no second page."""

from __future__ import annotations

import asyncio

import pytest

from govweb.crawl.plan import crawl_column, home_columns
from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import LoopWeb, crawl_env, html

SITE = "http://www.form.test/"
HOME = """<html><head><meta charset="utf-8"><title>某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/tzgg/list.jsp">通知公告</a><a href="/zwgk/">政务公开</a></div>
</body></html>"""
LIST = """<html><head><meta charset="utf-8"><title>通知公告</title>
<script>function goPage(n) {{ document.getElementById("pageNo").value = n; document.pageForm.submit(); }}</script>
</head><body><form name="pageForm" action="list.jsp" method="post"><input type="hidden" name="pageNo" id="pageNo"
value="{n}"><input type="hidden" name="classId" value="3"></form><ul>{rows}</ul>
<div class="page">共2页 第{n}页 <a href="javascript:goPage(2)">下一页</a></div></body></html>"""
ROW = '<li><a href="/art/{k}.html">关于开展第{k}次安全生产大检查的通知</a><span>2018-09-{d:02d}</span></li>'


def web(second_page_works: bool) -> LoopWeb:
    w = LoopWeb()
    w.add("www.form.test", "/", html(HOME))
    first = LIST.format(n=1, rows="".join(ROW.format(k=k, d=20 - k) for k in range(1, 4)))
    second = LIST.format(n=2, rows="".join(ROW.format(k=k, d=20 - k) for k in range(4, 6)))
    w.add("www.form.test", "/tzgg/list.jsp", html(first))
    w.add("www.form.test", "/tzgg/list.jsp?pageNo=2&classId=3", html(second if second_page_works else first))
    return w


async def _crawl(tmp_path, works: bool):
    async with crawl_env(web(works), tmp_path, SITE) as sc:
        home = await http_page(sc, SITE, "home")
        col = next(c for c in home_columns(sc, home) if c.name == "通知公告")
        await crawl_column(sc, col, set())
        return col


@pytest.mark.parametrize("works", [True, False])
def test_a_form_pagers_second_page_counts_when_it_lists_other_items(tmp_path, works):
    col = asyncio.run(_crawl(tmp_path, works))
    assert col.paginates and col.total_pages == 2
    if works:
        assert col.list_pages == [f"{SITE}tzgg/list.jsp", f"{SITE}tzgg/list.jsp?pageNo=2&classId=3"]
        assert [i.url.rsplit("/", 1)[1] for i in col.items] == [f"{k}.html" for k in range(1, 6)]
    else:  # page 1 again: the column has one list page it could read
        assert col.list_pages == [f"{SITE}tzgg/list.jsp"] and len(col.items) == 3
