"""content.typos, content.outdated_agency and privacy.personal_data on pages as portals publish them."""

from __future__ import annotations

from datetime import date

import pytest

from govweb.capture import DatedItem
from govweb.checks import content
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

HOME = "http://www.hangzhou.gov.cn/"
ART = HOME + "art/2018/8/20/1.html"
OLD = HOME + "art/2017/11/2/2.html"
COL = HOME + "col/bmdt/"
LETTER = HOME + "hdjl/letter/1.html"
ITEMS = [DatedItem(title="市自然资源和规划局召开三季度工作推进会", url=ART, date="2018-08-20"),
         DatedItem(title="市国土资源局开展土地执法检查", url=OLD, date="2017-11-02"),
         DatedItem(title="平原县国土资源局按步就班推进确权登记", url=HOME + "art/2018/9/1/3.html", date="2018-09-01")]


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


@pytest.fixture
def site(store):
    pages = [store_page(store, HOME, "<p>首页</p>", kind="home"),
             fixture_page(store, "content/column_list.html", COL, kind="column", items=ITEMS),
             fixture_page(store, "content/article_trs.html", ART, kind="article", column=COL,
                          meta={"PubDate": "2018-08-20 09:30"}),
             fixture_page(store, "content/article_2017.html", OLD, kind="article", column=COL),
             fixture_page(store, "content/letter.html", LETTER, kind="letter")]
    return evidence(capture(pages), store)


def page_ev(store, body: str, *, kind="article", as_of="2018-10-15", meta=None, url=ART):
    pages = [store_page(store, HOME, "<p>首页</p>", kind="home"),
             store_page(store, url, f"<html><body>{body}</body></html>", kind=kind, meta=meta or {})]
    return evidence(capture(pages, as_of=as_of), store)


# -- typos -----------------------------------------------------------------------------------------

def test_typos_counted_with_words_and_pages(site):
    v = content.typos(site)
    # article: 学习惯彻 + 再接再励; list page: 按步就班 in the title of an unstored article; footer: 学习惯彻
    assert (v.status, v.value) == ("fail", 4)
    assert "“学习惯彻”应为“学习贯彻”" in v.detail and "“再接再励”应为“再接再厉”" in v.detail
    assert ART in v.detail and v.evidence


def test_typos_in_a_template_footer_count_once(store):
    pages = [store_page(store, HOME, "<p>首页</p><footer>学习惯彻新思想</footer>", kind="home")]
    pages += [store_page(store, f"{HOME}art/{i}.html", f"<p>正文{i}</p><footer>学习惯彻新思想</footer>",
                         kind="article") for i in range(4)]
    assert content.typos(evidence(capture(pages), store)).value == 1


def test_same_typo_in_two_articles_counts_twice(store):
    pages = [store_page(store, HOME, "<p>首页</p>", kind="home")]
    pages += [store_page(store, f"{HOME}art/{i}.html", f"<p>第{i}篇：要学习惯彻上级部署</p>", kind="article")
              for i in range(2)]
    assert content.typos(evidence(capture(pages), store)).value == 2


def test_no_typos(store):
    v = content.typos(page_ev(store, "<p>要学习贯彻上级部署，再接再厉。</p>"))
    assert (v.status, v.value) == ("pass", 0)


def test_typos_letters_are_not_content_pages(store):
    v = content.typos(page_ev(store, "<p>学习惯彻</p>", kind="letter"))
    assert v.value == 0


def test_no_pages_at_all_is_missing_evidence(store):
    with pytest.raises(MissingEvidence):
        content.typos(evidence(capture([]), store))


# -- outdated agency names -------------------------------------------------------------------------

def test_outdated_agency_on_fixture_site(site):
    v = content.outdated_agency(site)
    # 杭州市环境保护局 in the 2018-08-20 article; 平原县国土资源局 in a 2018-09-01 title on the list page.
    # Not: 原国土资源局 (history), 国家税务总局杭州市税务局 (new name), the 2017 article, its title on the list.
    assert (v.status, v.value) == ("fail", 2)
    assert "环境保护局" in v.detail and "国土资源局" in v.detail


def test_outdated_agency_before_abolition_by_meta_pubdate(store):
    v = content.outdated_agency(page_ev(store, "<p>市国土资源局召开会议</p>", meta={"PubDate": "2018-02-01"}))
    assert v.value == 0


def test_outdated_agency_after_abolition_by_meta_pubdate(store):
    v = content.outdated_agency(page_ev(store, "<p>市国土资源局召开会议</p>", meta={"pubdate": "2018-04-01"}))
    assert v.value == 1


def test_outdated_agency_undated_page_uses_as_of(store):
    body = "<p>联系单位：浙江省国家税务局办公室。</p>"
    assert content.outdated_agency(page_ev(store, body, as_of="2018-10-15")).value == 1
    assert content.outdated_agency(page_ev(store, body, as_of="2018-06-01")).value == 0  # not yet abolished


def test_outdated_agency_boundary_day_of_abolition(store):
    body = "<p>市国土资源局召开会议</p>"
    assert content.outdated_agency(page_ev(store, body, meta={"PubDate": "2018-03-17"})).value == 0
    assert content.outdated_agency(page_ev(store, body, meta={"PubDate": "2018-03-18"})).value == 1


@pytest.mark.parametrize("body", [
    "<p>国家税务总局杭州市税务局召开会议</p>",
    "<p>将原杭州市国土资源局的职责整合</p>",
    "<p>（原市卫生和计划生育委员会）</p>",
    "<p>市国土资源局更名为市自然资源和规划局</p>",
    "<p>会议指出，原省国家税务局、省地方税务局合并后，征管效率明显提高。</p>",
    "<p>由原环境保护局承担的职责</p>",
])
def test_outdated_agency_false_positives_avoided(store, body):
    assert content.outdated_agency(page_ev(store, body)).value == 0


@pytest.mark.parametrize("body", [
    "<p>太原市国土资源局发布公告</p>",
    "<p>平原县国土资源局发布公告</p>",
    "<p>原则上，各县国土资源局应当于月底前上报。</p>",
    "<p>原市国土资源局已更名。今天，市环境保护局召开会议。</p>",
])
def test_outdated_agency_place_name_or_other_yuan_still_counts(store, body):
    assert content.outdated_agency(page_ev(store, body)).value == 1


def test_new_name_pattern():
    assert content.new_name_pattern("国家税务总局…税务局").fullmatch("国家税务总局杭州市税务局")


# -- personal data ---------------------------------------------------------------------------------

def test_personal_data_on_fixture_site(site):
    v = content.personal_data(site)
    # article: valid ID 3301…1231 and mobile 13812345678; letter: 15957112345 and ID 1101…8769.
    # Not: ID failing its checksum, 13906512345 after 咨询电话, 13757100000 after 联系方式, URL and long runs.
    assert (v.status, v.value) == ("fail", 4)
    assert "3301**********1231" in v.detail and "138****5678" in v.detail
    assert "330106198503121231" not in v.detail and "13906512345" not in v.detail
    assert LETTER in v.detail and len(v.evidence) == 2


def test_personal_data_distinct_numbers(store):
    pages = [store_page(store, HOME, "<p>首页</p>", kind="home")]
    pages += [store_page(store, f"{HOME}art/{i}.html", "<p>经办人手机：13812345678</p>", kind="article")
              for i in range(3)]
    assert content.personal_data(evidence(capture(pages), store)).value == 1


def test_personal_data_checksum_failures_do_not_count(store):
    assert content.personal_data(page_ev(store, "<p>身份证：330106198503121232</p>")).value == 0


def test_personal_data_lowercase_x_check_digit(store):
    number = next(f"11010119900307{n:03d}" for n in range(1000)
                  if content.valid_id(f"11010119900307{n:03d}X"))
    v = content.personal_data(page_ev(store, f"<p>身份证：{number}x</p>"))
    assert v.value == 1


def test_personal_data_office_labels(store):
    body = "<p>服务热线：13900001111；传真：0571-1234567；值班电话 13900002222</p>"
    assert content.personal_data(page_ev(store, body)).value == 0


def test_personal_data_label_far_away_does_not_protect(store):
    body = "<p>联系电话：0571-1234567。本次抽查中，违规人员李某（13900003333）已被处理。</p>"
    assert content.personal_data(page_ev(store, body)).value == 1


def test_personal_data_home_page_is_not_scanned(store):
    pages = [store_page(store, HOME, "<p>手机13812345678</p>", kind="home")]
    with pytest.raises(MissingEvidence):
        content.personal_data(evidence(capture(pages), store))


def test_mask():
    assert content.mask("330106198503121231") == "3301**********1231"
    assert content.mask("13812345678") == "138****5678"


def test_as_of_is_a_date(site):
    assert isinstance(site.as_of, date)
