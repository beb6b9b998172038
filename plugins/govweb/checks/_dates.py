"""Date helpers shared by the publishing and interaction detectors (dates as the capture stores them).

The capture stores dates as ISO strings: `yyyy-mm-dd`, or "" when undated. A month-only date (`2018-12` on a
list page) is stored as the month's first day with `precision="month"`.

Freshness rule for month-only dates: when a list (or the home page) shows at least one day-precise date,
only day-precise dates count; when it shows month-only dates alone, each counts as the LAST day of its month
(capped at the as-of date), i.e. the site gets the benefit of the doubt. Dates after the as-of date are
ignored everywhere (content is judged as it stood on the evaluation date).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from govweb.capture import DatedItem


def iso(text: str) -> date | None:
    """An ISO `yyyy-mm-dd` (or `yyyy-mm`) string as a date; None when empty or malformed."""
    text = (text or "").strip()
    try:
        if len(text) == 7:
            return date.fromisoformat(text + "-01")
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Newest:
    """The newest dated item of a list, as freshness judges it."""

    day: date  # the date freshness counts (a month-only date: the month's last day, capped at as_of)
    item: DatedItem
    month_only: bool

    def age(self, as_of: date) -> int:
        return (as_of - self.day).days

    @property
    def shown(self) -> str:
        """The date as the page shows it (month-only dates as yyyy-mm)."""
        return self.item.date[:7] if self.month_only else self.day.isoformat()


def newest(items: Iterable[DatedItem], as_of: date) -> Newest | None:
    """The newest item not after as_of (month-only dates per the module rule); None when nothing is dated."""
    days: list[tuple[date, DatedItem]] = []
    months: list[tuple[date, DatedItem]] = []
    for it in items:
        d = iso(it.date)
        if d is None or d > as_of:
            continue
        if it.precision == "month" or len(it.date.strip()) == 7:
            months.append((min(month_end(d), as_of), it))
        else:
            days.append((d, it))
    if days:
        d, it = max(days, key=lambda p: p[0])
        return Newest(d, it, False)
    if months:
        d, it = max(months, key=lambda p: p[0])
        return Newest(d, it, True)
    return None


def short(title: str, n: int = 30) -> str:
    title = " ".join(title.split())
    return title if len(title) <= n else title[: n - 1] + "…"
