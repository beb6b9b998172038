"""Column (栏目) helpers shared by the publishing detectors, and `columns.empty`.

A column may be recognised more than once (in the navigation, in a home block, on a section page): columns are
deduplicated by their normalised url and their items merged. A column "loaded" when its list page answered with a
status below 400; a column whose page failed is a broken link (links.*), never an empty column.
"""

from __future__ import annotations

import functools
from collections import Counter
from urllib.parse import urldefrag, urlsplit, urlunsplit

from govweb.capture import Capture, Column, DatedItem, Page
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector

INDEX_NAMES = ("index.html", "index.htm", "index.shtml", "index.jhtml", "index.jsp", "index.php", "index.aspx",
               "default.html", "default.htm", "default.aspx")
# Section pages that hold other columns, boards and guides: judged by their own checks, never "empty".
SECTION_CATEGORIES = ("disclosure", "services", "interaction")
# What an empty list page says instead of items.
EMPTY_MARKERS = ("暂无", "没有信息", "没有记录", "没有相关", "无相关信息", "无记录", "没有数据", "无数据", "没有内容",
                 "没有找到", "信息正在更新", "正在建设", "建设中")
CONTENT_PAGE_CHARS = 200  # own text (not shared with the home page) that makes a list-less column a content page
SECTION_PAGE_LINKS = 5  # own links (not on the home page) that make a list-less column a page of sub-columns
SIBLING_PAGES = 6  # other column pages read to tell a section's side menu from a page's own links and text
FORM_PREFIX = ("我要", "我想")  # 我要写信, 我要留言, 我要咨询: a form, not a list
NOISE_TAGS = "script, style, noscript, template, nav, header, footer, iframe"


@functools.lru_cache(maxsize=1 << 16)
def norm_url(url: str) -> str:
    """A column url in a comparable form: no fragment, no index file name, no trailing slash, lower-case host.
    Memoised: detectors compare every column with every stored page."""
    url = urldefrag((url or "").strip())[0]
    parts = urlsplit(url)
    path = parts.path
    for name in INDEX_NAMES:
        if path.lower().endswith("/" + name):
            path = path[: -len(name)]
            break
    path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), (parts.netloc or "").lower(), path, parts.query, ""))


def _merge_items(a: list[DatedItem], b: list[DatedItem]) -> list[DatedItem]:
    seen = {(i.url, i.title) for i in a}
    return a + [i for i in b if (i.url, i.title) not in seen]


def _better_status(a: int | None, b: int | None) -> int | None:
    loaded = [s for s in (a, b) if s is not None and s < 400]
    if loaded:
        return loaded[0]
    return a if a is not None else b


def unique_columns(cap: Capture, categories: tuple[str, ...] | None = None) -> list[Column]:
    """The capture's columns (optionally of some categories), one per normalised url, items merged."""
    out: dict[str, Column] = {}
    for col in cap.columns:
        if categories is not None and col.category not in categories:
            continue
        key = norm_url(col.url) or col.name
        old = out.get(key)
        if old is None:
            out[key] = col.model_copy()  # shallow: merging below assigns new lists, never mutates the capture's
            continue
        old.items = _merge_items(old.items, col.items)
        old.list_pages = list(dict.fromkeys(old.list_pages + col.list_pages))
        old.status = _better_status(old.status, col.status)
        old.error = old.error if old.status is not None and old.status < 400 else (old.error or col.error)
        old.offsite = old.offsite and col.offsite
        old.paginates = old.paginates or col.paginates
        old.total_pages = max(old.total_pages or 0, col.total_pages or 0) or None
    return list(out.values())


def list_pages(cap: Capture, col: Column) -> list[Page]:
    """The stored list pages of a column (page 1, page 2 ...)."""
    want = {norm_url(u) for u in [col.url, *col.list_pages]}
    return [p for p in cap.pages if p.kind in ("column", "disclosure")
            and (norm_url(p.column) in want or norm_url(p.url) in want or norm_url(p.final_url) in want)]


def loaded(cap: Capture, col: Column) -> bool | None:
    """True when the column's list page answered (< 400), False when it failed, None when it was not fetched."""
    pages = list_pages(cap, col)
    if (col.status is not None and col.status < 400) or any(p.status is not None and p.status < 400 for p in pages):
        return True
    if (col.status is not None and col.status >= 400) or col.error or pages:
        return False
    return None


def page_keys(cap: Capture, col: Column) -> list[str]:
    return [p.html_key for p in list_pages(cap, col) if p.html_key]


def column_label(col: Column) -> str:
    return f"{col.parent}/{col.name}" if col.parent and col.category == "key_area" else col.name


# -- columns.empty ---------------------------------------------------------------------------------------------

def _lines(ev: SiteEvidence, page: Page) -> list[str]:
    tree = ev.tree(page)
    for node in tree.css(NOISE_TAGS):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return []
    return [s for s in (" ".join(x.split()) for x in root.text(deep=True, separator="\n").split("\n")) if s]


def _own_text(ev: SiteEvidence, page: Page, shared: set[str]) -> str:
    """The page's text lines that the home page does not show too (navigation, footer, banners)."""
    return "".join(s for s in _lines(ev, page) if s not in shared)


def _home_lines(ev: SiteEvidence) -> set[str]:
    home = ev.capture.home
    if home is None or not home.html_key:
        return set()
    return set(_lines(ev, home))


def _is_content_page(ev: SiteEvidence, pages: list[Page], shared: set[str], home_links: set[str]) -> bool:
    """A column without a list that shows its own text (a single-page column such as 机构职能) or its own
    sub-column links (a section page), not a blank one. `shared` and `home_links`: the lines and links of
    the site's chrome (home page, and the side menu the column's sibling pages repeat)."""
    for page in pages:
        if not page.html_key or page.status is None or page.status >= 400:
            continue
        own = _own_text(ev, page, shared)
        if any(m in own for m in EMPTY_MARKERS):
            continue
        own_links = ({norm_url(x.href) for x in page.links if x.internal and x.text.strip()} - home_links
                     - {norm_url(page.url), norm_url(page.final_url or page.url)})
        if len(own) >= CONTENT_PAGE_CHARS or len(own_links) >= SECTION_PAGE_LINKS:
            return True
    return False


def _sibling_chrome(ev: SiteEvidence, col: Column, judged: list[Column]) -> tuple[set[str], set[str]]:
    """Lines and links that at least two other column pages of the site show too: a section's side menu,
    crumbs and banners (real CMS templates repeat them on every sub-column page). Siblings under the same
    parent and the parent section's page are asked first; at most SIBLING_PAGES pages are read."""
    cap = ev.capture
    parent = [c for c in unique_columns(cap) if c.name == col.parent] if col.parent else []
    ranked = sorted((c for c in judged if c is not col), key=lambda c: c.parent != col.parent or not col.parent)
    pages = [p for c in [*parent, *ranked] for p in list_pages(cap, c)[:1]
             if p.html_key and p.status is not None and p.status < 400][:SIBLING_PAGES]
    if len(pages) < 2:
        return set(), set()
    lines: Counter[str] = Counter(s for p in pages for s in set(_lines(ev, p)))
    links: Counter[str] = Counter(u for p in pages for u in {norm_url(x.href) for x in p.links})
    return {s for s, n in lines.items() if n >= 2}, {u for u, n in links.items() if n >= 2}


def _board_urls(cap: Capture) -> set[str]:
    if cap.board is None:
        return set()
    return {norm_url(u) for u in [cap.board.url, *cap.board.list_pages]}


def empty_candidates(ev: SiteEvidence) -> tuple[list[Column], int]:
    """Columns judged by columns.empty (loaded, on site, not a section page or the board), and how many
    columns were left out because their page failed or was not fetched."""
    cap = ev.capture
    section_words = set((ev.dictionary("column_synonyms") or {}).get("section_words") or [])
    board = _board_urls(cap)
    # pages under the 互动交流/办事服务 sections are forms and guides (我要写信, 办事指南), not lists
    form_parents = {c.name for c in cap.columns if c.category in ("interaction", "services")}
    out, unknown = [], 0
    for col in unique_columns(cap):
        name = col.name.strip()
        if (col.offsite or col.category in SECTION_CATEGORIES or name in section_words or name.startswith(FORM_PREFIX)
                or (col.parent and col.parent in form_parents) or norm_url(col.url) in board):
            continue
        state = loaded(cap, col)
        if state is True:
            out.append(col)
        else:
            unknown += 1
    return out, unknown


@detector("columns.empty")
def empty(ev: SiteEvidence) -> Verdict:
    """Columns whose list page loaded and lists nothing at all (dated or undated).

    All categories count, 重点领域 sub-columns included; offsite columns, section pages (政府信息公开, 办事服务,
    互动交流 and their kin), pages under the 互动交流/办事服务 sections (我要写信 forms, guides), the letters board
    and columns whose page failed are left out. A list-less column page
    that shows ≥ CONTENT_PAGE_CHARS of its own text (a single-page column) is not blank."""
    cap = ev.capture
    judged, skipped = empty_candidates(ev)
    if not judged:
        raise MissingEvidence("未采集到可判断的栏目列表页")
    shared: set[str] | None = None
    home_links = {norm_url(x.href) for x in (cap.home.links if cap.home else [])}
    blank: list[Column] = []
    content_pages = 0
    for col in judged:
        if col.items or (col.total_pages or 0) > 1:
            continue
        if shared is None:
            shared = _home_lines(ev)
        side_lines, side_links = _sibling_chrome(ev, col, judged)
        if _is_content_page(ev, list_pages(cap, col), shared | side_lines, home_links | side_links):
            content_pages += 1
            continue
        blank.append(col)
    keys = [k for col in blank for k in page_keys(cap, col)]
    note = f"（{content_pages}个栏目页面无列表但有正文或下级栏目，未计为空白）" if content_pages else ""
    note += f"（另有{skipped}个栏目页面未能打开或未采集，未判断）" if skipped else ""
    if not blank:
        return Verdict.judged(True, 0, f"检查{len(judged)}个栏目，未发现空白栏目{note}", keys)
    names = "、".join(column_label(c) for c in blank)
    return Verdict.judged(False, len(blank), f"{len(blank)}个栏目为空白栏目（列表页无任何信息）：{names}{note}", keys)


