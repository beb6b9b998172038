"""Pagers that submit a form (`javascript:goPage(2)` setting a hidden page field and calling form.submit()) lead
to the form's action with its fields, the page field set: the page a GET of the form shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.crawl import markup
from govweb.parse.form_pager import fields, form_page_url
from govweb.parse.script_calls import helpers_in

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "lists"
PAGE = "http://xxgk.xx.gov.cn/zcwj/list.jsp?catId=12"


def test_a_posted_pager_form_is_followed_as_a_get_with_its_fields():
    html = (FIXTURES / "form_pager.html").read_text(encoding="utf-8")
    pg = markup.pagination(markup.tree_of(html), html, PAGE)
    # the login form beside it is not the pager's; an unchecked box and the submit button are not sent
    assert pg.next_url == "http://xxgk.xx.gov.cn/zcwj/list.jsp?catId=12&pageNo=2&pageSize=15&title=&year=2018"
    assert pg.last_url == pg.next_url and pg.by_form
    assert (pg.total_pages, pg.current) == (2, 1)


def test_the_same_pager_without_its_form_leads_nowhere():
    html = (FIXTURES / "form_pager.html").read_text(encoding="utf-8").replace("searchForm", "otherForm", 1)
    html = html.replace('<form name="searchForm" id="searchForm"', '<div').replace('</form>\n<table', '</div>\n<table')
    pg = markup.pagination(markup.tree_of(html), html, PAGE)
    assert pg.next_url is None and not pg.by_form


def _page(script: str, form: str) -> LexborHTMLParser:
    return LexborHTMLParser(f"<html><head><script>{script}</script></head><body>{form}</body></html>")


FORM = ('<form id="pf" name="pf" action="/zwgk/index.php" method="post"><input type="hidden" name="cur" id="cp" '
        'value="1"><input type="hidden" name="cid" value="7"></form>')


@pytest.mark.parametrize("script", [
    'function turn(n) { $("#cp").val(n); $("#pf").submit(); }',  # jQuery
    "function turn(n) { document.forms[0].cur.value = n; document.forms[0].submit(); }",
    "var turn = function (n) { var f = document.getElementById('pf'); f.elements['cur'].value = n; f.submit(); };",
])
def test_the_ways_pagers_set_the_page_field_and_submit(script):
    tree = _page(script, FORM)
    url = form_page_url(tree, helpers_in(script), "turn(3)", "http://www.xx.gov.cn/zwgk/index.php")
    assert url == "http://www.xx.gov.cn/zwgk/index.php?cur=3&cid=7"


def test_a_pager_that_loads_by_ajax_submits_no_form():
    script = "function turn(n) { $.post('/zwgk/list.do', {page: n}, function (d) { $('#list').html(d); }); }"
    assert form_page_url(_page(script, FORM), helpers_in(script), "turn(2)", "http://www.xx.gov.cn/") is None


def test_fields_are_those_a_form_submits():
    form = LexborHTMLParser("""<form><input name="a" value="1"><input name="b" disabled value="2">
        <input type="radio" name="c" value="x"><input type="radio" name="c" value="y" checked>
        <input type="submit" name="go" value="查询"><textarea name="t">文本</textarea>
        <select name="s"><option value="p">P</option><option value="q">Q</option></select></form>""").css_first("form")
    assert [(n, v) for n, _, v in fields(form)] == [("a", "1"), ("c", "y"), ("t", "文本"), ("s", "p")]
