"""A home page that is only a frame shell (<frameset>, or a body holding one window-filling iframe) is read
through its main frame: the site's menu, lists and links are the home page's."""

from __future__ import annotations

import pytest

from govweb.crawl.shell import with_base
from tests.unit.crawl.loopweb import LoopWeb, html, render_home_in_chromium

pytestmark = pytest.mark.browser

MAIN = """<!DOCTYPE html><html><head><meta charset="gbk"><title>某某县人民政府</title></head><body>
<div id="menu"><a href="/">首页</a><a href="zwdt/">政务动态</a><a href="tzgg/">通知公告</a>
<a href="hdjl/">互动交流</a></div>
<ul class="news">
<li><a href="art/1.html">某某县召开县长办公会议研究部署重点工作</a><span>2018-10-12</span></li>
<li><a href="art/2.html">全县秋冬季森林防火工作会议召开</a><span>2018-10-10</span></li></ul>
<div id="foot">主办：某某县人民政府办公室</div></body></html>"""
FRAMESET = """<html><head><meta charset="utf-8"><meta name="SiteIDCode" content="4403030001">
<title>某某县人民政府</title></head>
<frameset rows="0,*" frameborder="0"><frame src="/top.html" name="top"><frame src="/web/main.html" name="main">
</frameset></html>"""
IFRAME_SHELL = """<html><head><meta charset="utf-8"><title>某某县人民政府</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%}</style></head>
<body><iframe src="/web/main.html"></iframe></body></html>"""
ORDINARY = """<html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>
<div id="menu"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a>
<a href="/hdjl/">互动交流</a></div>
<iframe src="/web/main.html" width="300" height="150"></iframe><p>欢迎访问某某县人民政府门户网站</p></body></html>"""


def web(home: str) -> LoopWeb:
    w = LoopWeb()
    w.add("www.site.test", "/", html(home))
    w.add("www.site.test", "/top.html", html("<html><body></body></html>"))
    w.add("www.site.test", "/web/main.html", html(MAIN, charset="gbk"))
    return w


def render(tmp_path, home: str):
    return render_home_in_chromium(web(home), tmp_path)


@pytest.mark.parametrize("shell", [FRAMESET, IFRAME_SHELL])
def test_a_frame_shell_home_is_read_through_its_main_frame(tmp_path, shell):
    page, stored = render(tmp_path, shell)
    hrefs = {lk.href for lk in page.links}
    assert {"http://www.site.test/web/zwdt/", "http://www.site.test/web/tzgg/",
            "http://www.site.test/web/art/1.html"} <= hrefs  # resolved against the frame's address
    assert [i.url for i in page.items] == ["http://www.site.test/web/art/1.html", "http://www.site.test/web/art/2.html"]
    assert page.url == "http://www.site.test/" and page.title == "某某县人民政府"
    assert '<base href="http://www.site.test/web/main.html">' in stored and "主办：某某县人民政府办公室" in stored
    assert "is a frame shell" in stored
    if shell is FRAMESET:  # the shell's own named meta tags are kept beside the frame's
        assert page.meta["SiteIDCode"] == "4403030001"


def test_a_home_page_with_a_small_iframe_is_its_own_page(tmp_path):
    page, stored = render(tmp_path, ORDINARY)
    assert "http://www.site.test/zwgk/" in {lk.href for lk in page.links}
    assert "frame shell" not in stored and "<base" not in stored


def test_with_base_keeps_a_frames_own_base_and_the_doctype_first():
    out = with_base('<!DOCTYPE html><html><head><base href="/x/"></head></html>', "http://a/m.html", "http://a/")
    assert out.startswith("<!DOCTYPE html><html><head><!-- govweb: http://a/ is a frame shell")
    assert out.count("<base") == 1


def test_with_base_adds_the_shells_named_meta_tags_the_frame_lacks():
    out = with_base('<html><head><meta name="keywords" content="frame"></head></html>', "http://a/m.html",
                    "http://a/", '<head><meta charset="utf-8"><meta name="SiteIDCode" content="123">'
                                 '<meta name="Keywords" content="shell"></head>')
    assert '<meta name="SiteIDCode" content="123">' in out and 'content="shell"' not in out and "charset" not in out
