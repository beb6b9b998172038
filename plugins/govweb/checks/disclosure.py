"""政府信息公开 (disclosure) detectors: the catalogue (目录), the 重点领域 sub-columns, columns replaced by
links to other sites, the annual reports (年报); and 政策解读 (interpretation.present).

"The section" is the 政府信息公开 part of the site: disclosure/key-area columns, pages the crawler stored as
`kind="disclosure"`, or a home-page link named 信息公开/政务公开. A site without any of these fails the
catalogue and annual-report checks (there is nothing to publish them in); a site whose section exists but whose
目录/年报 page the crawl did not store is not measured.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

from govweb.capture import Capture, Column, Link, Page
from govweb.checks.columns import column_label, list_pages, loaded, norm_url, page_keys, unique_columns
from govweb.checks.registry import MissingEvidence, SiteEvidence, Verdict, detector

SECTION_WORDS = ("信息公开", "政务公开")
# Names of a section page: words that name it anywhere, and words that name it only inside the section
# (a disclosure column or page): 行政许可事项目录 or 统计年报 elsewhere on the site are not the 目录 or 年报.
Wanted = tuple[tuple[str, ...], tuple[str, ...]]
CATALOG: Wanted = (("信息公开目录", "公开目录"), ("目录",))
REPORT: Wanted = (("信息公开年报", "公开年报", "信息公开工作年度报告", "信息公开年度报告"), ("年报", "年度报告"))
KEY_AREA: Wanted = (("重点领域",), ())
REPORT_WORDS = ("年报", "年度报告")
CONTENT_CATEGORIES = ("news", "notice", "policy", "interpretation", "plan", "key_area")
NAV_HINT = re.compile(r"nav|menu|header|footer|foot|top|crumb|position|banner|location|sidebar|left|tree", re.I)
DEAD_HREF = re.compile(r"^\s*(#.*|javascript:\s*(void\s*\(\s*0?\s*\)|;)?\s*;?\s*)?$", re.I)
CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))
YEAR = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九]{4})\s*年")
BARE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
MIN_LINKED_SHARE = 0.5  # a catalogue passes when at least this share of its entries lead to content
MIN_ENTRY_CHARS = 6


# -- finding the section and its pages -------------------------------------------------------------------------

def _named(text: str, words: tuple[str, ...]) -> bool:
    return any(w in (text or "") for w in words)


def section_exists(cap: Capture) -> bool:
    home_links = cap.home.links if cap.home else []
    return (any(c.category in ("disclosure", "key_area") for c in cap.columns)
            or bool(cap.pages_of("disclosure"))
            or any(_named(x.text, SECTION_WORDS) for x in home_links))


def _names(text: str, category: str, wanted: Wanted) -> bool:
    strict, loose = wanted
    return _named(text, strict) or (category == "disclosure" and _named(text, loose))


def _columns_named(cap: Capture, wanted: Wanted) -> list[Column]:
    return [c for c in unique_columns(cap) if _names(c.name, c.category, wanted)]


def named_pages(cap: Capture, wanted: Wanted) -> list[Page]:
    """Stored pages of the section named by `wanted`: columns so named, and disclosure pages so titled."""
    out: list[Page] = []
    for col in _columns_named(cap, wanted):
        out += list_pages(cap, col)
        page = cap.page(col.url)
        if page is not None:
            out.append(page)
    out += [p for p in cap.pages_of("disclosure") if _names(p.title, "disclosure", wanted)]
    return list({id(p): p for p in out}.values())


def _links_named(cap: Capture, wanted: Wanted) -> list[Link]:
    pages = [p for p in cap.pages if p.kind in ("home", "disclosure")]
    return [x for p in pages for x in p.links if _names(x.text, "disclosure" if p.kind == "disclosure" else "", wanted)]


def _fetched(page: Page) -> bool:
    return page.status is not None and page.status < 400 and bool(page.html_key)


def _missing_page_verdict(cap: Capture, what: str, wanted: Wanted, value: bool | None) -> Verdict:
    """No stored page named by `words`: fail (with `value`) when the site has no such section, entry or page,
    or the page failed; not measured when an entry exists whose page the crawl did not store."""
    if not section_exists(cap):
        return Verdict.judged(False, value, f"网站未设置政府信息公开栏目，未发现{what}")
    failed = [(p.url, p.status or p.error) for p in named_pages(cap, wanted)
              if p.status is None or p.status >= 400]
    failed += [(c.url, c.status or c.error) for c in _columns_named(cap, wanted) if loaded(cap, c) is False]
    if failed:
        return Verdict.judged(False, value, f"{what}页面无法打开（{failed[0][0]}，{failed[0][1] or '未保存'}）")
    if _links_named(cap, wanted) or _columns_named(cap, wanted):
        raise MissingEvidence(f"网站有{what}入口，但采集结果中没有该页面")
    index = [p for p in cap.pages_of("disclosure") if _fetched(p)]
    if index:
        return Verdict.judged(False, value, f"政府信息公开栏目中未发现{what}", [p.html_key for p in index[:1]])
    raise MissingEvidence(f"未采集到政府信息公开栏目页面，无法判断{what}")


# -- disclosure.catalog_linked ---------------------------------------------------------------------------------

def _navigation(node) -> bool:
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in ("nav", "header", "footer"):
            return True
        attrs = node.attributes
        if NAV_HINT.search(f"{attrs.get('class') or ''} {attrs.get('id') or ''}"):
            return True
        node = node.parent
    return False


def _entries(tree) -> list:
    """The catalogue's entries: the rows of the richest leaf table, or the items of the richest leaf list,
    outside navigation/header/footer/tree blocks."""
    groups = []
    for table in tree.css("table"):
        if len(table.css("table")) > 1 or _navigation(table):  # css() includes the node itself
            continue
        groups.append([tr for tr in table.css("tr") if tr.css_first("td") is not None])
    for lst in tree.css("ul, ol"):
        if len(lst.css("ul, ol")) > 1 or _navigation(lst):
            continue
        groups.append(lst.css("li"))
    scored = [(sum(len(" ".join(e.text(deep=True).split())) >= MIN_ENTRY_CHARS for e in g), g) for g in groups]
    scored = [(s, g) for s, g in scored if s >= 2]
    return max(scored, key=lambda p: p[0])[1] if scored else []


def _leads_somewhere(entry, page_url: str) -> bool:
    for a in entry.css("a"):
        href = (a.attributes.get("href") or "").strip()
        if a.attributes.get("onclick") or (href.lower().startswith("javascript:") and not DEAD_HREF.match(href)):
            return True  # opened by script (TRS/Hanweb catalogues: javascript:openDoc('...'))
        if href and not DEAD_HREF.match(href) and norm_url(urldefrag(urljoin(page_url, href))[0]) != page_url:
            return True
    return False


@detector("disclosure.catalog_linked")
def catalog_linked(ev: SiteEvidence) -> Verdict:
    """The 信息公开目录 lists entries that lead to content (links to the documents), not a static text list.

    Fails when fewer than MIN_LINKED_SHARE of the entries carry a link to another page (links to the page
    itself, `#` or `javascript:void(0)` do not count; script-opened links do), when the 目录 page failed, or
    when the site has no 政府信息公开 section; not measured when the section exists but the 目录 page was not
    stored or lists no entries the detector can read."""
    cap = ev.capture
    pages = [p for p in named_pages(cap, CATALOG) if _fetched(p)]
    if not pages:
        return _missing_page_verdict(cap, "信息公开目录", CATALOG, False)
    for page in pages:
        entries = _entries(ev.tree(page))
        if not entries:
            continue
        url = norm_url(page.final_url or page.url)
        linked = sum(_leads_somewhere(e, url) for e in entries)
        ok = linked >= MIN_LINKED_SHARE * len(entries)
        detail = f"信息公开目录列出{len(entries)}条信息，其中{linked}条链接到具体内容"
        if not ok:
            detail += "；目录条目为静态文字，无法打开对应信息" if linked == 0 else "；多数条目无法打开对应信息"
        return Verdict.judged(ok, ok, detail, [page.html_key])
    raise MissingEvidence("信息公开目录页面未列出可识别的条目（可能由脚本加载）")


# -- disclosure.key_areas --------------------------------------------------------------------------------------

def _key_area(name: str, areas: dict[str, list[str]]) -> str:
    """The canonical key area a column name stands for ("" when none); the longest synonym wins."""
    best, size = "", 0
    for canonical, synonyms in areas.items():
        for word in [canonical, *(synonyms or [])]:
            if word in name and len(word) > size:
                best, size = canonical, len(word)
    return best


@detector("disclosure.key_areas")
def key_areas(ev: SiteEvidence) -> Verdict:
    """Number of required 重点领域 (dictionary key_areas, 8 names with synonyms) without a column.

    A key_area column, or any column whose name matches, makes an area present; a matching column whose page
    failed does not. Not measured when no area was found and a 重点领域 page exists that the crawl did not store."""
    cap = ev.capture
    areas: dict[str, list[str]] = ev.dictionary("key_areas")
    present: dict[str, Column] = {}
    broken: dict[str, Column] = {}
    for col in unique_columns(cap):
        area = _key_area(col.name, areas)
        if not area:
            continue
        (broken if loaded(cap, col) is False else present).setdefault(area, col)
    if not present and not broken:
        index = [c for c in _columns_named(cap, KEY_AREA) if loaded(cap, c) is None]
        if index:
            raise MissingEvidence("网站有重点领域信息公开栏目，但采集结果中没有其下级栏目")
    missing = [a for a in areas if a not in present]
    keys = [k for c in present.values() for k in page_keys(cap, c)][:8]
    if not missing:
        return Verdict.judged(True, 0, f"{len(areas)}个重点领域栏目齐全", keys)
    names = "、".join(a + ("（栏目页面无法打开）" if a in broken else "") for a in missing)
    return Verdict.judged(False, len(missing), f"缺少{len(missing)}个重点领域信息公开栏目：{names}", keys)


# -- disclosure.offsite_substitution ---------------------------------------------------------------------------

@detector("disclosure.offsite_substitution")
def offsite_substitution(ev: SiteEvidence) -> Verdict:
    """Content columns (news, notice, policy, interpretation, plan, 重点领域) that only link to another site and
    list nothing of their own. Section entries (政务服务 platform, 12345, 信息公开 platform) are legitimate
    links and not counted."""
    cap = ev.capture
    cols = unique_columns(cap, CONTENT_CATEGORIES)
    if not cols:
        raise MissingEvidence("未采集到栏目信息")
    away = [c for c in cols if c.offsite and not c.items]
    keys = [k for c in away for k in page_keys(cap, c)]
    if not away:
        return Verdict.judged(True, 0, f"检查{len(cols)}个栏目，未发现以外链替代栏目内容", keys)
    names = "、".join(column_label(c) for c in away)
    return Verdict.judged(False, len(away), f"{len(away)}个栏目仅链接到其他网站、无本站内容：{names}", keys)


# -- disclosure.annual_report ----------------------------------------------------------------------------------

def report_year(text: str, on_report_page: bool) -> int | None:
    """The year of an annual report named by `text` (2017年…年度报告, 二〇一七年…年报); None when the text
    does not name one. Off the report page, the text must say 信息公开 too (not 政府工作报告)."""
    text = " ".join((text or "").split())
    if not (_named(text, REPORT_WORDS) or ("信息公开" in text and "报告" in text)):
        return None
    if not on_report_page and "信息公开" not in text:
        return None
    m = YEAR.search(text) or BARE_YEAR.search(text)
    if not m:
        return None
    return int("".join(CN_DIGITS.get(ch, ch) for ch in m.group(1)))


def _reachable(cap: Capture, url: str) -> bool:
    check = next((c for c in cap.link_checks if c.url == url), None)
    return check is None or not (check.status is not None and check.status >= 400)


def _report_years(cap: Capture, report_pages: list[Page], year: int) -> dict[int, str]:
    """year -> the title naming it, from the report list pages, 年报 columns and the section's pages."""
    found: dict[int, str] = {}

    def add(text: str, on_page: bool, url: str = "") -> None:
        y = report_year(text, on_page)
        if y is not None and 1990 <= y <= year and (not url or _reachable(cap, url)):
            found.setdefault(y, " ".join(text.split()))

    for page in report_pages:
        for x in page.links:
            add(x.text, True, x.href)
        for it in page.items:
            add(it.title, True, it.url)
    for col in _columns_named(cap, REPORT):
        for it in col.items:
            add(it.title, True, it.url)
    for page in cap.pages_of("disclosure"):
        add(page.title, False)
        for x in page.links:
            add(x.text, False, x.href)
    return found


@detector("disclosure.annual_report")
def annual_report(ev: SiteEvidence) -> Verdict:
    """The latest 政府信息公开工作年度报告 listed (value: its year, text); fails when it is older than the evaluation
    year minus max_lag_years, or when none is listed."""
    cap = ev.capture
    lag = int(ev.threshold("disclosure.annual_report", "max_lag_years"))
    pages = [p for p in named_pages(cap, REPORT) if _fetched(p)]
    years = _report_years(cap, pages, cap.year)
    keys = [p.html_key for p in pages]
    if not years:
        if pages:
            return Verdict.judged(False, None, "信息公开年报栏目未列出任何年度报告", keys)
        return _missing_page_verdict(cap, "信息公开年报", REPORT, None)
    latest = max(years)
    ok = latest >= cap.year - lag
    detail = f"最新信息公开年报为{latest}年度（{years[latest][:40]}），共列出{len(years)}个年度"
    if not ok:
        detail += f"；评估年度{cap.year}年应至少有{cap.year - lag}年度年报"
    return Verdict.judged(ok, str(latest), detail, keys)


# -- interpretation.present ------------------------------------------------------------------------------------

POLICY_LINK_WORDS = ("原文", "相关文件", "政策文件", "文件链接", "附件：", "相关链接：《")
QUOTED = re.compile(r"《([^》]{4,80})》")


def _dir(url: str) -> str:
    path = norm_url(url)
    return path.rsplit("/", 1)[0] if "/" in path else path


def _links_policy(article: Page, policy_urls: set[str], policy_dirs: set[str],
                  policy_titles: list[str]) -> bool:
    """The sampled interpretation article links (or names in its title) the policy document it explains."""
    for x in article.links:
        href = norm_url(x.href)
        if href in policy_urls or (x.internal and _dir(x.href) in policy_dirs):
            return True
        if any(w in x.text for w in POLICY_LINK_WORDS) or any(t and t in x.text for t in policy_titles):
            return True
    quoted = QUOTED.findall(article.title)
    return any(q in t or t in q for q in quoted for t in policy_titles if t)


@detector("interpretation.present")
def interpretation_present(ev: SiteEvidence) -> Verdict:
    """A 政策解读 column (category interpretation) listing at least one item. The detail also reports how many
    sampled interpretation articles link the policy they explain (a link into a policy column, a 原文/相关文件
    link, or the policy's title in 《》); that share does not change the verdict."""
    cap = ev.capture
    cols = unique_columns(cap, ("interpretation",))
    if not cols:
        return Verdict.judged(False, False, "未发现政策解读栏目")
    filled = [c for c in cols if c.items]
    keys = [k for c in cols for k in page_keys(cap, c)]
    if not filled:
        states = [loaded(cap, c) for c in cols]
        if all(s is None for s in states):
            raise MissingEvidence("政策解读栏目页面未采集")
        names = "、".join(c.name for c in cols)
        why = "页面无法打开" if not any(states) else "无任何信息"
        return Verdict.judged(False, False, f"政策解读栏目（{names}）{why}", keys)
    policies = [i for c in unique_columns(cap, ("policy",)) for i in c.items]
    policy_urls = {norm_url(i.url) for i in policies}
    policy_dirs = {_dir(i.url) for i in policies}
    titles = [" ".join(i.title.split()) for i in policies if len(i.title) >= 6]
    interp = {norm_url(c.url) for c in filled} | {norm_url(u) for c in filled for u in c.list_pages}
    articles = [p for p in cap.pages_of("article") if norm_url(p.column) in interp and p.status and p.status < 400]
    n_items = sum(len(c.items) for c in filled)
    detail = f"政策解读栏目（{'、'.join(c.name for c in filled)}）有{n_items}条信息"
    if articles:
        linked = sum(_links_policy(a, policy_urls, policy_dirs, titles) for a in articles)
        detail += f"；抽查{len(articles)}篇解读，{linked}篇关联了所解读的政策文件"
        keys += [a.html_key for a in articles if a.html_key]
    return Verdict.judged(True, True, detail, keys)
