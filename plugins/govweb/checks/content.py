"""Content correctness and privacy checks on the text of the stored content pages: typos from the
dictionary, agency names abolished by the 2018 institutional reform, exposed personal data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from govweb import extract
from govweb.capture import Page
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector

try:
    from govweb.parse.dates import meta_date
except ImportError:  # pragma: no cover - the shared parser is being written in parallel
    meta_date = None

TEXT_KINDS = ("home", "column", "article", "disclosure", "guide")
PRIVACY_KINDS = ("article", "letter", "other", "disclosure", "guide")
CONTEXT = 12  # characters either side of a hit, to tell template text (same snippet everywhere) apart
# 原 opening a clause or after a function word (将原…, 由原…, （原…）), not inside a place name (太原市, 平原县)
# 原 opening a clause or after a function word (将原…, 由原…, （原…）, 原A、B合并), not inside a place name
# (太原市, 平原县); it may govern a list of names (原市国家税务局、市地方税务局合并).
HISTORICAL_BEFORE = re.compile(r"(?:^|[^\u4e00-\u9fff、])(?:[将由与的为即系及和在从])?原[\u4e00-\u9fff、和与及]{0,30}$")
HISTORICAL_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}?(?:更名|改名|撤销|撤并|不再保留|划入|整合|合并|调整为|改为)")
SENTENCE_END = re.compile(r"[。；;！!？?\n]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+", re.I)


@dataclass(frozen=True)
class Hit:
    word: str
    page: Page
    start: int
    left: str  # the word with the text just before it
    right: str  # the word with the text just after it

    @property
    def snippet(self) -> str:
        return self.left[: -len(self.word)] + self.right


def hit(word: str, page: Page, text: str, start: int) -> Hit:
    end = start + len(word)
    return Hit(word, page, start, text[max(0, start - CONTEXT): end], text[start: end + CONTEXT])


def content_pages(ev: SiteEvidence, kinds: tuple[str, ...]) -> list[Page]:
    """Stored pages of these kinds, one per URL, failed pages left out."""
    seen, out = set(), []
    for page in ev.capture.pages:
        if page.kind not in kinds or not page.html_key or (page.status or 200) >= 400:
            continue
        url = page.final_url or page.url
        if url not in seen:
            seen.add(url)
            out.append(page)
    if not out:
        raise MissingEvidence("采集结果中没有可检查的内容页面")
    return out


def find_all(text: str, word: str) -> Iterator[int]:
    start = text.find(word)
    while start >= 0:
        yield start
        start = text.find(word, start + len(word))


def drop_template(hits: list[Hit], pages: int) -> list[Hit]:
    """Text a template repeats (a header or footer: the same words before or after the hit on at least
    3 pages and most of them) counts once."""
    spread: dict[tuple[str, str], set[str]] = {}
    for h in hits:
        for key in (("L", h.left), ("R", h.right)):
            spread.setdefault(key, set()).add(h.page.url)
    template = {k for k, urls in spread.items() if len(urls) >= 3 and len(urls) * 2 > pages}
    out, kept = [], set()
    for h in hits:
        key = next((k for k in (("L", h.left), ("R", h.right)) if k in template), None)
        if key is not None:
            if key in kept:
                continue
            kept.add(key)
        out.append(h)
    return out


def listed_titles(page: Page, scanned: set[str]) -> list[str]:
    """Titles of a list page's items whose own page is scanned too (counted there, not twice)."""
    return [it.title for it in page.items if it.url in scanned and it.title]


def in_titles(text: str, start: int, word: str, titles: list[str]) -> bool:
    for title in titles:
        for t0 in find_all(text, title):
            if t0 <= start and start + len(word) <= t0 + len(title):
                return True
    return False


def page_keys(hits: list[Hit], limit: int = 5) -> list[str]:
    return list(dict.fromkeys(h.page.html_key for h in hits))[:limit]


def where(hits: list[Hit], limit: int = 5) -> str:
    shown = []
    for h in hits[:limit]:
        shown.append(f"“{' '.join(h.snippet.split())}”（{h.page.final_url or h.page.url}）")
    return "；".join(shown) + (f"等{len(hits)}处" if len(hits) > limit else "")


# -- typos -----------------------------------------------------------------------------------------

@detector("content.typos")
def typos(ev: SiteEvidence) -> Verdict:
    """Occurrences of the `typos` dictionary's wrong words in the home, column, article, disclosure and
    guide pages; an item title on a list page is counted on its own page when that page is stored, and
    text repeated on most pages (a template's header/footer) once."""
    pages = content_pages(ev, TEXT_KINDS)
    scanned = {p.url for p in pages} | {p.final_url for p in pages}
    words = {row["wrong"]: row["right"] for row in ev.dictionary("typos")}
    hits = []
    for page in pages:
        text = ev.text(page)
        titles = listed_titles(page, scanned)
        for word in words:
            hits += [hit(word, page, text, s) for s in find_all(text, word)
                     if not in_titles(text, s, word, titles)]
    hits = drop_template(hits, len(pages))
    if not hits:
        return Verdict.judged(True, 0, f"检查{len(pages)}个页面，未发现词典中的错别字")
    found = "、".join(f"“{w}”应为“{words[w]}”" for w in dict.fromkeys(h.word for h in hits))
    detail = f"检查{len(pages)}个页面，发现{len(hits)}处错别字（{found}）：{where(hits)}"
    return Verdict.judged(False, len(hits), detail, page_keys(hits))


# -- outdated agency names -------------------------------------------------------------------------

def new_name_pattern(new: str) -> re.Pattern:
    """The new name with `…` as a place name: 国家税务总局…税务局 matches 国家税务总局杭州市税务局."""
    parts = [re.escape(p) for p in new.split("…")]
    return re.compile(r"[\u4e00-\u9fff]{0,12}?".join(parts))


def page_date(page: Page, item_dates: dict[str, date]) -> date | None:
    for url in (page.url, page.final_url):
        if url in item_dates:
            return item_dates[url]
    if meta_date is not None:
        found = meta_date(page.meta)
        return found.day if found else None
    for name, value in page.meta.items():
        if name.lower() in ("pubdate", "publishdate", "firstpublishedtime") and extract.find_dates(value):
            return extract.find_dates(value)[0]
    return None


def dated_items(ev: SiteEvidence) -> dict[str, date]:
    out: dict[str, date] = {}
    for item in [it for p in ev.capture.pages for it in p.items] + [it for c in ev.capture.columns for it in c.items]:
        if item.date and item.url not in out:
            try:
                out[item.url] = date.fromisoformat(item.date)
            except ValueError:
                continue
    return out


def historical(text: str, start: int, end: int) -> bool:
    """A mention of the old name as history: 原国土资源局, 原XX市国土资源局, 国土资源局更名为…"""
    before = text[max(0, start - 32): start]
    cut = [m.end() for m in SENTENCE_END.finditer(before)]
    if cut or start <= 32:  # the window starts at a sentence start
        before = " " + before[cut[-1] if cut else 0:]
    return bool(HISTORICAL_BEFORE.search(before)
                or HISTORICAL_AFTER.search(text[end: end + 10]))


@detector("content.outdated_agency")
def outdated_agency(ev: SiteEvidence) -> Verdict:
    """Occurrences of agency names the 2018 reform abolished (dictionary `outdated_agencies`) in pages
    dated after the abolition (an article's date: its list item's date, else `<meta PubDate>`; an undated
    page: the as-of date). Not counted: the name inside a new name (国家税务总局XX市税务局), a historical
    mention (原国土资源局, …更名为…), a title on a list page whose article is stored (judged there by its date)."""
    pages = content_pages(ev, TEXT_KINDS)
    scanned = {p.url for p in pages} | {p.final_url for p in pages}
    dates = dated_items(ev)
    rows = [(r["old"], r["new"], date.fromisoformat(r["abolished"])) for r in ev.dictionary("outdated_agencies")]
    hits = []
    for page in pages:
        text = ev.text(page)
        when = page_date(page, dates) or ev.as_of
        titles = listed_titles(page, scanned)
        for old, new, abolished in rows:
            if when <= abolished or old not in text:
                continue
            inside_new = [m.span() for m in new_name_pattern(new).finditer(text)]
            for s in find_all(text, old):
                e = s + len(old)
                if any(a <= s and e <= b for a, b in inside_new) or historical(text, s, e) \
                        or in_titles(text, s, old, titles):
                    continue
                hits.append(hit(old, page, text, s))
    hits = drop_template(hits, len(pages))
    if not hits:
        return Verdict.judged(True, 0, f"检查{len(pages)}个页面，未发现机构改革后仍在使用的旧机构名称")
    news = {old: new for old, new, _ in rows}
    found = "、".join(f"“{w}”（现为{news[w]}）" for w in dict.fromkeys(h.word for h in hits))
    return Verdict.judged(False, len(hits), f"发现{len(hits)}处机构改革后过时的机构名称{found}：{where(hits)}",
                          page_keys(hits))


# -- personal data ---------------------------------------------------------------------------------

def valid_id(number: str) -> bool:
    """GB 11643 check digit of an 18-digit resident ID number."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    check = "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], ID_WEIGHTS, strict=True)) % 11]
    return check == number[17].upper()


def mask(number: str) -> str:
    if len(number) == 18:
        return number[:4] + "*" * 10 + number[-4:]
    return number[:3] + "****" + number[-4:]


def office_contact(text: str, start: int, labels: list[str]) -> bool:
    """The number follows an office label (联系电话：0571-8888888、13900000000) within a short run of
    separators and other numbers."""
    before = text[max(0, start - 40): start]
    for label in labels:
        pos = before.rfind(label)
        if pos >= 0 and re.fullmatch(r"[\s:：（）()\-—、，,/;；\d转]*", before[pos + len(label):]):
            return True
    return False


def personal_numbers(text: str, patterns: dict, labels: list[str]) -> list[tuple[str, str]]:
    """(kind, number) of ID numbers with a valid check digit and mobile numbers, outside URLs and office
    contacts."""
    urls = [m.span() for m in URL.finditer(text)]
    out = []
    for kind in ("id_card", "mobile"):
        for m in re.finditer(patterns[kind], text):
            s, e = m.span()
            if any(a <= s < b for a, b in urls):
                continue
            if kind == "id_card" and not valid_id(m.group(0)):
                continue
            if kind == "mobile" and office_contact(text, s, labels):
                continue
            out.append((kind, m.group(0).upper()))
    return out


@detector("privacy.personal_data")
def personal_data(ev: SiteEvidence) -> Verdict:
    """Distinct personal numbers exposed in article, letter, disclosure, guide and other content pages:
    18-digit ID numbers with a valid check digit and mobile numbers (dictionary `personal_data_patterns`);
    a mobile number right after an office label (dictionary `office_phone_context`) is an office contact."""
    pages = content_pages(ev, PRIVACY_KINDS)
    patterns = ev.dictionary("personal_data_patterns")
    labels = list(ev.dictionary("office_phone_context")["labels"])
    found: dict[str, tuple[str, Page]] = {}
    for page in pages:
        for kind, number in personal_numbers(ev.text(page), patterns, labels):
            found.setdefault(number, (kind, page))
    if not found:
        return Verdict.judged(True, 0, f"检查{len(pages)}个页面，未发现身份证号、手机号等个人信息")
    names = {"id_card": "身份证号", "mobile": "手机号"}
    shown = "；".join(f"{names[k]}{mask(n)}（{p.final_url or p.url}）" for n, (k, p) in list(found.items())[:10])
    keys = list(dict.fromkeys(p.html_key for _, p in found.values()))[:5]
    return Verdict.judged(False, len(found), f"检查{len(pages)}个页面，发现{len(found)}个个人信息：{shown}", keys)
