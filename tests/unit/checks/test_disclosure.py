"""政府信息公开 detectors: 目录 as Hanweb/TRS portals write it, 重点领域 synonyms, offsite columns, 年报 years."""

from __future__ import annotations

import pytest

from govweb.capture import Column, DatedItem, LinkCheck
from govweb.checks import disclosure
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"
ML = URL + "xxgk/ml/"
NB = URL + "xxgk/nb/"
XXGK = URL + "xxgk/"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def home(store, links: str = '<a href="/xxgk/">政府信息公开</a>'):
    return store_page(store, URL, f"<html><body>{links}</body></html>", kind="home")


def ev_of(store, pages=(), cols=(), home_links: str = '<a href="/xxgk/">政府信息公开</a>', **cap):
    return evidence(capture([home(store, home_links), *pages], columns=list(cols), **cap), store)


def disclosure_page(store, url: str, html: str, **kw):
    return store_page(store, url, f"<html><head><title>{kw.pop('title', '')}</title></head><body>{html}</body></html>",
                      kind="disclosure", **kw)


# -- disclosure.catalog_linked ---------------------------------------------------------------------------------

def test_catalog_static_text_table_fails(store):
    page = fixture_page(store, "publishing/xxgk_ml_static.html", ML, kind="disclosure")
    v = disclosure.catalog_linked(ev_of(store, [page]))
    assert (v.status, v.value) == ("fail", False)
    assert "列出4条信息，其中0条链接到具体内容" in v.detail and "静态文字" in v.detail
    assert v.evidence == [page.html_key]


def test_catalog_trs_table_with_links_and_script_links_passes(store):
    page = fixture_page(store, "publishing/xxgk_ml_linked_trs.html", ML, kind="disclosure")
    v = disclosure.catalog_linked(ev_of(store, [page]))
    assert (v.status, v.value) == ("pass", True)
    assert "其中4条链接到具体内容" in v.detail  # the category tree on the left is not the catalogue


def test_catalog_links_to_hash_void_or_itself_fail(store):
    page = fixture_page(store, "publishing/xxgk_ml_dead_links.html", ML, kind="disclosure")
    v = disclosure.catalog_linked(ev_of(store, [page]))
    assert (v.status, v.value) == ("fail", False)
    assert "其中0条链接" in v.detail


def test_catalog_found_through_its_column_name(store):
    c = Column(name="法定主动公开内容目录", url=URL + "col/col8/", category="disclosure", status=200)
    page = fixture_page(store, "publishing/xxgk_ml_linked_trs.html", c.url, kind="column", column=c.url)
    assert disclosure.catalog_linked(ev_of(store, [page], [c])).status == "pass"


def test_catalog_site_without_disclosure_section_fails(store):
    v = disclosure.catalog_linked(ev_of(store, home_links='<a href="/col/1/">要闻动态</a>'))
    assert (v.status, v.value) == ("fail", False)
    assert "未设置政府信息公开栏目" in v.detail


def test_catalog_section_without_catalogue_entry_fails(store):
    index = disclosure_page(store, XXGK, '<ul><li><a href="/xxgk/zn/">信息公开指南</a></li></ul>', title="政府信息公开")
    v = disclosure.catalog_linked(ev_of(store, [index]))
    assert (v.status, v.value) == ("fail", False)
    assert "政府信息公开栏目中未发现信息公开目录" in v.detail and v.evidence == [index.html_key]


def test_catalog_entry_not_captured_is_missing_evidence(store):
    index = disclosure_page(store, XXGK, '<a href="/xxgk/ml/">政府信息公开目录</a>', title="政府信息公开")
    with pytest.raises(MissingEvidence):
        disclosure.catalog_linked(ev_of(store, [index]))


def test_catalog_page_broken_fails(store):
    c = Column(name="信息公开目录", url=ML, category="disclosure", status=404, error="http_error")
    v = disclosure.catalog_linked(ev_of(store, [], [c]))
    assert (v.status, v.value) == ("fail", False) and "无法打开" in v.detail


def test_catalog_built_by_script_without_entries_is_missing_evidence(store):
    page = disclosure_page(store, ML, '<div id="catalog" data-src="/api/ml.json"></div>', title="政府信息公开目录")
    with pytest.raises(MissingEvidence):
        disclosure.catalog_linked(ev_of(store, [page]))


# -- disclosure.key_areas --------------------------------------------------------------------------------------

def key_col(name: str, n: int, **kw) -> Column:
    kw.setdefault("status", 200)
    kw.setdefault("category", "key_area")
    return Column(name=name, url=f"{URL}col/zdly{n}/", found_in="key_area", parent="重点领域信息公开", **kw)


SYNONYMS = ["土地出让", "政府采购信息", "国有资产交易", "工程招投标", "预决算公开", "重大项目", "生态环境", "食品安全"]


def test_key_areas_all_present_through_synonyms(store):
    v = disclosure.key_areas(ev_of(store, cols=[key_col(n, i) for i, n in enumerate(SYNONYMS)]))
    assert (v.status, v.value) == ("pass", 0)


def test_key_areas_missing_are_named(store):
    v = disclosure.key_areas(ev_of(store, cols=[key_col(n, i) for i, n in enumerate(SYNONYMS[:6])]))
    assert (v.status, v.value) == ("fail", 2)
    assert v.detail == "缺少2个重点领域信息公开栏目：环境保护、食品药品安全"


def test_key_areas_any_column_name_counts_and_broken_is_missing(store):
    cols = [key_col(n, i) for i, n in enumerate(SYNONYMS[1:])]
    cols.append(Column(name="国有建设用地使用权出让公示", url=URL + "col/tdcr/", category="notice", status=200))
    cols[0].status, cols[0].error = 404, "http_error"  # 政府采购信息: its page is broken
    v = disclosure.key_areas(ev_of(store, cols=cols))
    assert (v.status, v.value) == ("fail", 1)
    assert "政府采购（栏目页面无法打开）" in v.detail


def test_key_areas_unfetched_index_is_missing_evidence(store):
    index = Column(name="重点领域信息公开", url=URL + "xxgk/zdly/", category="disclosure")
    with pytest.raises(MissingEvidence):
        disclosure.key_areas(ev_of(store, cols=[index]))


def test_key_areas_none_at_all_counts_all_eight(store):
    v = disclosure.key_areas(ev_of(store, cols=[Column(name="要闻动态", url=URL + "col/1/", category="news")]))
    assert (v.status, v.value) == ("fail", 8)


# -- disclosure.offsite_substitution ---------------------------------------------------------------------------

def test_offsite_counts_content_columns_without_own_items(store):
    cols = [key_col("政府采购", 1, offsite=True), key_col("国有产权交易", 2, offsite=True),
            key_col("工程建设项目招标投标", 3, offsite=True,
                    items=[DatedItem(title="某某道路工程施工招标公告", url=URL + "a/1.html", date="2018-10-01")]),
            Column(name="政务服务", url="http://zwfw.zj.gov.cn/", category="services", offsite=True),
            Column(name="12345", url="http://12345.x.gov.cn/", category="interaction", offsite=True),
            key_col("环境保护", 4)]
    v = disclosure.offsite_substitution(ev_of(store, cols=cols))
    assert (v.status, v.value) == ("fail", 2)
    assert "重点领域信息公开/政府采购" in v.detail and "国有产权交易" in v.detail
    assert "招标投标" not in v.detail and "政务服务" not in v.detail


def test_offsite_none_passes_and_no_columns_is_missing(store):
    assert disclosure.offsite_substitution(ev_of(store, cols=[key_col("政府采购", 1)])).value == 0
    with pytest.raises(MissingEvidence):
        disclosure.offsite_substitution(ev_of(store, cols=[Column(name="政务服务", url=URL + "bs/",
                                                                   category="services")]))


# -- disclosure.annual_report ----------------------------------------------------------------------------------

def reports_page(store, years: list[int], **kw):
    lis = "".join(f'<li><a href="/xxgk/nb/{y}.html">某某县{y}年政府信息公开工作年度报告</a></li>' for y in years)
    return disclosure_page(store, NB, f"<ul>{lis or '<li>暂无信息</li>'}</ul>", title="政府信息公开年报", **kw)


@pytest.mark.parametrize(("latest", "status"), [(2017, "pass"), (2016, "fail")])
def test_annual_report_lag_one_vs_two_years(store, latest, status):
    v = disclosure.annual_report(ev_of(store, [reports_page(store, [latest, latest - 1, latest - 2])]))
    assert (v.status, v.value) == (status, str(latest))
    assert f"最新信息公开年报为{latest}年度" in v.detail and "共列出3个年度" in v.detail
    assert ("应至少有2017年度年报" in v.detail) == (status == "fail")


def test_annual_report_hanweb_list_with_chinese_numeral_years(store):
    page = fixture_page(store, "publishing/xxgk_nb_hanweb.html", NB, kind="disclosure")
    v = disclosure.annual_report(ev_of(store, [page]))
    assert (v.status, v.value) == ("fail", "2016")  # 二〇一六年; the 2018年政府工作报告 in the nav is not one
    v2017 = disclosure.annual_report(ev_of(store, [page], year=2017, as_of="2017-10-15"))
    assert (v2017.status, v2017.value) == ("pass", "2016")


def test_annual_report_future_years_and_broken_links_are_ignored(store):
    page = reports_page(store, [2019, 2017, 2016])
    checks = [LinkCheck(url=NB + "2017.html", source=NB, status=404)]
    v = disclosure.annual_report(ev_of(store, [page], link_checks=checks))
    assert (v.status, v.value) == ("fail", "2016")


def test_annual_report_page_listing_none_fails(store):
    page = reports_page(store, [])
    v = disclosure.annual_report(ev_of(store, [page]))
    assert (v.status, v.value) == ("fail", None)
    assert "未列出任何年度报告" in v.detail


def test_annual_report_listed_on_the_disclosure_index_and_in_a_column(store):
    index = disclosure_page(store, XXGK, '<a href="/nb/2017.html">2017年度政府信息公开工作报告</a>',
                            title="政府信息公开")
    assert disclosure.annual_report(ev_of(store, [index])).value == "2017"
    col = Column(name="信息公开年报", url=NB, category="disclosure", status=200,
                 items=[DatedItem(title="2017年度报告", url=NB + "1.html", date="2018-03-01")])
    assert disclosure.annual_report(ev_of(store, [], [col])).value == "2017"


def test_annual_report_without_section_fails_and_uncaptured_page_is_missing(store):
    v = disclosure.annual_report(ev_of(store, home_links='<a href="/col/1/">要闻动态</a>'))
    assert (v.status, v.value) == ("fail", None) and "未设置政府信息公开栏目" in v.detail
    index = disclosure_page(store, XXGK, '<a href="/xxgk/nb/">政府信息公开年报</a>', title="政府信息公开")
    with pytest.raises(MissingEvidence):
        disclosure.annual_report(ev_of(store, [index]))


def test_report_year_reads_the_report_names():
    assert disclosure.report_year("二〇一七年度政府信息公开工作年度报告", False) == 2017
    assert disclosure.report_year("政府信息公开工作年度报告（2016）", False) == 2016
    assert disclosure.report_year("2018年政府工作报告", True) is None
    assert disclosure.report_year("2017年度报告", False) is None  # off the report page it must say 信息公开
    assert disclosure.report_year("2017年度报告", True) == 2017


def test_lists_named_like_the_section_pages_outside_the_section_are_not_them(store):
    """行政许可事项目录 and 统计年报 elsewhere on the site are neither the 信息公开目录 nor the 年报."""
    permits = Column(name="行政许可事项目录", url=URL + "col/xzxk/", category="other", status=200)
    stats = Column(name="统计年报", url=URL + "col/tjnb/", category="plan", status=200,
                   items=[DatedItem(title="2017年统计年报", url=URL + "tj/2017.html", date="2018-04-01")])
    page = fixture_page(store, "publishing/xxgk_ml_linked_trs.html", permits.url, kind="column", column=permits.url)
    index = disclosure_page(store, XXGK, '<a href="/xxgk/zn/">信息公开指南</a>', title="政府信息公开")
    ev = ev_of(store, [page, index], [permits, stats])
    catalog = disclosure.catalog_linked(ev)
    assert (catalog.status, catalog.value) == ("fail", False) and "未发现信息公开目录" in catalog.detail
    report = disclosure.annual_report(ev)
    assert (report.status, report.value) == ("fail", None) and "未发现信息公开年报" in report.detail


# -- interpretation.present ------------------------------------------------------------------------------------

def it(n: int, title: str) -> DatedItem:
    return DatedItem(title=title, url=f"{URL}art/{n}.html", date="2018-10-01")


def col(name: str, n: int, items: int = 0, category: str = "other", **kw) -> Column:
    kw.setdefault("status", 200)
    return Column(name=name, url=f"{URL}col/c{n}/", category=category,
                  items=[it(n * 100 + i, "县政府召开常务会议研究部署工作") for i in range(items)], **kw)


def interp_ev(store, cols: list[Column], pages=()):
    return ev_of(store, list(pages), cols)


def interp_case(store, *, link_policy: bool):
    policy = Column(name="政策文件", url=URL + "col/zcwj/", category="policy", status=200,
                    items=[DatedItem(title="某某县优化营商环境若干措施", url=URL + "art/zcwj/1.html",
                                     date="2018-09-01")])
    interp = Column(name="政策解读", url=URL + "col/zcjd/", category="interpretation", status=200,
                    items=[it(1, title="《某某县优化营商环境若干措施》政策解读"), it(2, title="图解：今年的民生实事")])
    related = '<div class="related"><a href="/art/zcwj/1.html">相关文件：某某县优化营商环境若干措施</a></div>'
    a1 = store_page(store, URL + "art/1.html", f"<html><body><h1>解读</h1>{related if link_policy else ''}"
                    "</body></html>", kind="article", column=interp.url, title="《某某县优化营商环境若干措施》政策解读")
    a2 = store_page(store, URL + "art/2.html", "<html><body><h1>图解</h1></body></html>", kind="article",
                    column=interp.url, title="图解：今年的民生实事")
    return interp_ev(store, [policy, interp], pages=[a1, a2])


def test_interpretation_present_reports_linked_share(store):
    v = disclosure.interpretation_present(interp_case(store, link_policy=True))
    assert (v.status, v.value) == ("pass", True)
    assert "有2条信息" in v.detail and "抽查2篇解读，1篇关联了所解读的政策文件" in v.detail


def test_interpretation_title_naming_the_policy_counts_as_linked(store):
    v = disclosure.interpretation_present(interp_case(store, link_policy=False))
    assert "抽查2篇解读，1篇关联" in v.detail  # 《…》 in the title names a listed policy


def test_interpretation_absent_fails(store):
    v = disclosure.interpretation_present(interp_ev(store, [col("要闻动态", 1, items=2, category="news")]))
    assert (v.status, v.value) == ("fail", False)
    assert "未发现政策解读栏目" in v.detail


def test_interpretation_column_without_items_fails(store):
    v = disclosure.interpretation_present(interp_ev(store, [col("政策解读", 1, category="interpretation")]))
    assert (v.status, v.value) == ("fail", False)
    assert "无任何信息" in v.detail


def test_interpretation_column_broken_fails_and_unfetched_is_missing(store):
    broken = disclosure.interpretation_present(interp_ev(store, [col("政策解读", 1, category="interpretation",
                                                               status=404)]))
    assert (broken.status, broken.value) == ("fail", False) and "无法打开" in broken.detail
    with pytest.raises(MissingEvidence):
        unfetched = col("政策解读", 1, category="interpretation", status=None)
        disclosure.interpretation_present(interp_ev(store, [unfetched]))
