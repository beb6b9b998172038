"""Pages that move the browser on (meta refresh, a bare page whose script sets the address) name where to."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb.parse.redirects import client_redirect

URL = "http://www.example.gov.cn/zwgk/index.html"


@pytest.mark.parametrize(("html", "target"), [
    ('<html><head><meta http-equiv="refresh" content="0; url=tzgg/index.html"></head><body></body></html>',
     "http://www.example.gov.cn/zwgk/tzgg/index.html"),
    ("""<html><head><meta http-equiv="Refresh" content="0;URL='/tzgg/'"></head></html>""", "http://www.example.gov.cn/tzgg/"),
    ('<html><head><meta http-equiv="refresh" content="1;url=http://zwfw.example.gov.cn/"></head></html>',
     "http://zwfw.example.gov.cn/"),
    ('<html><body><script>window.location.href = "./tzgg/index.html";</script></body></html>',
     "http://www.example.gov.cn/zwgk/tzgg/index.html"),
    ("<html><body><script language='javascript'>location.replace('list_1.html')</script></body></html>",
     "http://www.example.gov.cn/zwgk/list_1.html"),
    ('<html><head><base href="/xxgk/"></head><body><script>top.location = "gkzn/";</script></body></html>',
     "http://www.example.gov.cn/xxgk/gkzn/"),
])
def test_a_page_that_moves_on(html, target):
    assert client_redirect(LexborHTMLParser(html), URL) == target


@pytest.mark.parametrize("html", [
    '<html><head><meta http-equiv="refresh" content="300"></head><body>政务要闻</body></html>',  # reloads itself
    '<html><head><meta http-equiv="refresh" content="600; url=index.html"></head><body>x</body></html>',  # later
    # a page with its own text whose script moves on only when a button is pressed
    "<html><body>" + "本栏目发布本级政府规章、规范性文件及其解读。" * 20
    + '<script>function go() { location.href = "/search.html"; }</script></body></html>',
    '<html><body><script>location.href = "index.html";</script></body></html>',  # itself: no move
])
def test_a_page_that_stays(html):
    assert client_redirect(LexborHTMLParser(html), URL) is None


@pytest.mark.parametrize("script", [
    'function doSearch() { location.href = "/search?q=" + encodeURIComponent(q.value); }',  # a handler
    'if (/Android|iPhone/i.test(navigator.userAgent)) { window.location.href = "/m/"; }',  # a phone's move
    'var go = "/search?q=" + k; location.href = "/search?q=" + k;',  # an address built from pieces
])
def test_a_bare_page_whose_script_moves_only_on_a_condition_stays(script):
    assert client_redirect(LexborHTMLParser(f"<html><body><script>{script}</script></body></html>"), URL) is None
