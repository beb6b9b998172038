"""Dates as Chinese government pages write them: full, month-only and year-less, in Arabic digits.

Recognised: 2018-09-04, 2018/3/26, 2018.09.04, [2018-10-29], 2018年9月4日, 2018-9-4 08:30; month-only
2018-12, 2018/12, 2018.12, 2018年12月 (the month's first day, precision "month"); year-less 09-04, 09/04, 9月4日
(the latest such date not after `as_of`). Digits inside longer digit runs (phone numbers, IDs, 文号 like
〔2018〕12号) are not dates; impossible and future dates are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

FULLWIDTH = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
YEAR = r"((?:19|20)\d{2})"
# Order matters: a longer form claims its span before the shorter forms are tried.
FULL_CJK = re.compile(YEAR + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?:\s*日|(?!\d))")
FULL_NUMERIC = re.compile(r"(?<![\d.])" + YEAR + r"([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")
MONTH_CJK = re.compile(YEAR + r"\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
MONTH_NUMERIC = re.compile(r"(?<![\d\-/.])" + YEAR + r"([-/.])(\d{1,2})(?![\d]|[-/.]\d|\s*[号期])")
DAY_CJK = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DAY_NUMERIC = re.compile(r"(?<![\d\-/.:])(\d{2})([-/])(\d{2})(?![\d]|[-/.:]\d)")
MIN_YEAR = 1990
PUBDATE_META = ("pubdate", "publishdate", "articlepublishdate", "firstpublishedtime", "publishtime",
                "publish_time", "publishedtime", "createdate")
COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})")


@dataclass(frozen=True)
class FoundDate:
    day: date
    precision: str  # "day" | "month"


def _make(year: int, month: int, day: int) -> date | None:
    if year < MIN_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless(month: int, day: int, as_of: date) -> date | None:
    """The latest `month-day` not after as_of (02-29 goes back to the last leap year)."""
    for year in range(as_of.year, as_of.year - 5, -1):
        found = _make(year, month, day)
        if found is not None and found <= as_of:
            return found
    return None


DIGIT = re.compile(r"\d")
MEMO_CHARS = 256  # texts up to this long (list rows, dates, titles) are memoised; page texts are not


def _scan(text: str, as_of: date | None, drop_future: bool = True) -> list[tuple[int, FoundDate]]:
    """(position, date) for every date in text; year-less forms need as_of; future ones dropped unless asked."""
    if len(text) <= MEMO_CHARS:
        return list(_scan_memo(text, as_of, drop_future))
    return list(_scan_text(text, as_of, drop_future))


@lru_cache(maxsize=32768)
def _scan_memo(text: str, as_of: date | None, drop_future: bool) -> tuple[tuple[int, FoundDate], ...]:
    """`_scan_text` of a short text, memoised: a site's list rows repeat their texts (the same dates, the same
    menu entries on every page)."""
    return _scan_text(text, as_of, drop_future)


def _scan_text(text: str, as_of: date | None, drop_future: bool) -> tuple[tuple[int, FoundDate], ...]:
    text = text.translate(FULLWIDTH)
    if not DIGIT.search(text):
        return ()
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, FoundDate]] = []

    def claim(m: re.Match[str]) -> bool:
        start, end = m.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return False
        taken.append((start, end))
        return True

    def add(m: re.Match[str], day: date | None, precision: str) -> None:
        if day is not None and (as_of is None or not drop_future or day <= as_of):
            found.append((m.start(), FoundDate(day, precision)))

    for m in FULL_CJK.finditer(text):
        if claim(m):
            add(m, _make(int(m[1]), int(m[2]), int(m[3])), "day")
    for m in FULL_NUMERIC.finditer(text):
        if claim(m):
            add(m, _make(int(m[1]), int(m[3]), int(m[4])), "day")
    for m in MONTH_CJK.finditer(text):
        if claim(m):
            add(m, _make(int(m[1]), int(m[2]), 1), "month")
    for m in MONTH_NUMERIC.finditer(text):
        if claim(m):
            add(m, _make(int(m[1]), int(m[3]), 1), "month")
    if as_of is not None:
        for m in DAY_CJK.finditer(text):
            if claim(m):
                add(m, _yearless(int(m[1]), int(m[2]), as_of), "day")
        for m in DAY_NUMERIC.finditer(text):
            if claim(m):
                add(m, _yearless(int(m[1]), int(m[3]), as_of), "day")
    found.sort(key=lambda pair: pair[0])
    return tuple(found)


def find_dates(text: str, as_of: date) -> list[FoundDate]:
    """Every date in text, in reading order, none after as_of."""
    return [found for _, found in _scan(text, as_of)]


def scan(text: str, as_of: date) -> tuple[bool, list[FoundDate]]:
    """(whether text carries any date, future ones included; its dates not after as_of) in one pass."""
    every = _scan(text, as_of, drop_future=False)
    return bool(every), [found for _, found in every if found.day <= as_of]


def has_date(text: str, as_of: date) -> bool:
    """Whether text carries any date at all, future ones included (a row with a future date is still dated)."""
    return bool(_scan(text, as_of, drop_future=False))


def best_date(dates: list[FoundDate]) -> FoundDate | None:
    """The date to stamp an item with: the latest day-precision date, else the latest month."""
    days = [d for d in dates if d.precision == "day"]
    pool = days or dates
    return max(pool, key=lambda d: d.day) if pool else None


def meta_date(meta: dict[str, str]) -> FoundDate | None:
    """The publication date from `<meta name="PubDate" ...>` and its CMS variants (names case-insensitive)."""
    by_name = {name.strip().lower(): value for name, value in meta.items()}
    for name in PUBDATE_META:
        value = (by_name.get(name) or "").strip()
        if not value:
            continue
        compact = COMPACT.match(value)
        if compact:
            day = _make(int(compact[1]), int(compact[2]), int(compact[3]))
            if day is not None:
                return FoundDate(day, "day")
        dates = [found for _, found in _scan(value, None)]
        if dates:
            return dates[0]
    return None
