"""互动交流 detectors: a letters/consultation channel, its backlog, reply latency and indirect replies.

Letters come from the capture's board (the first and last list pages, the sampled letters completed from their
own pages). A letter's state comes from its status word (dictionary status_words; exact word first, then the
longest word it contains, negations 未/待/尚未 meaning pending); a letter without a known status word counts as
answered when it shows a reply date or text. Letters asked after the as-of date are ignored.
"""

from __future__ import annotations

import re
from datetime import date
from statistics import median

from govweb.capture import Capture, Letter
from govweb.checks._dates import iso, short
from govweb.checks.columns import loaded, unique_columns
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector

try:  # the shared parser (govweb.parse.board), when present, decides status words for crawler and detectors alike
    from govweb.parse.board import is_answered as _shared_is_answered
except ImportError:  # pragma: no cover - depends on the parse package's progress
    _shared_is_answered = None

NEGATION = re.compile(r"^(未|待|尚未|没有|正在)")
PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}[-－—\s]?\d{7,8}|1[3-9]\d{9}|12345|96\d{3}|(?!19|20)\d{7,8})(?!\d)")
REDIRECT_VERBS = ("咨询", "联系", "拨打", "致电", "反映", "热线", "电话")
SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;\n]?")
# Courtesy that carries no substance (removed before measuring what a reply says).
COURTESY = (
    "网友您好", "尊敬的网友", "您好", "你好", "来信收悉", "您的来信已收悉", "感谢您的来信",
    "感谢您对我们工作的关心和支持", "感谢您对我们工作的支持", "感谢您对我们工作的关心",
    "感谢您的关注", "感谢您的支持", "感谢您的理解", "谢谢", "祝您生活愉快", "祝您工作顺利", "此复",
)
PUNCT = re.compile(r"[\s，。！？!?、；;：:,.“”\"'（）()《》—\-－]+")


# -- letter states ---------------------------------------------------------------------------------------------

def status_state(word: str, words: dict) -> bool | None:
    """True answered, False pending, None unknown, for a board's status word as written.

    A word opening with a negation (未办结, 待审核, 尚未回复) is pending even though it holds an answered word."""
    w = re.sub(r"[\s\[\]【】（）()]+", "", word or "")
    if not w:
        return None
    answered, pending = list(words.get("answered") or []), list(words.get("pending") or [])
    if NEGATION.match(w) and w not in answered:
        return False
    if _shared_is_answered is not None:
        return _shared_is_answered(word, words)
    if w in answered:
        return True
    if w in pending:
        return False
    matches = [(len(x), True) for x in answered if x in w] + [(len(x), False) for x in pending if x in w]
    return max(matches)[1] if matches else None  # the longest word wins; on a tie, answered


def answered(letter: Letter, words: dict) -> bool | None:
    state = status_state(letter.status_word, words)
    if state is None and (letter.replied or letter.reply_text.strip()):
        return True
    return state


def _letters(cap: Capture, as_of: date) -> list[Letter]:
    """The board's letters asked on or before as_of (undated letters kept), deduplicated by url/title."""
    board = cap.board
    out: dict[tuple[str, str, str], Letter] = {}
    for x in board.letters if board else []:
        asked = iso(x.asked)
        if asked is not None and asked > as_of:
            continue
        out.setdefault((x.url or x.title, x.title, x.asked), x)
    return list(out.values())


def _board_keys(cap: Capture) -> list[str]:
    return [p.html_key for p in cap.pages_of("board") if p.html_key]


def _letter_key(cap: Capture, letter: Letter) -> list[str]:
    page = cap.page(letter.url) if letter.url else None
    return [page.html_key] if page is not None and page.html_key else []


def _no_board() -> Verdict:
    return Verdict.not_applicable("网站未发现留言板，无留言可判断（互动交流渠道检查另行判断）")


# -- interaction.channel ---------------------------------------------------------------------------------------

def _board_works(cap: Capture) -> bool:
    pages = cap.pages_of("board")
    return bool(cap.board.letters) or not pages or any(p.status is not None and p.status < 400 for p in pages)


@detector("interaction.channel")
def channel(ev: SiteEvidence) -> Verdict:
    """A letters/consultation channel exists: the letters board (its list page loaded), or an interaction column
    (信箱/留言/咨询/投诉/12345) whose page loaded — an offsite one (a provincial 12345 platform) counts when it was
    not found broken."""
    cap = ev.capture
    if cap.board is not None and _board_works(cap):
        name = cap.board.name or "留言板"
        return Verdict.judged(True, True, f"网站设有{name}（{cap.board.url}）", _board_keys(cap)[:1])
    for col in unique_columns(cap, ("interaction",)):
        state = loaded(cap, col)
        if state is True or (col.offsite and state is None):
            where = "（链接至其他网站）" if col.offsite else ""
            return Verdict.judged(True, True, f"网站设有互动交流栏目：{col.name}{where}")
    if cap.board is not None:
        return Verdict.judged(False, False, f"留言板页面无法打开（{cap.board.url}）", _board_keys(cap)[:1])
    return Verdict.judged(False, False, "未发现领导信箱、留言板、咨询投诉等互动交流渠道", [ev.home.html_key])


# -- interaction.backlog ---------------------------------------------------------------------------------------

@detector("interaction.backlog")
def backlog(ev: SiteEvidence) -> Verdict:
    """Age in days of the oldest pending letter (status word pending, asked on or before as_of); 0 when none.
    Fails above max_wait_days. Not applicable without a board; not measured when the board shows no letters."""
    cap = ev.capture
    if cap.board is None:
        return _no_board()
    max_wait = int(ev.threshold("interaction.backlog", "max_wait_days"))
    words = ev.dictionary("status_words")
    letters = _letters(cap, ev.as_of)
    if not letters:
        raise MissingEvidence("留言板未列出任何留言")
    pending = [(ev.as_of - d, x) for x in letters
               if answered(x, words) is False and (d := iso(x.asked)) is not None]
    unknown = sum(1 for x in letters if answered(x, words) is None)
    note = f"（另有{unknown}条留言状态无法识别）" if unknown else ""
    if not pending:
        return Verdict.judged(True, 0, f"检查{len(letters)}条留言，未发现未办结留言{note}", _board_keys(cap))
    wait, oldest = max(pending, key=lambda p: p[0])
    days = wait.days
    late = sum(1 for w, _ in pending if w.days > max_wait)
    detail = (f"检查{len(letters)}条留言，{len(pending)}条未办结，最早一条“{short(oldest.title, 24)}”"
              f"于{oldest.asked}提交（状态：{oldest.status_word or '未答复'}），已等待{days}天")
    if late:
        detail += f"；{late}条超过{max_wait}天未答复"
    return Verdict.judged(days <= max_wait, days, detail + note, _board_keys(cap) + _letter_key(cap, oldest))


# -- interaction.reply_latency ---------------------------------------------------------------------------------

@detector("interaction.reply_latency")
def reply_latency(ev: SiteEvidence) -> Verdict:
    """Median days from asked to replied over answered letters showing both dates (float, one decimal); fails
    above max_median_days. Not applicable without a board; not measured when no answered letter shows both."""
    cap = ev.capture
    if cap.board is None:
        return _no_board()
    limit = float(ev.threshold("interaction.reply_latency", "max_median_days"))
    words = ev.dictionary("status_words")
    spans: list[int] = []
    keys: list[str] = []
    for x in _letters(cap, ev.as_of):
        asked, replied = iso(x.asked), iso(x.replied)
        if asked is None or replied is None or replied < asked or replied > ev.as_of or not answered(x, words):
            continue
        spans.append((replied - asked).days)
        keys += _letter_key(cap, x)
    if not spans:
        raise MissingEvidence("留言板中没有同时标明留言日期和答复日期的已答复留言")
    days = round(float(median(spans)), 1)
    detail = f"{len(spans)}条已答复留言的答复用时中位数为{days:g}天（最短{min(spans)}天，最长{max(spans)}天）"
    if days > limit:
        detail += f"，超过{limit:g}天"
    return Verdict.judged(days <= limit, days, detail, keys)


# -- interaction.indirect_reply --------------------------------------------------------------------------------

def _redirect_sentence(sentence: str, phrases: list[str]) -> bool:
    if any(p in sentence for p in phrases):
        return True
    return bool(PHONE.search(sentence)) and any(v in sentence for v in REDIRECT_VERBS)


def substance(text: str, phrases: list[str]) -> tuple[bool, int]:
    """(the reply redirects somewhere, characters of substance besides the redirecting sentences and courtesy)."""
    redirects, rest = False, []
    for sentence in SENTENCE.findall(text or ""):
        if _redirect_sentence(sentence, phrases):
            redirects = True
            continue
        rest.append(sentence)
    body = "".join(rest)
    for c in COURTESY:
        body = body.replace(c, "")
    return redirects, len(PUNCT.sub("", body))


def indirect(text: str, phrases: list[str], max_chars: int) -> bool:
    """A reply that only redirects: a redirecting phrase (or a phone number to call) and at most `max_chars`
    of other substance."""
    redirects, chars = substance(text, phrases)
    return redirects and chars <= max_chars


@detector("interaction.indirect_reply")
def indirect_reply(ev: SiteEvidence) -> Verdict:
    """Answered letters whose reply only redirects the writer (dictionary indirect_reply_phrases: a phrase, or a
    phone number / 12345 to call, with at most max_substantive_chars of other text). Not applicable without a
    board; not measured when no answered letter's reply text was captured."""
    cap = ev.capture
    if cap.board is None:
        return _no_board()
    conf = ev.dictionary("indirect_reply_phrases") or {}
    phrases = list(conf.get("phrases") or [])
    max_chars = int(conf.get("max_substantive_chars", 40))
    words = ev.dictionary("status_words")
    replies = [x for x in _letters(cap, ev.as_of) if x.reply_text.strip() and answered(x, words) is not False]
    if not replies:
        raise MissingEvidence("未采集到带答复内容的留言页面")
    bad = [x for x in replies if indirect(x.reply_text, phrases, max_chars)]
    keys = [k for x in bad for k in _letter_key(cap, x)]
    if not bad:
        return Verdict.judged(True, 0, f"检查{len(replies)}条留言答复，未发现简单推诿的答复", keys)
    listed = "；".join(f"“{short(x.title, 20)}”答复：{short(x.reply_text, 30)}" for x in bad[:5])
    more = "等" if len(bad) > 5 else ""
    return Verdict.judged(False, len(bad), f"检查{len(replies)}条留言答复，{len(bad)}条仅转介他处：{listed}{more}",
                          keys)
