"""Pagination on portal list pages: TRS createPageHTML, Hanweb pageNum, pager links, text counts, goPage()."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.pagination import Pagination, pagination, scripted_next

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
COL = "http://www.example.gov.cn/zwgk/tzgg/"


def run(body: str, url: str = f"{COL}index.html") -> Pagination:
    html = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    return pagination(LexborHTMLParser(html), html, url)


def fixture(name: str, url: str) -> Pagination:
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return pagination(LexborHTMLParser(html), html, url)


def test_trs_fixture_first_page():
    assert fixture("trs_column.html", f"{COL}index.html") == Pagination(
        f"{COL}index_1.html", f"{COL}index_4.html", 5, 1)


@pytest.mark.parametrize(
    ("script", "url", "expected"),
    [
        ('createPageHTML(5, 2, "index", "html");', f"{COL}index_2.html",
         Pagination(f"{COL}index_3.html", f"{COL}index_4.html", 5, 3)),
        ('createPageHTML(5, 4, "index", "html");', f"{COL}index_4.html",
         Pagination(None, f"{COL}index_4.html", 5, 5)),
        ('createPageHTML(1, 0, "index", "html");', f"{COL}index.html",
         Pagination(None, f"{COL}index.html", 1, 1)),
        ('createPageHTML2(3, 0, "list", "htm");', f"{COL}list.htm",
         Pagination(f"{COL}list_1.htm", f"{COL}list_2.htm", 3, 1)),
        ("createPageHTML('page_div', 7, 1, 'index', 'shtml', 100);", f"{COL}index_1.shtml",
         Pagination(f"{COL}index_2.shtml", f"{COL}index_6.shtml", 7, 2)),
        ('createPageHTML("4","0","index","html");', f"{COL}",
         Pagination(f"{COL}index_1.html", f"{COL}index_3.html", 4, 1)),
        ('var countPage = 12; var currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "html", "page");',
         f"{COL}", Pagination(f"{COL}index_1.html", f"{COL}index_11.html", 12, 1)),
    ],
)
def test_trs_script_variants(script, url, expected):
    assert run(f"<div class='page'><script>{script}</script></div>", url) == expected


def test_trs_inline_pager_first_and_last_page():
    """The older TRS pager written inline: var currentPage / countPage, and document.write pieces
    "index"+"_" + nextPage + "."+"html" with escaped quotes (no createPageHTML call to read)."""
    assert fixture("trs_inline_pager.html", f"{COL}index.html") == Pagination(
        f"{COL}index_1.html", f"{COL}index_4.html", 5, 1)
    html = (FIXTURES / "trs_inline_pager.html").read_text(encoding="utf-8").replace(
        "var currentPage = 0;", "var currentPage = 4;")
    assert pagination(LexborHTMLParser(html), html, f"{COL}index_4.html") == Pagination(
        None, f"{COL}index_4.html", 5, 5)


@pytest.mark.parametrize(("script", "expected"), [
    ('var currentPage = 1; var countPage = 3;\n'
     'document.write("<a href=\'list_" + (currentPage+1) + ".shtml\'>下页</a>");',
     Pagination(f"{COL}list_2.shtml", f"{COL}list_2.shtml", 3, 2)),
    ('var currentPage = 0; var countPage = 3;', None),  # the counts alone name no page: not a TRS pager
])
def test_trs_inline_pager_variants(script, expected):
    got = run(f"<div class='fy'><script>{script}</script></div>", f"{COL}list_1.shtml")
    if expected is None:
        assert got.next_url is None and got.last_url is None
    else:
        assert got == expected


def test_trs_call_in_html_outside_script_tag_is_still_read():
    html = '<html><body><div>createPageHTML(2, 0, "index", "html")</div></body></html>'
    assert pagination(LexborHTMLParser(html), html, f"{COL}index.html").next_url == f"{COL}index_1.html"


def test_hanweb_pagenum_links_and_counts():
    base = "http://www.example.gov.cn/col/col1301/index.html"
    assert fixture("hanweb_table.html", base) == Pagination(
        f"{base}?uid=3456&pageNum=2", f"{base}?uid=3456&pageNum=2", 2, 1)


def test_number_links_and_current_marker():
    got = fixture("div_rows_base.html", "http://www.example.gov.cn/zwgk/zwdt/index.html")
    assert got == Pagination("http://www.example.gov.cn/zwgk/zwdt/index_1.html",
                             "http://www.example.gov.cn/zwgk/zwdt/index_2.html", 3, 1)


def test_page_numbers_only_give_next_from_current_plus_one():
    body = """<div class="pages">第 2 页 / 共 5 页 <a href="list_1.html">1</a> <b>2</b> <a href="list_3.html">3</a>
      <a href="list_4.html">4</a> <a href="list_5.html">5</a></div>"""
    assert run(body, f"{COL}list_2.html") == Pagination(f"{COL}list_3.html", None, 5, 2)


@pytest.mark.parametrize("label", ["下一页", "下页", "后页", ">", "»", "&gt;", "＞", "下一页 &gt;", "下一页»", ">>"])
def test_next_labels(label):
    got = run(f'<div><a href="?page=1">上一页</a><a href="?page=3">{label}</a></div>', f"{COL}list.jsp?page=2")
    assert got.next_url == f"{COL}list.jsp?page=3"
    assert got.current == 2


@pytest.mark.parametrize("label", ["尾页", "末页", "最后一页", "尾页&gt;&gt;", "&gt;|"])
def test_last_labels_give_total_from_url(label):
    got = run(f'<a href="index_1.html">下一页</a><a href="index_9.html">{label}</a>')
    assert got == Pagination(f"{COL}index_1.html", f"{COL}index_9.html", 10, 1)


def test_text_counts_then_synthesised_next_for_query_pages():
    got = run('<div class="fy">页次：2/5 <a href="javascript:void(0)">下一页</a></div>', f"{COL}list.jsp?pageNo=2&c=9")
    assert got == Pagination(f"{COL}list.jsp?pageNo=3&c=9", None, 5, 2)


def test_fraction_with_page_suffix():
    got = run('<div class="fy">3/7页 <a href="?p=4">下一页</a></div>', f"{COL}?p=3")
    assert (got.total_pages, got.current, got.next_url) == (7, 3, f"{COL}?p=4")


def test_last_page_has_no_next_even_with_a_next_link():
    got = run('<div>共3页 第3页 <a href="index_2.html">下一页</a><a href="index_2.html">尾页</a></div>',
              f"{COL}index_2.html")
    assert got.next_url is None and got.total_pages == 3 and got.current == 3


def test_next_link_to_itself_or_disabled_is_not_a_next_page():
    assert run(f'<a href="{COL}index.html">下一页</a>').next_url is None
    assert run('<a class="next disabled" href="index_1.html">下一页</a>').next_url is None


def test_gopage_with_visible_template():
    script = "<script>function goPage(n){ window.location.href = 'list_' + n + '.html'; }</script>"
    got = run(f'共4页 第1页 <a href="javascript:goPage(2)">下一页</a><a href="javascript:goPage(4)">尾页</a>{script}',
              f"{COL}list_1.html")
    assert got == Pagination(f"{COL}list_2.html", f"{COL}list_4.html", 4, 1)


def test_gopage_onclick_with_template():
    script = "<script>function turn(p){location='?page='+p}</script>"
    got = run(f'<a href="#" onclick="turn(2)">下一页</a> 共2页{script}', f"{COL}list.jsp")
    assert got.next_url == f"{COL}list.jsp?page=2"


def test_gopage_without_template_keeps_counts_only():
    got = run('共 6 页 当前第 1 页 <a href="javascript:goPage(2)">下一页</a>', f"{COL}list.jsp")
    assert got == Pagination(None, None, 6, 1)


def test_no_pagination():
    assert run("<ul><li><a href='/a.html'>条目</a></li></ul>") == Pagination(None, None, None, None)


def test_more_link_and_previous_link_are_not_next():
    got = run("<div class='title'>通知公告<a href='/tzgg/'>更多»</a><a href='/tzgg/x.html'>« 上一页</a></div>")
    assert got.next_url is None


def test_dates_in_body_are_not_page_fractions():
    got = run('<ul><li><a href="/a.html">通知</a> 2018/3/26</li></ul><p>更新于 10/12</p>')
    assert got == Pagination(None, None, None, None)


def test_counts_outside_the_link_list():
    body = ('<div class="pagebox"><span>共 8 页</span><ul><li><a href="index_1.html">下一页</a></li>'
            '<li><a href="index_7.html">尾页</a></li></ul></div>')
    assert run(body) == Pagination(f"{COL}index_1.html", f"{COL}index_7.html", 8, 1)


def test_bracketed_asp_pager_labels():
    # 动易/ASP pagers: [首页] [上一页] <a>[下一页]</a> <a>[尾页]</a> 页次：1/12页 共236条 and a <select> jump menu
    url = "http://www.example.gov.cn/list.aspx?ClassID=1"
    body = ('[首页] [上一页] <a href="list.aspx?ClassID=1&page=2">[下一页]</a> '
            '<a href="list.aspx?ClassID=1&page=12">[尾页]</a> 页次：<strong><font color="red">1</font>/12</strong>页 '
            '共<b>236</b>条 20条/页 转到：<select name="page"><option value="1" selected>第1页</option></select>')
    assert run(body, url) == Pagination(f"{url}&page=2", f"{url}&page=12", 12, 1)
    assert run(body.replace("[", "【").replace("]", "】"), url).next_url == f"{url}&page=2"


@pytest.mark.parametrize(("body", "scripted"), [
    ('<div class="page">共3页 <span class="next-btn" id="next">下一页</span></div>', True),  # a script listens on it
    ('<div class="page"><a href="javascript:;" class="layui-laypage-next" data-page="2">下一页</a></div>', True),
    ('<div class="page"><button type="button">下一页 &gt;</button></div>', True),
    ('<div class="page"><a href="index_1.html">下一页</a></div>', False),  # an address: fetched, not clicked
    ('<div class="page"><a href="javascript:;" class="layui-laypage-next layui-disabled">下一页</a></div>', False),
    ('<div class="crumb"><a href="/">首页</a><span>&gt;</span><a href="/zwgk/">政务公开</a></div>', False),  # crumbs
    ('<div class="page"><button type="button" disabled>下一页</button></div>', False),
    # an empty pager box a script fills (layui laypage, jQuery pagination plugins), or not
    ('<div id="pageBar"></div><script>laypage.render({elem: "pageBar", count: 45, curr: 1});</script>', True),
    ('<div class="pager" id="pg"></div><script>$("#pg").pagination(45, {callback: load});</script>', True),
    ('<div id="pageBar"></div><script>var x = 1;</script>', False),
    ('<div id="pageBar"><a href="index_1.html">2</a></div><script>laypage.render({elem: "pageBar"});</script>', False),
])
def test_a_next_control_with_no_address_behind_it(body, scripted):
    assert scripted_next(LexborHTMLParser(f"<html><body>{body}</body></html>")) is scripted
