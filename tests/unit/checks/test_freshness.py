"""freshness.homepage and freshness.columns on captures as the crawler stores them (TRS GBK home page with an
iframe list, typed columns), with the 13/14/15-day boundaries, month-only dates, future dates, duplicates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govweb.capture import Column, DatedItem
from govweb.checks import freshness
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"
AS_OF = date(2018, 10, 15)


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def day(age: int) -> str:
    return (AS_OF - timedelta(days=age)).isoformat()


def item(age: int | None, title: str = "县政府召开常务会议研究部署工作", n: int = 0, **kw) -> DatedItem:
    return DatedItem(title=title, url=f"{URL}art/{n}.html", date="" if age is None else day(age), **kw)


def home_ev(store, items: list[DatedItem], body: str = "<p>首页</p>", extra_pages=(), **cap):
    home = store_page(store, URL, f"<html><body>{body}</body></html>", kind="home", items=items)
    return evidence(capture([home, *extra_pages], **cap), store)


# -- freshness.homepage ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "status"), [(13, "pass"), (14, "pass"), (15, "fail")])
def test_homepage_boundary(store, age, status):
    v = freshness.homepage(home_ev(store, [item(age), item(age + 30, n=1)]))
    assert (v.status, v.value) == (status, age)
    assert f"首页最新信息发布于{day(age)}，距评估日{age}天" in v.detail
    assert ("超过14天未更新" in v.detail) == (status == "fail")


def test_homepage_ignores_future_dates(store):
    v = freshness.homepage(home_ev(store, [item(-3, n=1), item(20)]))
    assert (v.status, v.value) == ("fail", 20)
    assert "1条信息日期晚于评估日" in v.detail


def test_homepage_without_dated_items_fails_with_none(store):
    v = freshness.homepage(home_ev(store, [item(None)]))
    assert (v.status, v.value) == ("fail", None)
    assert "首页未发现带日期的信息" in v.detail


def test_homepage_month_only_dates_count_as_month_end_when_alone(store):
    # 2018-09 (stored as 2018-09-01, precision month): counts as 2018-09-30, 15 days before as_of
    v = freshness.homepage(home_ev(store, [DatedItem(title="九月工作简报汇总发布", url=URL + "a", date="2018-09-01",
                                                     precision="month")]))
    assert (v.status, v.value) == ("fail", 15)
    assert "2018-09" in v.detail and "按当月最后一天计" in v.detail


def test_homepage_month_only_in_as_of_month_is_capped_at_as_of(store):
    v = freshness.homepage(home_ev(store, [DatedItem(title="十月工作简报汇总发布", url=URL + "a", date="2018-10-01",
                                                     precision="month")]))
    assert (v.status, v.value) == ("pass", 0)


def test_homepage_day_dates_win_over_month_only(store):
    month = DatedItem(title="十月工作简报汇总发布", url=URL + "m", date="2018-10-01", precision="month")
    v = freshness.homepage(home_ev(store, [month, item(20)]))
    assert (v.status, v.value) == ("fail", 20)


def test_homepage_reads_iframe_lists(store):
    frame = store_page(store, URL + "frame/notice.html", "<html><body>x</body></html>", kind="other",
                       items=[item(2, "关于国庆期间道路临时交通管制的通告")])
    body = '<iframe src="/frame/notice.html"></iframe>'
    v = freshness.homepage(home_ev(store, [item(30)], body=body, extra_pages=[frame]))
    assert (v.status, v.value) == ("pass", 2)
    assert frame.html_key in v.evidence and "交通管制" in v.detail


def test_homepage_trs_gbk_page_without_crawler_items(store):
    """A TRS layout-table home page in GB2312, its notices in an iframe: the stored DOMs are read; the
    header's 今天是2018年10月15日 and its navigation bar are not news items."""
    home = fixture_page(store, "publishing/home_trs_gbk.html", URL, kind="home", encoding="gb18030")
    frame = fixture_page(store, "publishing/notice_frame.html", URL + "module/web/jpage/notice_frame.html")
    v = freshness.homepage(evidence(capture([home, frame]), store))
    assert (v.status, v.value) == ("pass", 6)  # 2018/10/9 in the iframe
    assert "2018-10-09" in v.detail and "交通管制" in v.detail


def test_homepage_trs_gbk_without_the_iframe_page_uses_the_tables(store):
    home = fixture_page(store, "publishing/home_trs_gbk.html", URL, kind="home", encoding="gb18030")
    v = freshness.homepage(evidence(capture([home]), store))
    assert (v.status, v.value) == ("pass", 14)  # [2018-10-01] in the 要闻动态 table
    assert "安全生产" in v.detail


def test_homepage_without_stored_home_is_missing_evidence(store):
    with pytest.raises(MissingEvidence):
        freshness.homepage(evidence(capture([]), store))


# -- freshness.columns -----------------------------------------------------------------------------------------

def col(name: str, category: str, ages: list[int | None], n: int = 0, **kw) -> Column:
    kw.setdefault("status", 200)
    return Column(name=name, url=f"{URL}col/col{n}/index.html", category=category,
                  items=[item(a, n=n * 100 + i) for i, a in enumerate(ages)], **kw)


def cols_ev(store, columns: list[Column]):
    home = store_page(store, URL, "<html><body>首页</body></html>", kind="home")
    return evidence(capture([home], columns=columns), store)


@pytest.mark.parametrize(("age", "stale"), [(13, 0), (14, 0), (15, 1)])
def test_columns_news_boundary(store, age, stale):
    v = freshness.columns(cols_ev(store, [col("工作动态", "news", [age, age + 3], 1)]))
    assert (v.status, v.value) == ("pass" if stale == 0 else "fail", stale)


@pytest.mark.parametrize(("category", "limit"), [("notice", 183), ("policy", 183), ("interpretation", 183),
                                                 ("plan", 365)])
def test_columns_limits_per_kind(store, category, limit):
    ok = freshness.columns(cols_ev(store, [col("栏目", category, [limit], 1)]))
    late = freshness.columns(cols_ev(store, [col("栏目", category, [limit + 1], 1)]))
    assert (ok.status, ok.value, late.status, late.value) == ("pass", 0, "fail", 1)
    assert f"超过{limit}天" in late.detail


def test_columns_detail_names_each_stale_column(store):
    columns = [col("通知公告", "notice", [200], 1), col("政策文件", "policy", [10], 2),
               col("部门动态", "news", [30], 3)]
    v = freshness.columns(cols_ev(store, columns))
    assert (v.status, v.value) == ("fail", 2)
    assert v.detail.startswith("2个栏目超期未更新：")
    assert f"通知公告（最新{day(200)}，超过183天）" in v.detail and f"部门动态（最新{day(30)}，超过14天）" in v.detail
    assert "政策文件" not in v.detail


def test_columns_duplicate_nav_and_block_count_once(store):
    nav = col("通知公告", "notice", [200], 1, found_in="nav")
    block = col("通知公告", "notice", [201], 1, found_in="block")
    block.url = nav.url.replace("index.html", "")  # the home block's 更多 link without the index file
    v = freshness.columns(cols_ev(store, [nav, block]))
    assert v.value == 1


def test_columns_empty_undated_failed_and_untimed_are_not_judged(store):
    columns = [col("通知公告", "notice", [], 1), col("图片新闻", "news", [None, None], 2),
               col("部门动态", "news", [40], 3, status=404), col("应急管理", "other", [900], 4),
               col("政府采购", "key_area", [900], 5), col("要闻动态", "news", [1], 6)]
    v = freshness.columns(cols_ev(store, columns))
    assert (v.status, v.value) == ("pass", 0)
    assert "检查1个栏目" in v.detail and "1个栏目列表无日期" in v.detail


def test_columns_future_and_month_only_dates(store):
    future = col("工作动态", "news", [-5, 20], 1)  # the newest item is dated after as_of: ignored
    monthly = Column(name="统计信息", url=URL + "col/tj/", category="plan", status=200,
                     items=[DatedItem(title="2017年10月统计月报发布", url=URL + "tj/1.html", date="2017-10-01",
                                      precision="month")])  # counts as 2017-10-31: 349 days, within 365
    v = freshness.columns(cols_ev(store, [future, monthly]))
    assert (v.status, v.value) == ("fail", 1)
    assert "工作动态" in v.detail and "统计信息" not in v.detail


def test_columns_without_any_dated_timed_column_is_missing_evidence(store):
    with pytest.raises(MissingEvidence):
        freshness.columns(cols_ev(store, [col("图片新闻", "news", [None], 1), col("应急管理", "other", [3], 2)]))


def test_columns_evidence_is_the_stale_columns_list_page(store):
    c = col("通知公告", "notice", [300], 1)
    page = store_page(store, c.url, "<html><body><ul><li>旧通知</li></ul></body></html>", kind="column", column=c.url)
    home = store_page(store, URL, "<html><body>首页</body></html>", kind="home")
    v = freshness.columns(evidence(capture([home, page], columns=[c]), store))
    assert v.evidence == [page.html_key]
