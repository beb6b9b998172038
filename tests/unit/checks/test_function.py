"""Function detectors: search (present, works), mobile adaptation, new-media channels, accessibility."""

from __future__ import annotations

import pytest

from govweb.capture import AxeProbe, AxeViolation, MobileProbe, Probes, SearchProbe
from govweb.checks import function
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def ev_of(store, name: str, *, encoding="utf-8", **probes):
    home = fixture_page(store, f"function/{name}", URL, kind="home", encoding=encoding)
    return evidence(capture([home], probes=Probes(**probes)), store)


def ev_html(store, html: str, *, meta=None, **probes):
    home = store_page(store, URL, f"<html><body>{html}</body></html>", kind="home", meta=meta or {})
    return evidence(capture([home], probes=Probes(**probes)), store)


# -- search.present --------------------------------------------------------------------------------

def test_search_present_from_probe(store):
    v = function.search_present(ev_html(store, "<p>x</p>", search=SearchProbe(attempted=True, how="script")))
    assert (v.status, v.value) == ("pass", True)
    assert "脚本" in v.detail


def test_search_present_login_and_comment_forms_are_not_search(store):
    v = function.search_present(ev_of(store, "home_login_only.html", search=SearchProbe(attempted=True)))
    assert (v.status, v.value) == ("fail", False)


def test_search_present_script_box_without_form(store):
    assert function.search_present(ev_of(store, "home_hanweb_search.html")).status == "pass"


def test_search_present_dede_form_in_gbk(store):
    v = function.search_present(ev_of(store, "home_dede_media.html", encoding="gb18030"))
    assert v.status == "pass" and "/plus/search.php" in v.detail


# -- search.works ----------------------------------------------------------------------------------

def works(store, **kw):
    return function.search_works(ev_html(store, "<p>x</p>", search=SearchProbe(**kw)))


def test_search_works_found(store):
    v = works(store, attempted=True, how="form", query="营商环境", target_url=URL + "art/1.html",
              result_key="k", result_count=12, found_target=True)
    assert (v.status, v.value) == ("pass", True)
    assert "营商环境" in v.detail and "12条" in v.detail and v.evidence == ["k"]


def test_search_works_not_found(store):
    v = works(store, attempted=True, how="form", query="营商环境", result_key="k", result_count=0,
              found_target=False)
    assert (v.status, v.value) == ("fail", False)
    assert "“营商环境”" in v.detail and "0条" in v.detail


def test_search_works_not_applicable_without_search(store):
    assert works(store, attempted=True, how="none").status == "not_applicable"


def test_search_works_probe_missed_a_box_is_not_measured(store):
    ev = ev_of(store, "home_hanweb_search.html", search=SearchProbe(attempted=True, how="none"))
    assert function.search_works(ev).status == "not_measured"


def test_search_works_not_attempted_or_errored(store):
    assert works(store).status == "not_measured"
    assert works(store, attempted=True, how="form", error="timeout").status == "not_measured"


# -- mobile.adapted --------------------------------------------------------------------------------

def mobile(store, html="<p>x</p>", meta=None, **kw):
    return function.mobile_adapted(ev_html(store, html, meta=meta, mobile=MobileProbe(**kw)))


def test_mobile_viewport_and_no_overflow(store):
    v = mobile(store, attempted=True, viewport_meta="width=device-width, initial-scale=1", overflow_px=0,
               screenshot_key="shot")
    assert (v.status, v.value) == ("pass", True) and v.evidence == ["shot"]


@pytest.mark.parametrize(("overflow", "status"), [(10, "pass"), (11, "fail")])
def test_mobile_overflow_threshold(store, overflow, status):
    assert mobile(store, attempted=True, viewport_meta="initial-scale=1.0", overflow_px=overflow).status == status


def test_mobile_fixed_width_viewport_zoomed_out_is_not_adapted(store):
    v = mobile(store, attempted=True, viewport_meta="width=1200, initial-scale=0.3", overflow_px=0)
    assert v.status == "fail" and "viewport" in v.detail


def test_mobile_no_viewport(store):
    v = mobile(store, attempted=True, viewport_meta="", overflow_px=825)
    assert v.status == "fail" and "viewport" in v.detail and "825" in v.detail


def test_mobile_viewport_from_home_meta_and_scroll_width(store):
    v = mobile(store, meta={"Viewport": "width=device-width"}, attempted=True, scroll_width=380)
    assert v.status == "pass"


def test_mobile_redirect_to_separate_site(store):
    ev = ev_of(store, "home_hanweb_search.html", mobile=MobileProbe(attempted=True, viewport_meta="width=1200",
                                                                     overflow_px=0))
    v = function.mobile_adapted(ev)
    assert v.status == "pass" and "m.zj.gov.cn" in v.detail


def test_mobile_redirect_but_overflowing_fails(store):
    ev = ev_of(store, "home_hanweb_search.html", mobile=MobileProbe(attempted=True, overflow_px=825))
    assert function.mobile_adapted(ev).status == "fail"


def test_mobile_not_attempted_or_no_width(store):
    assert mobile(store).status == "not_measured"
    assert mobile(store, attempted=True, error="browser_crash").status == "not_measured"


# -- media.channels --------------------------------------------------------------------------------

def test_media_all_three_by_hosts_and_words_in_gbk(store):
    v = function.media_channels(ev_of(store, "home_dede_media.html", encoding="gb18030"))
    assert (v.status, v.value) == ("pass", "weibo;wechat;app")


def test_media_missing_app_and_long_title_is_not_a_channel(store):
    v = function.media_channels(ev_of(store, "home_hanweb_search.html"))
    assert (v.status, v.value) == ("fail", "weibo;wechat")
    assert "移动客户端" in v.detail.split("；")[0]


def test_media_simulated_footer(store):
    html = ('<p class="media"><a href="http://weibo.gov.test/1">政务微博</a> <span class="wx"><img src="/w.png" '
            'alt="微信公众号二维码">微信公众号</span> <a href="/app/">移动客户端App</a></p>')
    assert function.media_channels(ev_html(store, html)).value == "weibo;wechat;app"


def test_media_none(store):
    v = function.media_channels(ev_html(store, "<p>无</p>"))
    assert (v.status, v.value) == ("fail", "")
    assert "政务微博、微信公众号、移动客户端" in v.detail


# -- accessibility.axe -----------------------------------------------------------------------------

def axe(store, html="<p>x</p>", **kw):
    return function.axe(ev_html(store, html, axe=AxeProbe(**kw)))


def test_axe_counts_critical_nodes_and_names_serious_rules(store):
    vs = [AxeViolation(id="image-alt", impact="critical", nodes=3),
          AxeViolation(id="label", impact="critical", nodes=1),
          AxeViolation(id="color-contrast", impact="serious", nodes=29),
          AxeViolation(id="region", impact="moderate", nodes=40)]
    v = axe(store, attempted=True, violations=vs, entry_found=True)
    assert (v.status, v.value) == ("fail", 4)
    assert v.detail.index("image-alt") < v.detail.index("label") < v.detail.index("color-contrast")
    assert "图片缺少替代文字" in v.detail and "有无障碍/适老化入口" in v.detail and "region" not in v.detail


def test_axe_serious_only_as_on_most_portals_passes(store):
    vs = [AxeViolation(id="color-contrast", impact="serious", nodes=19),
          AxeViolation(id="html-has-lang", impact="serious", nodes=1)]
    v = axe(store, attempted=True, violations=vs)
    assert (v.status, v.value) == ("pass", 0)
    assert "color-contrast" in v.detail and "对比度" in v.detail


def test_axe_image_alt_counts_whatever_its_impact(store):
    assert axe(store, attempted=True, violations=[AxeViolation(id="image-alt", impact="", nodes=1)]).value == 1


def test_axe_only_minor_passes(store):
    v = axe(store, attempted=True, violations=[AxeViolation(id="region", impact="moderate", nodes=4)])
    assert (v.status, v.value) == ("pass", 0)
    assert "未发现无障碍/适老化入口" in v.detail


def test_axe_entry_from_home_links(store):
    v = axe(store, html='<a href="/wza/">无障碍浏览</a>', attempted=True)
    assert "有无障碍/适老化入口" in v.detail


def test_axe_not_attempted_or_failed(store):
    assert axe(store).status == "not_measured"
    assert axe(store, attempted=True, error="axe script failed").status == "not_measured"


def test_axe_not_run_on_a_page_too_large_says_why_in_chinese(store):
    v = axe(store, attempted=True, error="too_large: home page DOM 8000990 bytes > max_bytes 5000000")
    assert v.status == "not_measured"
    assert v.detail.startswith("无障碍检测未完成：内容过大，too_large") and "8000990" in v.detail
