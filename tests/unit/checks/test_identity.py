"""Identity detectors on footers as real portals write them (TRS, GBK ministry page, meta-only, bare)."""

from __future__ import annotations

import pytest

from govweb.checks import identity
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def ev_of(store, name: str, *, encoding: str = "utf-8", site_code: str = "", **fields):
    home = fixture_page(store, f"identity/{name}", URL, kind="home", encoding=encoding, **fields)
    return evidence(capture([home]), store, site_code=site_code)


def ev_html(store, html: str, *, site_code: str = "", **fields):
    home = store_page(store, URL, f"<html><head>{fields.pop('head', '')}</head><body>{html}</body></html>",
                      kind="home", **fields)
    return evidence(capture([home]), store, site_code=site_code)


# -- 网站标识码 -------------------------------------------------------------------------------------

def test_site_code_in_trs_footer_matches_inventory(store):
    v = identity.site_code(ev_of(store, "trs_footer.html", site_code="3300000020"))
    assert (v.status, v.value) == ("pass", "3300000020")
    assert "与清单一致" in v.detail and v.evidence


def test_site_code_in_gbk_footer_with_space_instead_of_colon(store):
    v = identity.site_code(ev_of(store, "gbk_footer.html", encoding="gb18030"))
    assert (v.status, v.value) == ("pass", "bm01000001")


def test_site_code_in_meta_only_any_case(store):
    v = identity.site_code(ev_of(store, "meta_only.html"))
    assert (v.status, v.value) == ("pass", "4401000001")
    assert "SiteIDCode" in v.detail


def test_site_code_meta_from_capture_meta_dict(store):
    v = identity.site_code(ev_html(store, "<p>无</p>", meta={"SITEIDCODE": "1100000001"}))
    assert v.value == "1100000001"


def test_site_code_mismatch_names_both_codes(store):
    v = identity.site_code(ev_of(store, "trs_footer.html", site_code="3300000099"))
    assert (v.status, v.value) == ("fail", "3300000020")
    assert "3300000020" in v.detail and "3300000099" in v.detail


def test_site_code_not_compared_without_inventory_code(store):
    assert identity.site_code(ev_of(store, "trs_footer.html", site_code="")).status == "pass"


def test_site_code_full_width_colon_and_digits(store):
    v = identity.site_code(ev_html(store, "<div>网站标识码：３３００００００２０</div>"))
    assert v.value == "3300000020"


def test_site_code_in_image_alt(store):
    v = identity.site_code(ev_html(store, '<img src="/bsm.png" alt="网站标识码:3301000001">'))
    assert (v.status, v.value) == ("pass", "3301000001")


def test_site_code_absent_or_placeholder(store):
    v = identity.site_code(ev_of(store, "bare_footer.html", site_code="3300000020"))
    assert (v.status, v.value) == ("fail", "")
    assert "未发现网站标识码" in v.detail


def test_site_code_too_long_is_not_a_code(store):
    assert identity.site_code(ev_html(store, "<p>网站标识码：33000000201</p>")).status == "fail"


def test_missing_home_page_raises(store):
    ev = evidence(capture([]), store)
    with pytest.raises(MissingEvidence):
        identity.site_code(ev)


# -- ICP -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "encoding", "number"), [
    ("trs_footer.html", "utf-8", "浙ICP备05011620号-1"),
    ("gbk_footer.html", "gb18030", "京ICP备05070218号"),
    ("meta_only.html", "utf-8", "粤ICP备12345678号"),
])
def test_icp_as_portals_write_it(store, name, encoding, number):
    v = identity.icp(ev_of(store, name, encoding=encoding))
    assert (v.status, v.value) == ("pass", number)


def test_icp_absent_despite_the_word_icp(store):
    v = identity.icp(ev_of(store, "bare_footer.html"))
    assert (v.status, v.value) == ("fail", "")
    assert "ICP备案编号" in v.detail


def test_icp_only_in_link_text_of_stored_links(store):
    """The text blob lost the footer (e.g. hidden by CSS) but the link to the MIIT registry keeps it."""
    html = '<a href="http://beian.miit.gov.cn/">苏ICP备10011112号-2</a>'
    home = store_page(store, URL, html, kind="home")
    home.text_key = store.put_blob("evidence/test/text", "首页".encode(), "txt", "text/plain")
    v = identity.icp(evidence(capture([home]), store))
    assert v.value == "苏ICP备10011112号-2"


# -- 公网安备 ----------------------------------------------------------------------------------------

def test_psb_in_text_keeps_its_space(store):
    v = identity.psb(ev_of(store, "gbk_footer.html", encoding="gb18030"))
    assert (v.status, v.value) == ("pass", "京公网安备 11010502030143号")


def test_psb_in_trs_link_span(store):
    assert identity.psb(ev_of(store, "trs_footer.html")).value == "浙公网安备 33010602000027号"


def test_psb_from_recordcode_when_link_shows_no_number(store):
    v = identity.psb(ev_of(store, "meta_only.html"))
    assert (v.status, v.value) == ("pass", "44010602000001")
    assert "recordcode" in v.detail


def test_psb_absent(store):
    assert identity.psb(ev_of(store, "bare_footer.html")).status == "fail"


def test_psb_recordcode_of_miit_link_is_not_psb(store):
    html = '<a href="http://beian.miit.gov.cn/?recordcode=33010602000027">备案</a>'
    assert identity.psb(ev_html(store, html)).status == "fail"


# -- 党政机关标识 ------------------------------------------------------------------------------------

def test_conac_by_ideconac_container_and_script(store):
    v = identity.conac_badge(ev_of(store, "trs_footer.html"))
    assert (v.status, v.value) == ("pass", True)
    assert "_ideConac" in v.detail


def test_conac_by_link_and_red_png(store):
    v = identity.conac_badge(ev_of(store, "gbk_footer.html", encoding="gb18030"))
    assert v.status == "pass" and "bszs.conac.cn" in v.detail


def test_conac_simulated_host_label(store):
    html = '<a href="http://bszs.conac.gov.test/sitename?method=show&id=1"><img src="/img/c.png" alt="x"></a>'
    assert identity.conac_badge(ev_html(store, html)).status == "pass"


def test_conac_by_image_alt_only(store):
    assert identity.conac_badge(ev_html(store, '<img src="/img/dzjg.png" alt="党政机关">')).status == "pass"


def test_conac_absent_even_when_a_title_mentions_it(store):
    v = identity.conac_badge(ev_of(store, "bare_footer.html"))
    assert (v.status, v.value) == ("fail", False)


def test_conac_not_fooled_by_host_containing_the_letters(store):
    assert identity.conac_badge(ev_html(store, '<a href="http://www.myconac.com/">友情链接</a>')).status == "fail"


# -- 我为政府网站找错 --------------------------------------------------------------------------------

def test_error_report_by_jiucuo_script(store):
    v = identity.error_report_entry(ev_of(store, "trs_footer.html"))
    assert (v.status, v.value) == ("pass", True)
    assert "jiucuo" in v.detail


def test_error_report_by_link_text_and_host(store):
    assert identity.error_report_entry(ev_of(store, "gbk_footer.html", encoding="gb18030")).status == "pass"


def test_error_report_by_image_link(store):
    assert identity.error_report_entry(ev_of(store, "meta_only.html")).status == "pass"


def test_error_report_by_words_only(store):
    assert identity.error_report_entry(ev_html(store, '<a href="/jc/">我为政府网站找错</a>')).status == "pass"


def test_error_report_simulated_host(store):
    html = '<a href="http://zfwzzc.www.gov.test/errorSubmit/sitecode/3300000020.html">x</a>'
    assert identity.error_report_entry(ev_html(store, html)).status == "pass"


def test_error_report_absent(store):
    v = identity.error_report_entry(ev_of(store, "bare_footer.html"))
    assert (v.status, v.value) == ("fail", False)
    assert "我为政府网站找错" in v.detail


# -- marks written by inline scripts, footers in an iframe ----------------------------------------

def test_inline_document_write_badge_and_error_entry(store):
    ev = ev_of(store, "inline_scripts.html")
    assert identity.conac_badge(ev).status == "pass"
    assert identity.error_report_entry(ev).status == "pass"
    assert identity.site_code(ev).value == "3701000001"  # 网站标识码为…


def test_footer_inside_an_iframe_page(store):
    home = store_page(store, URL, '<div>正文</div><iframe src="/include/footer.html" width="1000"></iframe>',
                      kind="home")
    frame = fixture_page(store, "identity/footer_frame.html", URL + "include/footer.html", kind="other",
                         encoding="gb18030")
    ev = evidence(capture([home, frame]), store, site_code="5101000035")
    assert identity.site_code(ev).status == "pass"
    assert identity.icp(ev).value == "蜀ICP备12002345号"
    assert identity.psb(ev).value == "川公网安备 51010402000123号"
    assert identity.conac_badge(ev).status == "pass"
    assert identity.error_report_entry(ev).status == "pass"


def test_an_unrelated_stored_page_is_not_the_footer(store):
    home = store_page(store, URL, "<div>正文</div>", kind="home")
    other = fixture_page(store, "identity/footer_frame.html", URL + "include/footer.html", kind="other",
                         encoding="gb18030")
    ev = evidence(capture([home, other]), store)
    assert identity.icp(ev).status == "fail"


def test_utf16_page_with_bom(store):
    html = "<html><body><p>网站标识码：3300000020　浙ICP备05011620号</p></body></html>"
    home = store_page(store, URL, html.encode("utf-16"), kind="home", encoding="utf-16")
    ev = evidence(capture([home]), store)
    assert identity.site_code(ev).value == "3300000020"
    assert identity.icp(ev).value == "浙ICP备05011620号"
