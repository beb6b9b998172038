"""Dates as portals write them: full, month-only, year-less; IDs, phone numbers and 文号 are not dates."""

from __future__ import annotations

from datetime import date

import pytest

from govweb.parse.dates import FoundDate, best_date, find_dates, has_date, meta_date

AS_OF = date(2018, 10, 15)


def day(y: int, m: int, d: int) -> FoundDate:
    return FoundDate(date(y, m, d), "day")


def month(y: int, m: int) -> FoundDate:
    return FoundDate(date(y, m, 1), "month")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-09-04", day(2018, 9, 4)),
        ("发布时间：2018/3/26", day(2018, 3, 26)),
        ("[2018-10-14]", day(2018, 10, 14)),
        ("2018年9月4日", day(2018, 9, 4)),
        ("2018 年 09 月 04 日", day(2018, 9, 4)),
        ("2018.09.04", day(2018, 9, 4)),
        ("2018-9-4 08:30", day(2018, 9, 4)),
        ("2018-10-15 10:22:01", day(2018, 10, 15)),
        ("２０１８－０９－０４", day(2018, 9, 4)),
        ("2018-12", None),  # future month on 2018-10-15
        ("2018-06", month(2018, 6)),
        ("2018年6月", month(2018, 6)),
        ("2018.06", month(2018, 6)),
        ("2018/06", month(2018, 6)),
        ("09-04", day(2018, 9, 4)),
        ("[09-04]", day(2018, 9, 4)),
        ("9月4日", day(2018, 9, 4)),
        ("10-15", day(2018, 10, 15)),
    ],
)
def test_single_forms(text, expected):
    assert find_dates(text, AS_OF) == ([expected] if expected else [])


def test_full_date_is_not_also_a_month_or_a_yearless_date():
    assert find_dates("2018-12-05", date(2019, 1, 1)) == [day(2018, 12, 5)]
    assert find_dates("2018年12月5日", date(2019, 1, 1)) == [day(2018, 12, 5)]
    assert find_dates("2018-12", date(2019, 1, 1)) == [month(2018, 12)]


@pytest.mark.parametrize(
    "text",
    [
        "某政发〔2018〕12号",
        "[2018]12号",
        "2018-12号",
        "电话：0571-87054321",
        "文章编号20180904123",
        "t20180904_3456001",
        "2018-02-30",
        "2018-13-01",
        "2018-13",
        "13-40",
        "00-00",
        "2018年工作要点",
        "版权所有 2008-2018",
        "1.2018.09.04",
        "1985-06-01",
        "第3-4版",
    ],
)
def test_not_dates(text):
    assert find_dates(text, AS_OF) == []


def test_future_dates_dropped_and_as_of_itself_kept():
    assert find_dates("2018-10-16", AS_OF) == []
    assert find_dates("2018-10-15", AS_OF) == [day(2018, 10, 15)]
    assert find_dates("2019年1月1日", AS_OF) == []
    assert has_date("2019年1月1日", AS_OF)
    assert not has_date("第12号", AS_OF)


@pytest.mark.parametrize(
    ("text", "as_of", "expected"),
    [
        ("12-30", date(2018, 1, 5), date(2017, 12, 30)),
        ("01-03", date(2018, 1, 5), date(2018, 1, 3)),
        ("01-05", date(2018, 1, 5), date(2018, 1, 5)),
        ("01-06", date(2018, 1, 5), date(2017, 1, 6)),
        ("12月31日", date(2018, 1, 1), date(2017, 12, 31)),
        ("02-29", date(2018, 3, 1), date(2016, 2, 29)),
        ("02-29", date(2020, 3, 1), date(2020, 2, 29)),
    ],
)
def test_yearless_dates_take_the_latest_year_not_after_as_of(text, as_of, expected):
    assert find_dates(text, as_of) == [FoundDate(expected, "day")]


def test_several_dates_in_reading_order():
    text = "发布：2018-09-04 更新：2018年9月10日 [09-01] 月报 2018.08"
    assert find_dates(text, AS_OF) == [day(2018, 9, 4), day(2018, 9, 10), day(2018, 9, 1), month(2018, 8)]


def test_best_date_prefers_latest_day_over_month():
    assert best_date([month(2018, 10), day(2018, 9, 4), day(2018, 9, 10)]) == day(2018, 9, 10)
    assert best_date([month(2018, 8), month(2018, 9)]) == month(2018, 9)
    assert best_date([]) is None


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"PubDate": "2018-09-04 10:22"}, day(2018, 9, 4)),
        ({"pubdate": "2018-09-04"}, day(2018, 9, 4)),
        ({"PublishDate": "2018年09月04日"}, day(2018, 9, 4)),
        ({"ArticlePublishDate": "2018/9/4"}, day(2018, 9, 4)),
        ({"firstpublishedtime": "2018-09-04-10:22:33"}, day(2018, 9, 4)),
        ({"FirstPublishedTime": "20180904102233"}, day(2018, 9, 4)),
        ({"keywords": "2018-09-04", "ColumnName": "通知"}, None),
        ({"PubDate": ""}, None),
        ({"PubDate": "未知"}, None),
        ({"PubDate": "2018-02-30"}, None),
    ],
)
def test_meta_date(meta, expected):
    assert meta_date(meta) == expected


def test_meta_date_is_not_filtered_as_future():
    assert meta_date({"PubDate": "2030-01-01"}) == day(2030, 1, 1)


def test_memoised_scans_depend_on_the_as_of_date_and_on_future_dates():
    """Short texts are memoised: the same text read against another as_of or asking for future dates is not
    answered from an earlier reading."""
    assert find_dates("09-04", AS_OF) == [day(2018, 9, 4)]
    assert find_dates("09-04", date(2018, 9, 1)) == [day(2017, 9, 4)]
    assert find_dates("2019-01-02", AS_OF) == []
    assert has_date("2019-01-02", AS_OF)  # a future date still dates a row
    long = "正文" * 200 + "2018年9月4日"  # past the memo's length: read directly, same answer
    assert find_dates(long, AS_OF) == [day(2018, 9, 4)]
    found = find_dates("2018-09-04", AS_OF)
    found.append(day(2000, 1, 1))  # a caller's list is its own, the memo is not changed through it
    assert find_dates("2018-09-04", AS_OF) == [day(2018, 9, 4)]
