"""Pure HTML extraction: dates, dated list items, links, encodings, search forms, visible text."""

from __future__ import annotations

from datetime import date

import pytest

from govweb import extract
from govweb.extract import DatedItem, Link

BASE = "http://www.beijing.gov.test/col/ywdt/index.html"


# --- find_dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("发布时间：2018-09-04", date(2018, 9, 4)),
    ("[2018-10-29]", date(2018, 10, 29)),
    ("2018/3/26 来源：本网", date(2018, 3, 26)),
    ("2018年9月4日 星期二", date(2018, 9, 4)),
    ("2018 年 12 月 31 日", date(2018, 12, 31)),
    ("2018.7.1", date(2018, 7, 1)),
])
def test_find_dates_reads_each_format(text, expected):
    assert extract.find_dates(text) == [expected]


def test_find_dates_finds_several_dates_in_one_text():
    found = extract.find_dates("2018-09-04 至 2018年10月1日，另见 [2017-01-02]")
    assert sorted(found) == [date(2017, 1, 2), date(2018, 9, 4), date(2018, 10, 1)]


@pytest.mark.parametrize("text", [
    "2018-13-45",        # month 13, day 45
    "2018-02-30",        # no 30 February
    "2018年13月1日",
    "2018/0/10",
    "12018-09-04",       # a digit glued before the year
    "2018-09-045",       # a digit glued after the day
    "文号 920180904 号",  # a long number that happens to contain a date's digits
    "2018-09",           # no day
    "",
])
def test_find_dates_rejects_invalid_dates_and_glued_digits(text):
    assert extract.find_dates(text) == []


# --- dated_items --------------------------------------------------------------------------------

UL_LIST = """<html><body><ul class="news-list">
<li><a href="/art/ywdt/0.html" title="t">市政府召开常务会议</a><span>2018-09-04</span></li>
<li><a href="../tzgg/1.html">关于 开展 安全生产检查的通知</a><span>[2018-10-29]</span></li>
<li><a href="/about/">联系我们</a></li>
</ul></body></html>"""

TABLE_LIST = """<html><body><table class="list">
<tr><td><a href="/art/zcwj/3.html">印发实施方案</a></td><td class="date">2018/3/26</td></tr>
<tr><td><a href="http://other.gov.test/x.html">外部链接</a></td><td class="date">2018-01-05</td></tr>
<tr><td><a href="/nodate.html">无日期</a></td><td>--</td></tr>
</table></body></html>"""

DL_LIST = """<html><body><div class="box"><dl>
<dd><a href="/art/ywdt/7.html" target="_blank">乡村振兴工作</a><em>2018年9月4日</em></dd>
<dd><a href="/art/ywdt/7.html#top">重复链接</a><em>2018年9月3日</em></dd>
</dl></div></body></html>"""


def test_dated_items_from_ul_li_with_span_date():
    items = extract.dated_items(extract.parse(UL_LIST), BASE)
    assert items == [
        DatedItem("市政府召开常务会议", "http://www.beijing.gov.test/art/ywdt/0.html", "2018-09-04"),
        DatedItem("关于 开展 安全生产检查的通知", "http://www.beijing.gov.test/col/tzgg/1.html", "2018-10-29"),
    ]


def test_dated_items_from_table_rows_with_td_date():
    items = extract.dated_items(extract.parse(TABLE_LIST), BASE)
    assert items == [
        DatedItem("印发实施方案", "http://www.beijing.gov.test/art/zcwj/3.html", "2018-03-26"),
        DatedItem("外部链接", "http://other.gov.test/x.html", "2018-01-05"),
    ]


def test_dated_items_from_dl_dd_with_em_date_dedups_by_url_without_fragment():
    items = extract.dated_items(extract.parse(DL_LIST), BASE)
    assert items == [DatedItem("乡村振兴工作", "http://www.beijing.gov.test/art/ywdt/7.html", "2018-09-04")]


def test_dated_items_takes_the_newest_date_in_the_item():
    html = '<ul><li><a href="/a.html">更新</a> 发布 2018-01-02 更新 2018-06-07</li></ul>'
    assert extract.dated_items(extract.parse(html), BASE)[0].date == "2018-06-07"


def test_dated_items_ignores_anchors_outside_list_containers():
    html = '<div><a href="/a.html">标题</a> 2018-09-04</div>'
    assert extract.dated_items(extract.parse(html), BASE) == []


# --- links --------------------------------------------------------------------------------------

LINKS_HTML = """<html><body>
<a href="/col/ywdt/">要闻  动态</a>
<a href="/col/ywdt/#more">要闻（重复）</a>
<a href="art/1.html">相对链接</a>
<a href="http://zwfw.gov.test/">政务服务</a>
<a href="https://WWW.BEIJING.gov.test/x">大写主机</a>
<a href="javascript:void(0)">脚本</a>
<a href="mailto:a@b.gov.test">邮件</a>
<a href="tel:12345">电话</a>
<a href="#top">顶部</a>
<a href="ftp://files.gov.test/a.zip">FTP</a>
<a href="">空</a>
<a>无href</a>
</body></html>"""


def test_links_are_absolute_deduplicated_and_flag_internal():
    got = extract.links(extract.parse(LINKS_HTML), BASE)
    assert got == [
        Link("http://www.beijing.gov.test/col/ywdt/", "要闻 动态", True),
        Link("http://www.beijing.gov.test/col/ywdt/art/1.html", "相对链接", True),
        Link("http://zwfw.gov.test/", "政务服务", False),
        Link("https://WWW.BEIJING.gov.test/x", "大写主机", True),
    ]


def test_links_skip_non_http_targets():
    hrefs = [link.href for link in extract.links(extract.parse(LINKS_HTML), BASE)]
    assert not any(h.startswith(("javascript:", "mailto:", "tel:", "ftp:")) or "#" in h for h in hrefs)


# --- search forms, visible text, meta, title ----------------------------------------------------

def test_search_forms_needs_a_text_or_search_input():
    html = """<body>
    <form action="/search" method="get"><input type="text" name="q"></form>
    <form action="/login"><input type="password" name="p"><input type="submit"></form>
    <form action="/s2" role="search"><input type="SEARCH" name="q"></form>
    <form action="/s3"><input name="q"></form>
    <form><input type="hidden" name="x"></form>
    </body>"""
    assert extract.search_forms(extract.parse(html)) == ["/search", "/s2", "/s3"]


def test_search_forms_none_without_form():
    assert extract.search_forms(extract.parse("<body><input type='text'></body>")) == []


def test_visible_text_excludes_script_and_style():
    html = """<html><head><style>.x{color:red}</style><title>标题</title></head><body>
    <p>政府  信息公开</p><script>var secret = "脚本内容";</script>
    <style>p{margin:0}</style><noscript>请启用脚本</noscript><div>办事服务</div></body></html>"""
    text = extract.visible_text(extract.parse(html))
    assert "政府 信息公开" in text and "办事服务" in text
    assert "脚本内容" not in text and "margin" not in text and "color" not in text and "请启用脚本" not in text


def test_meta_and_title():
    tree = extract.parse('<head><meta name="SiteIDCode" content=" 1100000088 "><meta name="">'
                         "<title> 北京市 人民政府 </title></head>")
    assert extract.meta(tree) == {"SiteIDCode": "1100000088"}
    assert extract.title(tree) == "北京市 人民政府"


def test_visible_text_leaves_the_tree_as_it_was():
    """The crawler reads a page's scripts (Hanweb datastore records, script pagination) after its text."""
    html = ("<html><body><p>正文</p><script type='text/xml'><datastore><record><![CDATA[<li>x</li>]]></record>"
            "</datastore></script><noscript>请开启脚本</noscript></body></html>")
    tree = extract.parse(html)
    before = tree.html
    assert extract.visible_text(tree) == "正文"
    assert tree.html == before
    assert len(tree.css("script")) == 1
