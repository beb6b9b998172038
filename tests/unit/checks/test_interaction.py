"""互动交流 detectors on typed boards: status-word variants, 89/90/91-day backlog, median latency, replies that
only redirect (phrases, a phone number, 12345) versus substantive replies that mention a hotline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govweb.capture import Board, Column, Letter
from govweb.checks import interaction
from govweb.checks.registry import MissingEvidence
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, fixture_page, store_page

URL = "http://www.x.gov.cn/"
AS_OF = date(2018, 10, 15)
BOARD = URL + "hdjl/"
WORDS = {"answered": ["已办结", "已回复", "已答复", "办结"],
         "pending": ["处理中", "待处理", "已受理", "正在办理", "受理中"]}
DIRECT = "经核查，该路段积水系雨水管堵塞所致，县住建局已于6月4日完成疏通，并将纳入汛前排查计划。感谢您的监督。"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def day(age: int) -> str:
    return (AS_OF - timedelta(days=age)).isoformat()


def letter(n: int, asked_age: int, status: str = "已办结", replied_age: int | None = None, reply: str = "") -> Letter:
    return Letter(url=f"{BOARD}letter/{n}.html", title=f"关于第{n}号问题的咨询", asked=day(asked_age),
                  status_word=status, replied="" if replied_age is None else day(replied_age), reply_text=reply)


def ev_of(store, letters: list[Letter] | None, pages=(), cols=(), board_status: int = 200):
    home = store_page(store, URL, '<html><body><a href="/hdjl/">领导信箱</a></body></html>', kind="home")
    extra = list(pages)
    board = None
    if letters is not None:
        board = Board(url=BOARD, name="县长信箱", list_pages=[BOARD], letters=letters)
        list_page = store_page(store, BOARD, "<html><body><table class='letters'></table></body></html>", kind="board")
        list_page.status = board_status
        extra.append(list_page)
    return evidence(capture([home, *extra], board=board, columns=list(cols)), store)


# -- status words ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "state"), [
    ("已回复", True), ("已办结", True), ("【已答复】", True), ("已办结（已公开）", True),
    ("待处理", False), ("已受理", False), ("正在办理", False), ("处理中", False), ("未办结", False), ("待审核", False),
    ("", None), ("不予公开", None)])
@pytest.mark.parametrize("shared", [True, False], ids=["shared-parser", "own-rule"])
def test_status_word_variants(monkeypatch, word, state, shared):
    if not shared:  # the detector's own rule, used while govweb.parse.board is absent
        monkeypatch.setattr(interaction, "_shared_is_answered", None)
    assert interaction.status_state(word, WORDS) is state


def test_status_word_variants_with_the_catalogue_dictionary(store):
    words = ev_of(store, []).dictionary("status_words")
    variants = ("已回复", "已办结", "待处理", "已受理", "正在办理", "回复完成", "未办结")
    assert [interaction.status_state(w, words) for w in variants] == [True, True, False, False, False, True, False]


# -- interaction.channel ---------------------------------------------------------------------------------------

def test_channel_board_passes(store):
    v = interaction.channel(ev_of(store, [letter(1, 5)]))
    assert (v.status, v.value) == ("pass", True) and "县长信箱" in v.detail


def test_channel_interaction_column_or_offsite_platform_passes(store):
    onsite = Column(name="在线咨询", url=URL + "zxzx/", category="interaction", status=200)
    offsite = Column(name="12345政务服务热线", url="http://12345.zj.gov.cn/", category="interaction", offsite=True)
    assert interaction.channel(ev_of(store, None, cols=[onsite])).value is True
    assert interaction.channel(ev_of(store, None, cols=[offsite])).value is True


def test_channel_absent_or_broken_fails(store):
    broken_col = Column(name="领导信箱", url=URL + "ldxx/", category="interaction", status=404)
    v = interaction.channel(ev_of(store, None, cols=[broken_col]))
    assert (v.status, v.value) == ("fail", False) and "未发现" in v.detail
    broken_board = interaction.channel(ev_of(store, [], board_status=404))
    assert (broken_board.status, broken_board.value) == ("fail", False) and "无法打开" in broken_board.detail


# -- interaction.backlog ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("age", "status"), [(89, "pass"), (90, "pass"), (91, "fail")])
def test_backlog_boundary(store, age, status):
    letters = [letter(1, 3, "处理中"), letter(2, age, "待处理"), letter(3, 200, "已办结", 190)]
    v = interaction.backlog(ev_of(store, letters))
    assert (v.status, v.value) == (status, age)
    assert f"于{day(age)}提交（状态：待处理），已等待{age}天" in v.detail
    assert ("1条超过90天未答复" in v.detail) == (status == "fail")


def test_backlog_variants_and_letters_after_as_of(store):
    letters = [letter(1, 120, "正在办理"), letter(2, -10, "已受理"), letter(3, 300, "已回复", 290),
               letter(4, 100, "【已答复】")]
    v = interaction.backlog(ev_of(store, letters))
    assert (v.status, v.value) == ("fail", 120)


def test_backlog_nothing_pending_is_zero(store):
    v = interaction.backlog(ev_of(store, [letter(1, 400, "已办结", 390), letter(2, 2, "", 1, DIRECT)]))
    assert (v.status, v.value) == ("pass", 0)


def test_backlog_unknown_status_is_reported_not_counted(store):
    v = interaction.backlog(ev_of(store, [letter(1, 150, "不予公开"), letter(2, 10, "处理中")]))
    assert (v.status, v.value) == ("pass", 10)
    assert "1条留言状态无法识别" in v.detail


def test_backlog_without_board_or_letters(store):
    assert interaction.backlog(ev_of(store, None)).status == "not_applicable"
    with pytest.raises(MissingEvidence):
        interaction.backlog(ev_of(store, []))


# -- interaction.reply_latency ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("spans", "median", "status"), [([14, 15, 16], 15.0, "pass"), ([15, 16], 15.5, "fail"),
                                                          ([1, 2, 40], 2.0, "pass")])
def test_reply_latency_median(store, spans, median, status):
    letters = [letter(i, 100 + s, "已办结", 100) for i, s in enumerate(spans)]
    letters.append(letter(9, 20, "处理中"))  # pending: no reply date
    v = interaction.reply_latency(ev_of(store, letters))
    assert (v.status, v.value) == (status, median)
    assert isinstance(v.value, float) and f"{len(spans)}条已答复留言" in v.detail


def test_reply_latency_ignores_replies_after_as_of_and_inverted_dates(store):
    letters = [letter(1, 30, "已办结", 20), letter(2, 5, "已办结", -3), letter(3, 10, "已办结", 12)]
    v = interaction.reply_latency(ev_of(store, letters))
    assert (v.value, v.status) == (10.0, "pass")


def test_reply_latency_not_applicable_or_not_measured(store):
    assert interaction.reply_latency(ev_of(store, None)).status == "not_applicable"
    with pytest.raises(MissingEvidence):
        interaction.reply_latency(ev_of(store, [letter(1, 10, "处理中"), letter(2, 30, "已办结")]))


# -- interaction.indirect_reply --------------------------------------------------------------------------------

PHRASES = ["请咨询有关部门", "请向相关部门", "请向县相关部门", "请拨打", "请您拨打",
           "不属于本单位职责", "不属于我单位职责"]


@pytest.mark.parametrize(("reply", "indirect"), [
    ("请您拨打12345政务服务便民热线咨询。", True),
    ("此事不属于本单位职责，请向区相关部门反映。", True),
    ("网友您好！来信收悉。您反映的问题请咨询有关部门。感谢您对我们工作的支持！", True),
    ("您好，具体事宜可致电县人社局0571-88886666咨询。", True),  # a phone number to call, nothing else
    ("请咨询县行政服务中心，电话：88886666", True),
    (DIRECT, False),
    (DIRECT + "如有疑问，请拨打12345热线。", False),  # substance first, the hotline as a footnote
    ("已转县住建局办理。", False),
])
def test_indirect_reply_rule(reply, indirect):
    assert interaction.indirect(reply, PHRASES, 40) is indirect


def test_indirect_reply_counts_answered_letters(store):
    page = fixture_page(store, "interaction/letter_hanweb.html", BOARD + "letter/1.html", kind="letter")
    redirect = "网友您好！您反映的问题不属于我单位职责，请向县相关部门反映。感谢您对我们工作的支持！"
    letters = [letter(1, 30, "已办结", 27, redirect),
               letter(2, 40, "已回复", 35, "请您拨打12345政务服务便民热线咨询。"),
               letter(3, 50, "已办结", 45, DIRECT), letter(4, 60, "处理中", None, "已转交县住建局，请耐心等待。")]
    v = interaction.indirect_reply(ev_of(store, letters, pages=[page]))
    assert (v.status, v.value) == ("fail", 2)
    assert "检查3条留言答复，2条仅转介他处" in v.detail and "第1号问题" in v.detail
    assert v.evidence == [page.html_key]


def test_indirect_reply_none_passes(store):
    v = interaction.indirect_reply(ev_of(store, [letter(1, 30, "已办结", 27, DIRECT)]))
    assert (v.status, v.value) == ("pass", 0)


def test_indirect_reply_not_applicable_or_not_measured(store):
    assert interaction.indirect_reply(ev_of(store, None)).status == "not_applicable"
    with pytest.raises(MissingEvidence):
        interaction.indirect_reply(ev_of(store, [letter(1, 30, "已办结", 27)]))
