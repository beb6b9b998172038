"""A home page written in one charset and declaring another is stored as the text it is, as its HTTP pages
are: the browser is given the page again with the charset its bytes decode in."""

from __future__ import annotations

import pytest

from govweb.crawl.doc_charset import browser_label
from tests.unit.crawl.loopweb import LoopWeb, Route, render_home_in_chromium

pytestmark = pytest.mark.browser

HOME = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}">
<title>某某县人民政府门户网站</title></head><body>
<div id="menu"><a href="/">首页</a><a href="/zwdt/">政务动态</a><a href="/tzgg/">通知公告</a></div>
<ul class="news"><li><a href="/art/1.html">县政府召开第十次常务会议</a><span>2018-10-12</span></li>
<li><a href="/art/2.html">县长带队督查大气污染防治工作</a><span>2018-10-10</span></li></ul>
<script>document.getElementById("menu").setAttribute("data-title", document.title);</script>
<p>主办：某某县人民政府办公室</p></body></html>"""


SHELL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>某某县人民政府</title>
</head><frameset rows="0,*"><frame src="/top.html"><frame src="/main.html"></frameset></html>"""


def render(tmp_path, body: bytes, frames: dict[str, bytes] | None = None):
    w = LoopWeb()
    w.add("www.site.test", "/", Route(body, charset=None))  # no charset in the header: the meta decides
    for path, framed in (frames or {}).items():
        w.add("www.site.test", path, Route(framed, charset=None))
    return render_home_in_chromium(w, tmp_path)


@pytest.mark.parametrize(("written", "declared"), [("utf-8", "gb2312"), ("gbk", "utf-8")])
def test_a_home_page_declaring_the_wrong_charset_is_read_in_the_one_it_is_written_in(tmp_path, written, declared):
    page, stored = render(tmp_path, HOME.format(declared=declared).encode(written))
    assert page.title == "某某县人民政府门户网站"
    assert [i.title for i in page.items] == ["县政府召开第十次常务会议", "县长带队督查大气污染防治工作"]
    assert 'data-title="某某县人民政府门户网站"' in stored  # the page's scripts ran on the right text
    assert page.status == 200 and page.final_url == "http://www.site.test/"


def test_a_frame_shell_and_its_main_frame_declaring_the_wrong_charset_are_both_read_right(tmp_path):
    main = HOME.format(declared="gb2312").encode("utf-8")
    page, stored = render(tmp_path, SHELL.encode("utf-8"), {"/main.html": main, "/top.html": b"<html></html>"})
    assert [i.title for i in page.items] == ["县政府召开第十次常务会议", "县长带队督查大气污染防治工作"]
    assert "is a frame shell" in stored and "主办：某某县人民政府办公室" in stored


def test_a_home_page_declaring_its_own_charset_is_loaded_once(tmp_path):
    page, _ = render(tmp_path, HOME.format(declared="gbk").encode("gbk"))
    assert page.title == "某某县人民政府门户网站"


@pytest.mark.parametrize(("codec", "label"), [("gb18030", "gb18030"), ("cp1252", "windows-1252"),
                                              ("iso8859-2", "iso-8859-2"), ("euc_kr", "euc-kr")])
def test_browser_labels(codec, label):
    assert browser_label(codec) == label
