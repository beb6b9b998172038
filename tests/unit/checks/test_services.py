"""办事服务 detectors: platform links by host and text, guide elements with synonym labels, form downloads."""

from __future__ import annotations

import pytest

from govweb.capture import Column, Guide, Link, LinkCheck
from govweb.checks import services
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"
ALL8 = ["事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程"]


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def ev_of(store, home_html: str = "<p>首页</p>", pages=(), **cap):
    home = store_page(store, URL, f"<html><body>{home_html}</body></html>", kind="home")
    return evidence(capture([home, *pages], **cap), store)


def guide(n: int, labels: list[str], attachments: list[LinkCheck] | None = None) -> Guide:
    return Guide(url=f"{URL}bsfw/guide/{n}.html", title=f"事项{n}办事指南", labels=labels,
                 attachments=attachments or [])


def att(n: int, status: int | None = 200, error: str = "") -> LinkCheck:
    return LinkCheck(url=f"{URL}bsfw/files/form_{n}.doc", source=f"{URL}bsfw/guide/{n}.html", text=f"申请表{n}.doc",
                     status=status, error=error)


# -- services.platform_link ------------------------------------------------------------------------------------

def test_platform_link_from_the_crawler(store):
    found = [Link(href="http://zwfw.zj.gov.cn/", text="浙江政务服务网")]
    v = services.platform_link(ev_of(store, platform_links=found))
    assert (v.status, v.value) == ("pass", True)
    assert "浙江政务服务网" in v.detail


@pytest.mark.parametrize(("html", "status"), [
    ('<a href="http://www.zjzwfw.gov.cn/zjzw/index.htm">网上办事</a>', "pass"),  # host word zwfw
    ('<a href="http://www.gdbs.gov.cn/">广东政务服务网</a>', "pass"),  # external, text word
    ('<a href="/col/bsfw/">政务服务</a>', "fail"),  # the site's own section, not the platform
    ('<a href="http://www.xinhuanet.com/">新华网</a>', "fail"),
])
def test_platform_link_on_home_by_host_or_external_text(store, html, status):
    v = services.platform_link(ev_of(store, html))
    assert (v.status, v.value) == (status, status == "pass")


def test_platform_link_on_the_services_section_page(store):
    c = Column(name="办事服务", url=URL + "bsfw/", category="services", status=200)
    page = store_page(store, c.url, '<html><body><a href="http://tzxm.zwfw.gov.cn/">投资项目在线审批</a></body></html>',
                      kind="column", column=c.url)
    assert services.platform_link(ev_of(store, pages=[page], columns=[c])).status == "pass"


def test_platform_link_without_home_is_missing_evidence(store):
    with pytest.raises(MissingEvidence):
        services.platform_link(evidence(capture([]), store))


# -- services.guide_elements -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("missing", "lacking"), [(3, 0), (4, 1), (5, 1)])
def test_guide_elements_min_missing_boundary(store, missing, lacking):
    v = services.guide_elements(ev_of(store, guides=[guide(1, ALL8[missing:]), guide(2, ALL8)]))
    assert (v.status, v.value) == ("pass" if lacking == 0 else "fail", lacking)
    if lacking:
        assert f"事项1办事指南缺少{missing}项（{'、'.join(ALL8[:missing])}）" in v.detail


def test_guide_elements_synonym_labels_are_canonicalised(store):
    labels = ["项目名称", "办理依据：", "受理条件", "申请材料目录", "办公地点", "法定时限", "咨询方式", "审批流程"]
    v = services.guide_elements(ev_of(store, guides=[guide(1, labels)]))
    assert (v.status, v.value) == ("pass", 0)


def test_guide_elements_read_from_the_stored_page_when_no_labels(store):
    full = fixture_page(store, "services/guide_table_synonyms.html", URL + "bsfw/guide/1.html", kind="guide")
    poor = fixture_page(store, "services/guide_dl_lacking.html", URL + "bsfw/guide/2.html", kind="guide")
    v = services.guide_elements(ev_of(store, pages=[full, poor], guides=[guide(1, []), guide(2, [])]))
    assert (v.status, v.value) == ("fail", 1)
    assert "事项2办事指南缺少4项（设定依据、申请条件、办理材料、办理流程）" in v.detail
    assert v.evidence == [poor.html_key]


def test_guide_elements_failed_guide_page_is_not_a_lacking_guide(store):
    broken = store_page(store, URL + "bsfw/guide/1.html", "<html><body>404</body></html>", kind="guide")
    broken.status = 404
    v = services.guide_elements(ev_of(store, pages=[broken], guides=[guide(1, []), guide(2, ALL8)]))
    assert (v.status, v.value) == ("pass", 0)
    assert "抽查1个办事指南" in v.detail


def test_guide_elements_without_guides(store):
    with_platform = services.guide_elements(ev_of(store, '<a href="http://zwfw.x.gov.cn/">政务服务网</a>'))
    assert with_platform.status == "not_applicable" and "政务服务平台" in with_platform.detail
    assert services.guide_elements(ev_of(store)).status == "not_measured"


def test_canonical_label():
    elements = {"设定依据": ["设定依据", "依据"], "办理材料": ["办理材料", "申请材料"]}
    assert services.canonical_label("【申请材料】", elements) == "办理材料"
    assert services.canonical_label("依据", elements) == "设定依据"
    assert services.canonical_label("申请人需要提交的全部申请材料清单及说明", elements) == ""  # a sentence, not a label


# -- services.form_downloads -----------------------------------------------------------------------------------

def test_form_downloads_counts_broken_attachments_once(store):
    guides = [guide(1, ALL8, [att(1), att(2, 404)]), guide(2, ALL8, [att(2, 404), att(3, None, "timeout")]),
              guide(3, ALL8, [att(4, None, "budget")])]
    v = services.form_downloads(ev_of(store, guides=guides))
    assert (v.status, v.value) == ("fail", 2)
    assert "申请表2.doc（404）" in v.detail and "申请表3.doc（timeout）" in v.detail
    assert "另有1个附件未检测" in v.detail


def test_form_downloads_all_fine_passes(store):
    v = services.form_downloads(ev_of(store, guides=[guide(1, ALL8, [att(1), att(2)])]))
    assert (v.status, v.value) == ("pass", 0)
    assert "检查2个表格附件" in v.detail


def test_form_downloads_without_attachments_or_guides(store):
    assert services.form_downloads(ev_of(store, guides=[guide(1, ALL8)])).status == "not_applicable"
    assert services.form_downloads(ev_of(store)).status == "not_measured"


def test_guide_name_drops_the_site_suffix_of_page_titles():
    titled = Guide(url=URL, title="企业投资项目备案办事指南 - 北京市朝阳区人民政府")
    assert services.guide_name(titled) == "企业投资项目备案办事指南"
    assert services.guide_name(Guide(url=URL, title="残疾人证办理_某某县政务服务")) == "残疾人证办理"
    assert services.guide_name(Guide(url=URL + "g/1.html", title="")) == URL + "g/1.html"
