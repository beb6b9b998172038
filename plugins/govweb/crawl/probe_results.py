"""The search probe's judgement: which title to search for, and what the result page says.

The query is a contiguous run of a real item title (any substring search finds it); the result page
is read for the count it states and for the target among its result links.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

from govweb import extract
from govweb.capture import Capture, DatedItem, Link, Page
from govweb.parse import lists

QUERY_MIN, QUERY_MAX = 4, 10
RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
COUNT_PATTERNS = (
    re.compile(r"共\s*(?:找到|检索到|搜索到|查询到|有)?\s*([\d,]+)\s*(?:条|个|篇|项)"),
    re.compile(r"(?:找到|检索到|搜索到|查询到)\s*(?:相关)?(?:结果|信息|内容|记录)?\s*约?\s*([\d,]+)\s*(?:条|个|篇|项)"),
    re.compile(r"(?:结果数|记录数|总数|总条数)\s*[:：]\s*([\d,]+)"),
)
NO_RESULT = ("没有找到", "未找到", "无相关", "没有检索到", "未检索到", "无检索结果", "抱歉")
PAGER = re.compile(r"^(\d+|上一页|下一页|首页|尾页|末页|前一页|后一页|>|<|>>|<<|…)$")


def _result_items(tree, url: str, as_of: str) -> list[DatedItem]:
    """The result list: the shared list parser (the page's main list, dated or not), else the
    dated-item heuristic (also when the list parser stumbles on an odd result page)."""
    day = date.fromisoformat(as_of) if as_of else date.today()
    try:
        items = lists.main_list(tree, url, day) or lists.list_items(tree, url, day)
    except Exception:  # noqa: BLE001 - a result page the list parser cannot read still has its links
        items = []
    if items:
        return list(items)
    return [DatedItem(title=i.title, url=i.url, date=i.date) for i in extract.dated_items(tree, url)]


# -- the query ---------------------------------------------------------------------------------------
def candidate_items(capture: Capture, home: Page) -> list[tuple[DatedItem, int]]:
    """(item, tier): news/notice column items and the home page's dated items first (tier 0), then the other
    content columns (tier 1). Service guides and letters are left out: a site search is for its published
    information, and many portals search guides on the service platform instead."""
    skip = {"services", "interaction"}
    guides = {g.url for g in capture.guides}
    news = [i for c in capture.columns if c.category in ("news", "notice") for i in c.items]
    rest = [i for c in capture.columns if c.category not in ("news", "notice", *skip) for i in c.items]
    seen, out = set(guides), []
    for tier, items in ((0, [*news, *home.items]), (1, rest)):
        for item in items:
            if item.url and item.title and item.url not in seen:
                seen.add(item.url)
                out.append((item, tier))
    return out


def query_of(title: str) -> str:
    """The last QUERY_MAX characters of the title's longest unpunctuated run (empty when too short)."""
    runs = RUN.findall(title.replace("...", "").rstrip("…"))
    if not runs:
        return ""
    run = max(runs, key=len)
    return run[-QUERY_MAX:] if len(run) >= QUERY_MIN else ""


def pick_query(capture: Capture, home: Page) -> tuple[str, DatedItem] | None:
    """A query that is a substring of exactly one known title (else of the fewest), prefer long ones."""
    items = candidate_items(capture, home)
    titles = [i.title for i, _ in items]
    best: tuple[tuple[int, int, int, int], str, DatedItem] | None = None
    for rank, (item, tier) in enumerate(items):
        if item.title.endswith(("...", "…")):
            continue  # truncated list titles: the tail is not the article's title
        q = query_of(item.title)
        if not q:
            continue
        tail = (tier, -min(len(q), 8), rank)
        if best is not None and best[0][0] == 1 and tail > best[0][1:] and q in item.title:
            continue  # its count is at least 1 (its own title): it cannot beat a unique query ranked before it
        key = (sum(q in t for t in titles), *tail)
        if best is None or key < best[0]:
            best = (key, q, item)
    return (best[1], best[2]) if best else None


# -- the result page ---------------------------------------------------------------------------------
def stated_count(text: str) -> int | None:
    for pat in COUNT_PATTERNS:
        m = pat.search(text)
        if m:
            return int(m.group(1).replace(",", ""))
    if any(w in text for w in NO_RESULT):
        return 0
    return None


def _norm_url(url: str) -> str:
    p = urlsplit(url)
    path = re.sub(r"/(index|default)\.s?html?$", "/", p.path or "/")
    return f"{(p.hostname or '').lower()}{path}" + (f"?{p.query}" if p.query else "")


def result_links(links: list[Link], home: Page, keep: str = "") -> list[Link]:
    """Links of the result page that are not the site's chrome (home-page links but `keep`) nor the pager."""
    chrome = {_norm_url(link.href) for link in home.links} - {_norm_url(keep)}
    return [link for link in links if _norm_url(link.href) not in chrome and link.text
            and not PAGER.match(link.text.strip())]


def found(target: DatedItem, links: list[Link], items: list[DatedItem]) -> bool:
    """The target among the results: its URL (any scheme; also inside a redirect wrapper such as
    `/jump?url=...`), or a result titled exactly like it."""
    want = _norm_url(target.url)
    path = urlsplit(target.url).path
    title = " ".join(target.title.split())
    urls = [*(link.href for link in links), *(i.url for i in items)]
    return (any(_norm_url(u) == want for u in urls)
            or (len(path) > 12 and any(path in unquote(urlsplit(u).query) for u in urls))
            or any(title and title == " ".join(t.split()) for t in [*(link.text for link in links),
                                                                       *(i.title for i in items)]))


def result_page(url: str, final_url: str, status: int | None, html: str, encoding: str, via: str,
                elapsed_ms: int, store, prefix: str, as_of: str = "") -> tuple[Page, str]:
    body = html.encode("utf-8") if via == "browser" else html.encode(encoding or "utf-8", errors="replace")
    key = store.put_blob(f"{prefix}/pages", body, "html", f"text/html; charset={encoding or 'utf-8'}")
    tree = extract.parse(html)
    page = Page(url=url, final_url=final_url, kind="search", via=via, status=status, elapsed_ms=elapsed_ms,
                bytes=len(body), encoding=encoding, title=extract.title(tree), html_key=key,
                meta=extract.meta(tree),
                links=[Link(href=lk.href, text=lk.text, internal=lk.internal)
                       for lk in extract.links(tree, final_url or url)])
    page.items = _result_items(tree, final_url or url, as_of)
    return page, extract.visible_text(tree)
