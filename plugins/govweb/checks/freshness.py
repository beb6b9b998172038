"""Publishing freshness: the home page's newest item and each timed column's newest item (信息更新).

Dates come from the capture's dated items (home page, its iframes, column list pages); month-only dates and
dates after the as-of date follow govweb.checks._dates.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

from govweb import extract
from govweb.capture import DatedItem, Page
from govweb.checks._dates import iso, newest, short
from govweb.checks.columns import column_label, loaded, page_keys, unique_columns
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector
from govweb.parse.anchors import SELECTOR, target

# column category -> threshold name of its update limit (days)
TIMED = {"news": "news_days", "notice": "notice_days", "policy": "policy_days",
         "interpretation": "interpretation_days", "plan": "plan_days"}
MONTH_NOTE = "（该处仅标注年月，按当月最后一天计）"
ROW_TAGS = ("li", "tr", "dd", "dt", "p", "body")
MAX_ROW_LINKS = 2
MIN_TITLE_CHARS = 6
TODAY = re.compile(r"今天是|今日是|星期[一二三四五六日天]|农历")


def _iframe_pages(ev: SiteEvidence, home: Page) -> list[Page]:
    """Stored pages shown in the home page's iframes/frames (lists embedded from another page)."""
    base = home.final_url or home.url
    out: list[Page] = []
    for node in ev.tree(home).css("iframe[src], frame[src]"):
        src = (node.attributes.get("src") or "").strip()
        if not src or src.startswith(("javascript:", "about:", "data:")):
            continue
        page = ev.capture.page(urldefrag(urljoin(base, src))[0])
        if page is not None and page is not home and page.status is not None and page.status < 400 \
                and page not in out:
            out.append(page)
    return out


def dom_items(tree, base_url: str) -> list[DatedItem]:
    """Dated list rows of a stored page: an anchor in a row (li/tr/dd/dt/p) whose text carries a date.

    Rows holding more than MAX_ROW_LINKS links (navigation bars) and rows showing today's date (今天是…星期一
    headers) are not list items; titles shorter than MIN_TITLE_CHARS are menu entries."""
    out: dict[str, DatedItem] = {}
    for a in tree.css(SELECTOR):
        raw = target(a)
        if not raw:
            continue
        row = a.parent
        while row is not None and row.tag not in ROW_TAGS:
            row = row.parent
        if row is None:
            continue
        text = row.text(deep=True)
        title = " ".join(a.text(deep=True).split()) or (a.attributes.get("title") or "")
        if len(row.css(SELECTOR)) > MAX_ROW_LINKS or TODAY.search(text) or len(title) < MIN_TITLE_CHARS:
            continue
        dates = extract.find_dates(text)
        url = urldefrag(urljoin(base_url, raw))[0]
        if dates and url not in out:
            out[url] = DatedItem(title=title, url=url, date=max(dates).isoformat())
    return list(out.values())


def _home_items(ev: SiteEvidence, home: Page, frames: list[Page]) -> list[DatedItem]:
    items = [i for p in [home, *frames] for i in p.items]
    if not home.items:  # the crawler found no list: read the stored DOMs' own dated lists
        for page in [home, *frames]:
            if page.html_key and not page.items:
                items += dom_items(ev.tree(page), page.final_url or page.url)
    return items


def _future(items: list[DatedItem], ev: SiteEvidence) -> int:
    return sum(1 for i in items if (d := iso(i.date)) is not None and d > ev.as_of)


@detector("freshness.homepage")
def homepage(ev: SiteEvidence) -> Verdict:
    """Age in days of the newest dated item on the home page (its lists, script-built lists, iframes).

    Fails above max_age_days; no dated item at all fails with value None (the inspection treats it as not
    updated). Items dated after as_of are ignored; month-only dates: see govweb.checks._dates."""
    max_age = int(ev.threshold("freshness.homepage", "max_age_days"))
    home = ev.home
    frames = _iframe_pages(ev, home)
    items = _home_items(ev, home, frames)
    keys = [p.html_key for p in [home, *frames] if p.html_key]
    future = _future(items, ev)
    note = f"（另有{future}条信息日期晚于评估日，已忽略）" if future else ""
    found = newest(items, ev.as_of)
    if found is None:
        return Verdict.judged(False, None, f"首页未发现带日期的信息，视为未更新{note}", keys)
    age = found.age(ev.as_of)
    detail = f"首页最新信息发布于{found.shown}，距评估日{age}天：{short(found.item.title)}"
    if found.month_only:
        detail += MONTH_NOTE
    if age > max_age:
        detail += f"；超过{max_age}天未更新"
    return Verdict.judged(age <= max_age, age, detail + note, keys)


@detector("freshness.columns")
def columns(ev: SiteEvidence) -> Verdict:
    """Number of timed columns whose newest item (not after as_of) is older than the column kind's limit.

    Timed kinds: news (news_days), notice, policy, interpretation (their *_days), plan (plan_days). Empty
    columns (columns.empty judges them), undated lists and columns whose page failed are not judged; a column
    recognised twice (navigation and home block) counts once. Fails when any column is stale; `veto_stale`
    is the scoring's veto bar, not this verdict's."""
    cap = ev.capture
    judged: list[str] = []
    stale: list[tuple[str, str, int]] = []
    keys: list[str] = []
    undated = 0
    for col in unique_columns(cap, tuple(TIMED)):
        if loaded(cap, col) is False:  # a broken link (links.*), not a stale column
            continue
        found = newest(col.items, ev.as_of)
        if found is None:
            undated += bool(col.items)
            continue
        limit = int(ev.threshold("freshness.columns", TIMED[col.category]))
        judged.append(col.name)
        if found.age(ev.as_of) > limit:
            stale.append((column_label(col), found.shown + ("，仅标注年月" if found.month_only else ""), limit))
            keys += page_keys(cap, col)
    if not judged:
        raise MissingEvidence("未发现带日期的动态、通知公告、政策文件、解读或规划类栏目")
    note = f"（另有{undated}个栏目列表无日期，未判断）" if undated else ""
    if not stale:
        return Verdict.judged(True, 0, f"检查{len(judged)}个栏目，均在更新期限内{note}", keys)
    listed = "、".join(f"{name}（最新{shown}，超过{limit}天）" for name, shown, limit in stale)
    return Verdict.judged(False, len(stale), f"{len(stale)}个栏目超期未更新：{listed}{note}", keys)
