"""Site-search boxes told apart from login, letter, subscription and lookup forms."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from govweb.parse.forms import SearchForm, search_forms

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "site"
BASE = "http://www.mm.gov.cn/index.html"


def forms(name: str) -> list[SearchForm]:
    return search_forms(LexborHTMLParser((SITE / name).read_text(encoding="utf-8")), BASE)


def test_was5_form_keeps_hidden_fields():
    (found,) = forms("trs_home.html")
    assert found.action == "http://search.mm.gov.cn/was5/web/search"
    assert found.method == "get"
    assert found.query_field == "searchword"
    assert dict(found.hidden) == {"channelid": "241806", "perpage": "15"}
    assert found.how == "form"
    assert found.selector == "#searchword"


def test_only_search_boxes_among_login_letter_subscription_lookup():
    found = forms("search_mixed.html")
    assert [f.action for f in found] == ["http://www.mm.gov.cn/jsearch/search.do", "http://www.mm.gov.cn/s.jsp"]
    first, second = found
    assert (first.method, first.query_field, first.how) == ("post", "q", "form")
    assert ("webid", "12") in first.hidden
    # the <form> the parser emptied inside a <table> still owns its row's inputs
    assert (second.query_field, second.how, second.hidden) == ("keyword", "form", ())
    assert second.selector == 'input[name="keyword"]'


def test_script_driven_boxes():
    found = forms("search_script.html")
    assert [f.how for f in found] == ["script", "script", "script"]
    by_field = {f.query_field: f for f in found}
    # window.open in a named function called from the link's onclick
    assert by_field["keyword"].action == "http://www.mm.gov.cn/jsearch/search.jsp?q="
    assert by_field["keyword"].selector == "#keyword"
    # a form with action="javascript:..." whose function sets location.href to another host
    assert by_field["sword"].action == "http://search.mm.gov.cn/?searchword="
    # a box whose function is not in the page: counted, target unknown
    assert by_field["zhuanti_kw"].action == ""
    assert "yzm_code" not in by_field and "code" not in by_field


def test_selector_finds_the_input():
    tree = LexborHTMLParser((SITE / "search_script.html").read_text(encoding="utf-8"))
    for f in search_forms(tree, BASE):
        node = tree.css_first(f.selector)
        assert node is not None and node.tag == "input"
        assert (node.attributes.get("name") or node.attributes.get("id")) == f.query_field


def test_inline_variants():
    html = """<html><body>
    <div class="menu"><form action="http://www.baidu.com/s" target="_blank">
      <input type="hidden" name="si" value="mm.gov.cn"><input type="hidden" name="ct" value="2097152">
      <input type="text" name="wd" size="18"><input type="submit" value="站内搜索"></form></div>
    <form action="/comment/save.jsp"><input type="text" name="nickname"><input type="text" name="kw">
      <input type="submit" value="发表评论"></form>
    <form role="search" action=""><input type="search" name="s"></form>
    <div class="searchbar"><input type="text" name="sousuo" placeholder="搜索">
      <button type="button" onclick="location.href='/was/search?sw='+this.previousElementSibling.value">搜
      </button></div>
    </body></html>"""
    found = search_forms(LexborHTMLParser(html), "http://www.mm.gov.cn/a/b.html")
    assert [(f.action, f.query_field, f.how) for f in found] == [
        ("http://www.baidu.com/s", "wd", "form"),
        ("http://www.mm.gov.cn/a/b.html", "s", "form"),
        ("http://www.mm.gov.cn/was/search?sw=", "sousuo", "script"),
    ]
    assert found[0].hidden == (("si", "mm.gov.cn"), ("ct", "2097152"))


def test_no_search_on_page():
    html = "<form action='/login'><input name='u'><input type='password' name='p'><button>登录</button></form>"
    assert search_forms(LexborHTMLParser(html), BASE) == []


def test_hash_action_with_handler_is_script():
    html = """<body><form action="#" onsubmit="return goSearch();"><input name="keyword" placeholder="请输入关键词">
    <input type="submit" value="搜索"></form>
    <script>function goSearch(){ window.location.href = "/was5/web/search?searchword=" + kw; return false; }</script>
    </body>"""
    (found,) = search_forms(LexborHTMLParser(html), BASE)
    assert (found.how, found.action, found.query_field) == ("script", "http://www.mm.gov.cn/was5/web/search?searchword=",
                                                            "keyword")


def test_case_lookup_box_is_not_site_search():
    html = """<body><div class="bjcx"><input type="text" id="slbh" placeholder="请输入受理编号">
    <button type="button" onclick="query()">查询</button></div>
    <div class="s"><input type="text" id="kw" placeholder="请输入关键词">
    <button onclick="siteSearch()">查询</button></div>
    </body>"""
    found = search_forms(LexborHTMLParser(html), BASE)
    assert [(f.query_field, f.how, f.selector) for f in found] == [("kw", "script", "#kw")]
