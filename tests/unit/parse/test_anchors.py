"""Links opened by script (window.open, location.href, javascript: helpers) are read as the links they are."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.crawl import markup
from govweb.parse.anchors import target
from govweb.parse.lists import list_items, main_list
from govweb.parse.navigation import nav_links

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
AS_OF = date(2018, 10, 15)
PAGE = "http://www.xx.gov.cn/zwdt/index.html"


def anchor(markup_: str):
    return LexborHTMLParser(f"<body>{markup_}</body>").css_first("a")


@pytest.mark.parametrize(("html", "expected"), [
    ('<a href="/art/1.html">x</a>', "/art/1.html"),
    ('<a href="javascript:void(0)" onclick="window.open(\'/art/1.html\')">x</a>', "/art/1.html"),
    ('<a href="javascript:void(0)" onclick="window.open(&quot;/art/2.html&quot;, \'_blank\')">x</a>', "/art/2.html"),
    ('<a href="javascript:openWin(\'/art/3.html\')">x</a>', "/art/3.html"),
    ('<a href="#" onclick="location.href=\'content.jsp?id=9\';return false;">x</a>', "content.jsp?id=9"),
    ('<a onclick="window.location = \'/col/col12/\'">x</a>', "/col/col12/"),
    ('<a href="javascript:void(0)" onclick="top.location.replace(\'http://a.gov.cn/\')">x</a>', "http://a.gov.cn/"),
    ('<a href="javascript:;" onclick="setTab(2)">x</a>', ""),  # a tab switch leads nowhere
    ('<a href="javascript:downFile(\'a.doc\')">x</a>', ""),  # a file name for a download script: no address
    ('<a href="javascript:void(0)" onclick="SetHome(this,\'http://www.xx.gov.cn\')">x</a>', ""),
    ('<a href="mailto:a@b.cn">x</a>', ""),
    ('<a href="#top">x</a>', ""),
])
def test_target_reads_href_or_the_page_a_script_opens(html, expected):
    assert target(anchor(html)) == expected


def test_a_list_of_script_opened_items_is_read_with_its_addresses():
    tree = LexborHTMLParser((FIXTURES / "script_opened_items.html").read_text(encoding="utf-8"))
    items = main_list(tree, PAGE, AS_OF)
    assert [(i.url, i.date) for i in items] == [
        ("http://www.xx.gov.cn/zwdt/201810/t20181012_1001.html", "2018-10-12"),
        ("http://www.xx.gov.cn/zwdt/201810/t20181010_1000.html", "2018-10-10"),
        ("http://www.xx.gov.cn/zwdt/201809/t20180928_0999.html", "2018-09-28"),
        ("http://www.xx.gov.cn/zwdt/201809/t20180925_0998.html", "2018-09-25"),
        ("http://www.xx.gov.cn/zwdt/201809/t20180920_0997.html", "2018-09-20"),
        ("http://www.city.gov.cn/art/2018/9/18/art_12_3456.html", "2018-09-18"),
    ]
    assert items[0].title == "县政府召开2018年第十次常务会议"
    assert [i.url for i in list_items(tree, PAGE, AS_OF)] == [i.url for i in items]


def test_script_opened_links_are_page_links_and_menu_entries():
    tree = LexborHTMLParser((FIXTURES / "script_opened_items.html").read_text(encoding="utf-8"))
    links = {lk.href: lk for lk in markup.links(tree, PAGE, "www.xx.gov.cn")}
    assert links["http://www.xx.gov.cn/zwdt/201809/t20180928_0999.html"].internal
    assert not links["http://www.city.gov.cn/art/2018/9/18/art_12_3456.html"].internal
    assert "http://www.xx.gov.cn/zwgk/" in links  # a menu entry opened by location.href
    assert not any(h.startswith(("javascript:", "mailto:")) or h == "http://www.xx.gov.cn" for h in links)
    menu = {c.name: c.url for c in nav_links(tree, PAGE)}
    assert menu["政务公开"] == "http://www.xx.gov.cn/zwgk/" and "本站导航" not in menu


def clickable() -> LexborHTMLParser:
    from govweb import extract

    return extract.parse((FIXTURES / "clickable_rows.html").read_text(encoding="utf-8"))


def test_rows_that_open_a_page_by_script_are_read_as_linked_rows():
    page = "http://www.qq.gov.cn/tzgg/index.jsp"
    items = main_list(clickable(), page, AS_OF)
    assert [(i.url, i.date) for i in items] == [
        ("http://www.qq.gov.cn/tzgg/2018/1012/1188.jsp", "2018-10-12"),
        ("http://www.qq.gov.cn/tzgg/2018/1009/1187.jsp", "2018-10-09"),
        ("http://www.qq.gov.cn/tzgg/2018/0928/1186.jsp", "2018-09-28"),
        ("http://www.qq.gov.cn/tzgg/2018/0925/1185.jsp", "2018-09-25"),
    ]
    assert items[0].title == "关于2018年区级机关公开遴选公务员的公告"  # the title cell, not the row's date
    # a menu of clickable entries is a menu; tab labels (setTab opens no page) stay unlinked
    menu = {c.name: c.url for c in nav_links(clickable(), page)}
    assert menu["政务公开"] == "http://www.qq.gov.cn/zwgk/" and "通知公告" not in menu
    hrefs = {lk.href for lk in markup.links(clickable(), page, "www.qq.gov.cn")}
    # the second tab's rows call the page's own openDetail(id), which opens detail.jsp?id=…
    assert {"http://www.qq.gov.cn/tzgg/detail.jsp?id=2231", "http://www.qq.gov.cn/tzgg/detail.jsp?id=2230"} <= hrefs
    assert not any("setTab" in h or "openDetail" in h for h in hrefs)


def test_linking_rows_leaves_rows_that_have_a_link_alone():
    from govweb.parse.anchors import link_clickable_rows

    tree = LexborHTMLParser('<ul><li onclick="window.open(\'/b.html\')"><a href="/a.html">关于某某事项的通知</a>'
                            '<span>2018-10-01</span></li><li onclick="setTab(2)">政策文件</li></ul>')
    assert link_clickable_rows(tree) == 0
    assert [target(a) for a in tree.css("a")] == ["/a.html"]


def test_a_placeholder_link_in_a_clickable_row_takes_the_rows_page():
    """<tr onclick="window.open(…)"><td><a href="javascript:void(0)">标题</a></td>: the placeholder itself
    becomes the link (not a link wrapped around it)."""
    from govweb.parse.anchors import link_clickable_rows

    tree = LexborHTMLParser('<table><tr onclick="window.open(\'/art/1.html\')"><td><a href="javascript:void(0)">'
                            '关于某某事项的通知</a></td><td>2018-10-01</td></tr></table>')
    assert link_clickable_rows(tree) == 1
    assert [(target(a), a.text()) for a in tree.css("a")] == [("/art/1.html", "关于某某事项的通知")]


def test_a_title_that_names_a_date_is_still_the_rows_title():
    from govweb.parse.anchors import link_clickable_rows

    tree = LexborHTMLParser('<ul><li onclick="window.open(\'/art/9.html\')"><span>2018-09-28</span>'
                            '<span>关于2018年10月1日起调整公交线路的通告</span></li></ul>')
    assert link_clickable_rows(tree) == 1
    a = tree.css_first("a")
    assert target(a) == "/art/9.html" and a.text() == "关于2018年10月1日起调整公交线路的通告"
