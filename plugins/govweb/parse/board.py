"""Letters boards (领导信箱, 留言板): the letters on a list page, a letter's own page, answered or not."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govweb.capture import Letter
from govweb.parse.anchors import SELECTOR, target
from govweb.parse.dates import find_dates
from govweb.parse.guides import content, is_empty, label_values
from govweb.parse.lists import datastore_tree

HEADER_WORDS = re.compile(r"标题|主题|信件|事项|诉求|来信|留言|时间|日期|状态|回复|答复|编号|类型|部门|单位|序号|情况")
TITLE_HEADER = re.compile(r"标题|主题|信件名称|事项|诉求|内容|名称")
REPLY_DATE = re.compile(r"(回复|答复|办结|反馈|回应|处理|办理|完成)(时间|日期)|^回复$|^答复$")
ASK_DATE = re.compile(r"(来信|留言|提问|写信|提交|咨询|投诉|发信|信件|受理|发布|登记)(时间|日期)|^(时间|日期)$")
STATUS_HEADER = re.compile(r"状态|办理情况|处理情况|是否回复|是否办结")
REPLY_TEXT = re.compile(r"(答复|回复|办理|处理)(内容|意见|结果|情况)|^(答复|回复)$")
REPLY_CONTEXT = re.compile(r"(回复|答复|办结|反馈|回应)[\u4e00-\u9fff]{0,3}\s*[：:]\s*$|"
                           r"(回复|答复|办结|反馈|回应)(时间|日期)\s*$")
ASK_CONTEXT = re.compile(r"(来信|留言|提问|写信|提交|发信|咨询|投诉)[\u4e00-\u9fff]{0,3}\s*[：:]\s*$|"
                         r"(来信|留言|提问|写信|提交|发信|咨询|投诉)(时间|日期)\s*$")
LABEL_START = re.compile(r"(?=[\u4e00-\u9fff]{2,6}\s*[：:])")
NOT_TITLE = re.compile(r"^(查看|详情|详细|查看详情|更多|回复|我要写信|我要留言|\d+)$")
STRIP = "【】[]()（）「」<>《》 :：·"
ROW_TAGS = ("li", "tr", "dl", "div", "p")
MAX_ROW_LINKS = 3
MAX_ROW_TEXT = 300


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def _words(status_words: dict) -> list[str]:
    return [str(w) for w in (status_words.get("answered") or []) + (status_words.get("pending") or [])]


def status_in(text: str, status_words: dict) -> str:
    """The status word as written when the text is one (or holds one); "" when none is there."""
    clean = re.sub(r"^(办理|处理|信件|回复)?状态[：:]?", "", _norm(text)).strip(STRIP)
    words = _words(status_words)
    if clean in words:
        return clean
    held = [w for w in words if w in clean]
    if not held:
        return ""
    longest = max(held, key=len)
    return clean if len(clean) <= len(longest) + 2 else longest


NEGATIONS = ("尚未", "未", "待", "没有", "暂未", "正在")


def is_answered(word: str, status_words: dict) -> bool | None:
    """True for an answered word, False for a pending one, None when the word is unknown."""
    clean = _norm(word).strip(STRIP)
    if not clean:
        return None
    answered = [str(w) for w in status_words.get("answered") or []]
    pending = [str(w) for w in status_words.get("pending") or []]
    if clean in answered:
        return True
    if clean in pending:
        return False
    if clean.startswith(NEGATIONS):  # 尚未办结, 未回复, 没有答复: a negated "answered" word is pending
        return False
    held = [(len(w), w in answered) for w in answered + pending if w in clean]
    return max(held)[1] if held else None


def _iso(text: str, as_of: date) -> str:
    found = find_dates(text, as_of)
    days = [f for f in found if f.precision == "day"] or found
    return days[0].day.isoformat() if days else ""


def _title_link(row: LexborNode) -> LexborNode | None:
    best, size = None, 0
    for a in row.css(SELECTOR):
        text = _norm(a.attributes.get("title") or "") or _norm(a.text(deep=True))
        if not target(a) or NOT_TITLE.match(text) or len(text) <= size:
            continue
        best, size = a, len(text)
    return best


def _link_url(a: LexborNode, base_url: str) -> str:
    href = target(a)
    return urldefrag(urljoin(base_url, href))[0] if href else ""


def _shown(node: LexborNode) -> str:
    """Text as shown, with the alt/title of images (status icons such as <img alt="已回复">)."""
    alts = " ".join((i.attributes.get("alt") or i.attributes.get("title") or "") for i in node.css("img"))
    return f"{node.text(deep=True, separator=' ')} {alts}".strip()


def _link_title(a: LexborNode) -> str:
    text, title = _norm(a.text(deep=True)), _norm(a.attributes.get("title") or "")
    return title if len(title) > len(text.rstrip(".…")) else text


def _cells(tr: LexborNode) -> list[LexborNode]:
    return [c for c in tr.iter() if c.tag in ("td", "th")]


def _header_roles(cells: list[LexborNode]) -> dict[str, int] | None:
    texts = [re.sub(r"\s+", "", c.text(deep=True)) for c in cells]
    if not texts or any(len(t) > 10 for t in texts) or any(c.css_first(SELECTOR) for c in cells):
        return None
    if sum(1 for t in texts if HEADER_WORDS.search(t)) < 2:
        return None
    roles: dict[str, int] = {}
    for i, t in enumerate(texts):
        if REPLY_DATE.search(t):
            roles.setdefault("replied", i)
        elif ASK_DATE.search(t):
            roles.setdefault("asked", i)
        elif STATUS_HEADER.search(t):
            roles.setdefault("status", i)
        elif TITLE_HEADER.search(t):
            roles.setdefault("title", i)
    return roles


def _table_letters(table: LexborNode, base_url: str, status_words: dict, as_of: date) -> list[Letter] | None:
    rows = [tr for tr in table.css("tr") if _nearest(tr, "table").mem_id == table.mem_id]
    roles = None
    out = []
    for tr in rows:
        cells = _cells(tr)
        if roles is None:
            roles = _header_roles(cells)
            if roles is not None:
                continue
            if tr.css_first(SELECTOR) is not None:
                return None  # data before any header: not a headed table
            continue
        a = _title_link(tr)
        if a is None:
            continue
        text = {role: _shown(cells[i]) for role, i in roles.items() if i < len(cells)}
        status = status_in(text.get("status", ""), status_words) if "status" in roles else _row_status(
            tr, a, status_words)
        out.append(Letter(url=_link_url(a, base_url), title=_link_title(a), asked=_iso(text.get("asked", ""), as_of),
                          status_word=status, replied=_iso(text.get("replied", ""), as_of)))
    return out if roles is not None else None


def _nearest(node: LexborNode, tag: str) -> LexborNode | None:
    node = node.parent
    while node is not None and node.tag != tag:
        node = node.parent
    return node


def _inside(node: LexborNode, ancestor: LexborNode) -> bool:
    node = node.parent
    while node is not None:
        if node.mem_id == ancestor.mem_id:
            return True
        node = node.parent
    return False


def _row_status(row: LexborNode, title: LexborNode, status_words: dict) -> str:
    for node in row.css("span, em, td, div, font, i, b, strong, p, a, label, img"):
        if node.mem_id == title.mem_id or _inside(node, title) or any(
                x.mem_id != node.mem_id for x in node.css(SELECTOR)):
            continue
        text = _norm(_shown(node))
        if text and len(text) <= 12:
            found = status_in(text, status_words)
            if found:
                return found
    rest = _text_outside(row, title)
    words = [w for w in _words(status_words) if w in rest]
    return max(words, key=len) if words else ""


def _text_outside(row: LexborNode, skip: LexborNode) -> str:
    parts = []
    for node in row.traverse(include_text=True):
        if node.tag == "-text" and not _inside(node, skip):
            parts.append(node.text_content or "")
    return " ".join(parts)


def _row_dates(row: LexborNode, title: LexborNode, as_of: date) -> tuple[str, str]:
    """(asked, replied): labelled dates first (来信时间 / 回复时间), else the first two dates in reading order."""
    asked = replied = ""
    loose: list[str] = []
    before = ""
    for node in row.traverse(include_text=True):
        if node.tag != "-text" or _inside(node, title):
            continue
        for chunk in LABEL_START.split(node.text_content or ""):
            for found in find_dates(chunk, as_of):
                iso = found.day.isoformat()
                prefix = re.split(r"\d", chunk, maxsplit=1)[0]
                stamp = prefix if prefix.strip() else before[-20:]
                if REPLY_CONTEXT.search(stamp) and not replied:
                    replied = iso
                elif ASK_CONTEXT.search(stamp) and not asked:
                    asked = iso
                else:
                    loose.append(iso)
            before = (before + chunk)[-40:]
    for iso in loose:
        if not asked:
            asked = iso
        elif not replied and iso != asked:
            replied = iso
    return asked, replied


_UP, _STOP = object(), object()  # _row_verdict: not a row, look at the parent / no row above this anchor


def _row_verdict(node: LexborNode, as_of: date, status_words: dict) -> object:
    """What `node` is for the anchors under it: the row itself, not a row (_UP), or a list or page part
    holding rows (_STOP)."""
    if node.tag in ("body", "html", "ul", "ol", "table", "tbody"):
        return _STOP
    if node.tag in ROW_TAGS:
        text = node.text(deep=True, separator=" ")
        hrefs = {target(x) for x in node.css(SELECTOR)}
        if any(c.mem_id != node.mem_id for c in node.css("li, tr, dl")) or len(hrefs) > MAX_ROW_LINKS or len(
                _norm(text)) > MAX_ROW_TEXT:
            return _STOP  # a list or a page part holding rows, not a row
        if find_dates(text, as_of) or status_in(text, status_words):
            return node
    return _UP


def _row_of(a: LexborNode, as_of: date, status_words: dict, memo: dict) -> LexborNode | None:
    """The row `a` heads, within 4 levels up; `memo` holds each element's verdict for the page's anchors."""
    node = a.parent
    for _ in range(4):
        if node is None:
            return None
        verdict = memo.get(node.mem_id)
        if verdict is None:
            verdict = memo[node.mem_id] = _row_verdict(node, as_of, status_words)
        if verdict is _STOP:
            return None
        if verdict is not _UP:
            return verdict
        node = node.parent
    return None


def _datastore_board(tree: LexborHTMLParser) -> LexborHTMLParser | None:
    """A Hanweb (大汉) board whose letters ship in `<datastore>` records (jpage.js renders them): the records as
    a page of their own. Record rows come without column heads; the page's static header row (a heads-only
    table above the records, as jpage lists lay out) is put back on top of them."""
    store = datastore_tree(tree)
    if store is None:
        return None
    rows = store.css("tr")
    if not rows:
        return store
    head = next((tr.html or "" for tr in tree.css("tr") if _header_roles(_cells(tr))), "")
    body = "".join(tr.html or "" for tr in rows)
    return LexborHTMLParser(f"<html><body><table>{head}{body}</table></body></html>")


def letters(tree: LexborHTMLParser, base_url: str, status_words: dict, as_of: date) -> list[Letter]:
    """Letters on a board list page: title and url, asked date, status word, replied date when shown. A page
    listing none in its markup is read from its Hanweb datastore records, if any."""
    found = _page_letters(tree, base_url, status_words, as_of)
    if not found and (store := _datastore_board(tree)) is not None:
        found = _page_letters(store, base_url, status_words, as_of)
    return found


def _page_letters(tree: LexborHTMLParser, base_url: str, status_words: dict, as_of: date) -> list[Letter]:
    out: list[Letter] = []
    done: set[int] = set()
    for table in tree.css("table"):
        found = _table_letters(table, base_url, status_words, as_of)
        if found:
            out += found
            done.add(table.mem_id)
    seen_rows: set[int] = set()
    verdicts: dict[int, object] = {}
    for a in tree.css(SELECTOR):
        table = _nearest(a, "table")
        if table is not None and table.mem_id in done:
            continue
        row = _row_of(a, as_of, status_words, verdicts)
        if row is None or row.mem_id in seen_rows:
            continue
        seen_rows.add(row.mem_id)
        title = _title_link(row)
        if title is None:
            continue
        asked, replied = _row_dates(row, title, as_of)
        status = _row_status(row, title, status_words)
        if not (asked or status):
            continue
        out.append(Letter(url=_link_url(title, base_url), title=_link_title(title), asked=asked,
                          status_word=status, replied=replied))
    return [x for x in out if x.url]


def letter_detail(tree: LexborHTMLParser, status_words: dict, as_of: date) -> Letter:
    """A letter's own page: asked and reply dates, reply text, status word (url and title left to the caller)."""
    asked = replied = reply_text = status = ""
    tree = content(tree)
    for label, value in label_values(tree.body):
        if not value:
            continue
        if not replied and REPLY_DATE.search(label):
            replied = _iso(value[:40], as_of)
        if not asked and ASK_DATE.search(label) and not REPLY_DATE.search(label):
            asked = _iso(value[:40], as_of)
        if not status and STATUS_HEADER.search(label):
            status = status_in(value[:20], status_words)
        if REPLY_TEXT.search(label) and not is_empty(value) and len(value) > len(reply_text) and not re.fullmatch(
                r"[\d\s:：\-/年月日]+", value):
            reply_text = value
    if not status and tree.body is not None:
        for node in tree.body.css("span, em, td, div, font, i, b, strong, p, label"):
            text = _norm(node.text(deep=True))
            if text and len(text) <= 12 and node.css_first(SELECTOR) is None:
                status = status_in(text, status_words)
                if status:
                    break
    return Letter(asked=asked, replied=replied, reply_text=reply_text, status_word=status)
