"""Items opened through a helper of the page's own, given an id (`onclick="showDetail('2231')"`), are read with
the address the helper builds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.crawl import markup
from govweb.parse.lists import main_list
from govweb.parse.script_calls import HelperCalls, evaluate, helpers_in, without_comments

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
AS_OF = date(2018, 10, 15)
PAGE = "http://www.xx.gov.cn/tzgg/index.html"


@pytest.mark.parametrize(("expr", "expected"), [
    ('"/zwgk/detail.jsp?id=" + id', "/zwgk/detail.jsp?id=2231"),
    ("base + 'art/' + (col + '/' + id) + '.html'", "/gov/art/tzgg/2231.html"),
    ("encodeURIComponent(id)", "2231"),
    ("`/xxgk/${col}/${id}.shtml`", "/xxgk/tzgg/2231.shtml"),
    ('"/a?id=" + id + "&t=" + Math.random()', None),  # a value computed at run time: not an address
    ('"/a?id=" + unknown', None),
])
def test_evaluate_joins_literals_and_known_names(expr, expected):
    assert evaluate(expr, {"id": "2231", "col": "tzgg", "base": "/gov/"}) == expected


def test_helpers_of_every_written_form_are_read():
    script = without_comments("""
        function a(id) { window.open('/a/' + id + '.html'); }       // it's the usual form
        var b = function (x, y) { var url = "/b/" + x + "/" + y; location.href = url; };
        const c = (id) => { top.location.replace(`/c/${id}`); };
        obj.d = function (id) { $.post('/list.do', {id: id}); };
    """)
    helpers = helpers_in(script)
    assert set(helpers) == {"a", "b", "c", "d"}
    assert helpers["a"].address(["7"], {}) == "/a/7.html"
    assert helpers["b"].address(["x1", "9"], {}) == "/b/x1/9"
    assert helpers["c"].address(["3"], {}) == "/c/3"
    assert helpers["d"].address(["3"], {}) is None  # an ajax call opens no page


def _calls(script: str) -> HelperCalls:
    return HelperCalls(LexborHTMLParser(f"<html><head><script>{script}</script></head><body></body></html>"))


@pytest.mark.parametrize(("code", "expected"), [
    ("showDetail('2231')", "/gov/zwgk/detail.jsp?infoId=2231"),
    ("showDetail(2230); return false;", "/gov/zwgk/detail.jsp?infoId=2230"),
    ("void(0); showDetail(\"2229\")", "/gov/zwgk/detail.jsp?infoId=2229"),
    ("showDetail(this)", ""),  # the element itself: its address is not in the call
    ("showDetail(id)", ""),
    ("setTab(2)", ""),  # defined, but opens no page
    ("undefinedHelper(5)", ""),  # defined in a script file the page loads: not read
])
def test_a_call_with_literal_arguments_gives_the_address(code, expected):
    calls = _calls("""var basePath = "/gov/";
        function showDetail(infoId) { window.open(basePath + "zwgk/detail.jsp?infoId=" + infoId, "_blank"); }
        function setTab(n) { document.getElementById('t' + n).style.display = ''; }""")
    assert calls.address(code) == expected


def test_the_last_definition_of_a_helper_wins_as_in_the_browser():
    calls = _calls("function go(id) { window.open('/old/' + id); }\nfunction go(id) { window.open('/new/' + id); }")
    assert calls.address("go(1)") == "/new/1"


def test_a_jsp_list_of_id_helpers_is_read_with_the_addresses_the_helpers_build():
    tree = markup.tree_of((FIXTURES / "helper_id_items.html").read_text(encoding="utf-8"))
    items = main_list(tree, PAGE, AS_OF)
    assert [(i.url, i.date) for i in items] == [
        ("http://www.xx.gov.cn/gov/zwgk/detail.jsp?infoId=2231", "2018-10-12"),
        ("http://www.xx.gov.cn/gov/zwgk/detail.jsp?infoId=2230", "2018-10-09"),
        ("http://www.xx.gov.cn/art/tzgg/4521.html", "2018-09-29"),
        ("http://www.xx.gov.cn/art/tzgg/4520.html", "2018-09-21"),  # a clickable row
        ("http://www.xx.gov.cn/xxgk/2018/c_1188.shtml", "2018-09-14"),
    ]
    assert items[3].title == "市政府办公室关于调整部分议事协调机构的通知"
    # the ajax pager and the helper given `this` lead to no address
    hrefs = {lk.href for lk in markup.links(tree, PAGE, "www.xx.gov.cn")}
    assert not any("list.do" in h or "x.html" in h for h in hrefs)


def test_without_the_page_helpers_the_list_has_no_addresses():
    """The same page parsed without resolving helpers: what the crawler read before (the check can fail)."""
    tree = LexborHTMLParser((FIXTURES / "helper_id_items.html").read_text(encoding="utf-8"))
    assert main_list(tree, PAGE, AS_OF) == []
