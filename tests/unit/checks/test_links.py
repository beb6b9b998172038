"""Broken links on the home page and on sampled inner pages, from the capture's link checks."""

from __future__ import annotations

import pytest

from govweb.capture import LinkCheck
from govweb.checks import links
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, store_page

HOME = "http://www.x.gov.cn/"
INNER = "http://www.x.gov.cn/art/2018/10/1.html"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def ev_with(store, checks, *, home_links=True):
    html = '<a href="/a.html">甲</a><a href="/b.html">乙</a>' if home_links else "<p>无链接</p>"
    home = store_page(store, HOME, html, kind="home")
    article = store_page(store, INNER, '<a href="/old/doc.html">相关</a>', kind="article")
    return evidence(capture([home, article], link_checks=checks), store)


def ok(url, source=HOME):
    return LinkCheck(url=url, source=source, status=200)


def test_home_all_ok(store):
    v = links.broken_home(ev_with(store, [ok(HOME + "a.html"), ok(HOME + "b.html")]))
    assert (v.status, v.value) == ("pass", 0)


def test_home_broken_listed_with_chinese_reasons(store):
    checks = [ok(HOME + "a.html"), LinkCheck(url=HOME + "zt/2015/x.html", source=HOME, status=404, text="专题"),
              LinkCheck(url="http://old.x.gov.cn/", source=HOME, error="dns"),
              LinkCheck(url="http://slow.x.gov.cn/", source=HOME, error="timeout"),
              LinkCheck(url=HOME + "other", source=INNER, status=404)]
    v = links.broken_home(ev_with(store, checks))
    assert (v.status, v.value) == ("fail", 3)
    assert "首页有3个不可用链接" in v.detail
    assert "404" in v.detail and "域名无法解析" in v.detail and "超时" in v.detail
    assert HOME + "other" not in v.detail


def test_home_links_not_tried_are_left_out(store):
    v = links.broken_home(ev_with(store, [ok(HOME + "a.html"), LinkCheck(url="http://10.0.0.1/", source=HOME,
                                                                       error="blocked")]))
    assert (v.status, v.value) == ("pass", 0)


def test_home_listing_caps_at_ten(store):
    checks = [LinkCheck(url=f"{HOME}x{i}.html", source=HOME, status=404) for i in range(13)]
    v = links.broken_home(ev_with(store, checks))
    assert v.value == 13 and "x12.html" not in v.detail and "等13个" in v.detail


def test_home_links_unchecked_is_missing_evidence(store):
    with pytest.raises(MissingEvidence):
        links.broken_home(ev_with(store, []))


def test_home_without_links_passes_with_zero(store):
    assert links.broken_home(ev_with(store, [], home_links=False)).value == 0


def test_inner_broken(store):
    checks = [ok(HOME + "a.html"), LinkCheck(url=HOME + "old/doc.html", source=INNER, status=404),
              LinkCheck(url=HOME + "ok.html", source=INNER, status=200)]
    v = links.broken_inner(ev_with(store, checks))
    assert (v.status, v.value) == ("fail", 1)
    assert INNER in v.detail and v.evidence  # the source page's html


def test_inner_ok(store):
    v = links.broken_inner(ev_with(store, [ok(HOME + "a.html"), ok(HOME + "ok.html", INNER)]))
    assert (v.status, v.value) == ("pass", 0)


def test_inner_not_measured_without_inner_checks(store):
    assert links.broken_inner(ev_with(store, [ok(HOME + "a.html")])).status == "not_measured"


def test_inner_status_500_counts(store):
    v = links.broken_inner(ev_with(store, [LinkCheck(url=HOME + "e", source=INNER, status=500)]))
    assert v.value == 1 and "500" in v.detail


def test_a_soft_404_is_a_broken_link_with_its_status_and_reason(store):
    soft = LinkCheck(url=HOME + "zt/2015/x.html", source=HOME, status=200, final_url=HOME + "404.html",
                     error="soft_404", text="专题")
    v = links.broken_home(ev_with(store, [ok(HOME + "a.html"), soft]))
    assert (v.status, v.value) == ("fail", 1)
    assert "200 页面不存在（服务器返回正常状态码）" in v.detail
