"""Letters on board list pages, letter pages, answered or pending status words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from govweb import catalogue
from govweb.capture import Letter
from govweb.parse.board import is_answered, letter_detail, letters

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "site"
AS_OF = date(2018, 10, 15)


@pytest.fixture(scope="module")
def words() -> dict:
    return catalogue.default().dictionary("status_words")


def tree(name: str) -> LexborHTMLParser:
    return LexborHTMLParser((SITE / name).read_text(encoding="utf-8"))


def test_table_board_uses_header_columns(words):
    found = letters(tree("board_table.html"), "http://www.mm.gov.cn/hdjl/szxx/", words, AS_OF)
    assert [x.status_word for x in found] == ["已办结", "处理中", "已受理", "正在办理", "待处理", "已回复"]
    assert [x.asked for x in found] == ["2018-10-09", "2018-10-08", "2018-09-28", "2018-09-20", "2018-07-03",
                                        "2018-05-30"]
    assert [x.replied for x in found] == ["2018-10-11", "", "", "", "", "2018-06-01"]
    first = found[0]
    assert first.url == "http://www.mm.gov.cn/hdjl/szxx/201810/t20181011_501.html"
    assert first.title == "关于某某路段夜间施工噪音扰民的问题"  # the full title attribute, not the truncated text
    # a month inside the title ("2018年6月工资") is not the asked date
    assert found[4].title == "反映2018年6月工资拖欠" and found[4].asked == "2018-07-03"
    assert all(isinstance(x, Letter) for x in found)


def test_list_board_rows(words):
    found = letters(tree("board_list.html"), "http://www.mm.gov.cn/zmhd/zxts/", words, AS_OF)
    rows = {x.url.rsplit("=", 1)[1]: x for x in found}
    assert set(rows) == {"1203", "1202", "1201", "88", "87"}
    # two dates, no labels: the first is the letter's, the second the reply's
    assert (rows["1203"].asked, rows["1203"].replied, rows["1203"].status_word) == ("2018-10-08", "2018-10-12",
                                                                                    "已回复")
    assert (rows["1202"].asked, rows["1202"].replied, rows["1202"].status_word) == ("2018-09-30", "", "待回复")
    # a year-less date takes the year before as_of; the month in the title is ignored
    assert rows["1201"].asked == "2018-09-26"
    # labelled dates, whatever their order
    assert (rows["88"].asked, rows["88"].replied, rows["88"].status_word) == ("2018-09-04", "2018-09-20", "已办结")
    assert (rows["87"].asked, rows["87"].replied, rows["87"].status_word) == ("2018-08-30", "", "已转办")
    assert rows["1202"].url == "http://www.mm.gov.cn/zmhd/zxts/show.jsp?id=1202"


def test_nav_and_pager_links_are_not_letters(words):
    found = letters(tree("board_list.html"), "http://www.mm.gov.cn/zmhd/zxts/", words, AS_OF)
    assert not any(x.title in ("首页", "政民互动", "下一页", "尾页") for x in found)
    assert len(found) == len({x.url for x in found})


def test_letter_detail_table(words):
    got = letter_detail(tree("letter_table.html"), words, AS_OF)
    assert (got.asked, got.replied, got.status_word) == ("2018-10-09", "2018-10-11", "已办结")
    assert got.reply_text.startswith("您好！经核查") and got.reply_text.endswith("感谢您的监督。")
    assert got.url == "" and got.title == ""


def test_letter_detail_blocks(words):
    got = letter_detail(tree("letter_blocks.html"), words, AS_OF)
    assert (got.asked, got.replied, got.status_word) == ("2018-09-04", "2018-09-20", "已回复")
    assert got.reply_text.startswith("您好！经调查") and "12345" in got.reply_text


def test_letter_detail_pending_has_no_reply(words):
    got = letter_detail(tree("letter_pending.html"), words, AS_OF)
    assert (got.asked, got.replied, got.status_word, got.reply_text) == ("2018-09-30", "", "待回复", "")


@pytest.mark.parametrize(("word", "answered"), [
    ("已办结", True), ("已回复", True), ("【已答复】", True), ("办结", True), ("处理中", False), ("已受理", False),
    ("正在办理", False), ("待处理", False), ("未办结", False), ("已转办", False), ("已回复办结", True),
    ("不予受理", None), ("", None), ("公开", None),
])
def test_is_answered(words, word, answered):
    assert is_answered(word, words) is answered


def test_scripted_links_and_icon_status(words):
    html = """<html><body><table>
    <tr><th>留言主题</th><th>留言时间</th><th>状态</th></tr>
    <tr><td><a href="javascript:void(0)" onclick="window.open('/gbook/show.jsp?id=31')">关于公交线路调整的建议</a></td>
        <td>2018-09-12</td><td><img src="/images/yhf.gif" alt="已回复"></td></tr>
    <tr><td><a href="javascript:openLetter('/gbook/show.jsp?id=30');">垃圾清运不及时</a></td>
        <td>2018-09-10</td><td><img src="/images/whf.gif" title="未回复"></td></tr>
    <tr><td><a href="javascript:void(0)">无法打开的信件</a></td><td>2018-09-09</td><td>已回复</td></tr>
    </table></body></html>"""
    found = letters(LexborHTMLParser(html), "http://www.mm.gov.cn/gbook/list.jsp", words, AS_OF)
    assert [(x.url, x.status_word, x.asked) for x in found] == [
        ("http://www.mm.gov.cn/gbook/show.jsp?id=31", "已回复", "2018-09-12"),
        ("http://www.mm.gov.cn/gbook/show.jsp?id=30", "未回复", "2018-09-10"),
    ]


def test_negated_answered_words_are_pending():
    from govweb.parse.board import is_answered

    words = {"answered": ["已办结", "办结", "已回复"], "pending": ["处理中"]}
    assert is_answered("尚未办结", words) is False and is_answered("未回复", words) is False
    assert is_answered("已办结", words) is True and is_answered("办结", words) is True


CAPTURES = Path(__file__).resolve().parents[2] / "fixtures" / "captures"


def test_hanweb_datastore_board_read_under_the_static_column_heads(words):
    # the letters ship as <tr> records in a <datastore> script; the heads sit in a table of their own above
    html = (CAPTURES / "interaction" / "board_hanweb_datastore.html").read_text(encoding="utf-8")
    found = letters(LexborHTMLParser(html), "http://www.site.test/col/col1301/index.html", words, AS_OF)
    assert [x.asked for x in found] == ["2018-10-12", "2018-10-08", "2018-03-05"]
    assert [x.replied for x in found] == ["", "2018-10-12", ""]
    assert [x.status_word for x in found] == ["已受理", "已办结", "办理中"]
    assert found[2].url == "http://www.site.test/jact/front/mailpubdetail.do?transactId=18077&sysid=7"
    # without the heads table, rows are read by their dates in reading order and their status words
    heads = '<table width="100%" border="0" cellspacing="0" class="mail_head">'
    bare = html.split(heads)[0] + html.split("</table>", 1)[1]
    rows = letters(LexborHTMLParser(bare), "http://www.site.test/col/col1301/index.html", words, AS_OF)
    assert [(x.asked, x.replied, x.status_word) for x in rows] == [
        ("2018-10-12", "", "已受理"), ("2018-10-08", "2018-10-12", "已办结"), ("2018-03-05", "", "办理中")]


def test_asp_board_in_gbk_with_a_bracketed_pager(words):
    # an old ASP 县长信箱 (GBK, table rows, status in a <font>, reply date column) whose pager writes every label
    # in brackets ([首页] [上一页] [下一页] [尾页]) beside a <select> jump menu: the second page is found too
    from govweb.parse.pagination import pagination

    html = (CAPTURES / "interaction" / "board_asp_gbk_pager.html").read_bytes().decode("gbk")
    url = "http://hd.site.test/mail/List.asp"
    found = letters(LexborHTMLParser(html), url, words, AS_OF)
    assert [(x.asked, x.status_word, x.replied) for x in found[:3]] == [
        ("2018-10-09", "待处理", ""), ("2018-10-02", "已回复", "2018-10-08"), ("2018-09-26", "已回复", "2018-09-30")]
    assert found[0].url == "http://hd.site.test/mail/ShowMail.asp?id=900"
    pg = pagination(LexborHTMLParser(html), html, url)
    assert (pg.next_url, pg.last_url, pg.total_pages, pg.current) == (
        "http://hd.site.test/mail/List.asp?page=2", "http://hd.site.test/mail/List.asp?page=2", 2, 1)
