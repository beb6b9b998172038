"""The site model: columns from the home page's navigation and blocks, the sections opened for their
sub-columns (政府信息公开 with its 重点领域), and each column's list pages, second page and samples."""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urldefrag, urlsplit

from govweb.capture import Column
from govweb.crawl import markup, script_pager
from govweb.crawl.context import Doc, SiteCrawl
from govweb.crawl.home import merge_items
from govweb.crawl.render import http_page, own_list, read_robots

log = logging.getLogger(__name__)
SECTION_CATEGORIES = ("disclosure", "services", "interaction")
SAMPLED_CATEGORIES = ("news", "notice", "policy", "interpretation", "plan", "key_area", "other")
KEY_AREA_WORDS = ("重点领域",)
MAX_COLUMN_NAME = 12  # longer link texts on a section page are entries (guides, letters), not columns
ACTION_PREFIXES = ("我要", "在线申请", "用户登录", "登录", "注册")  # buttons (我要写信), not columns
ENTRY_NAME = 8  # a list entry of a section page with a text this long is an entry, not a column
MAX_FRAMES = 2  # framed pages of a list-less column page read for its list
CATEGORY_ORDER = ("news", "notice", "policy", "interpretation", "disclosure", "key_area", "interaction",
                  "services", "plan", "other")


def page_kind(category: str) -> str:
    return "disclosure" if category == "disclosure" else "column"


def new_column(sc: SiteCrawl, link, found_in: str, parent: str = "", category: str | None = None) -> Column:
    url = urldefrag(link.url)[0]
    cat = category or markup.classify(link.name, sc.shared.dicts.column_synonyms)
    return Column(name=link.name, url=url, category=cat, found_in=found_in, parent=parent,
                  offsite=not sc.internal(url))


def add_columns(sc: SiteCrawl, columns: list[Column]) -> list[Column]:
    """Add columns not already known (by url) to the capture; return the ones added."""
    known = {c.url for c in sc.capture.columns}
    added = []
    for col in columns:
        if col.url not in known and col.url != sc.capture.url:
            known.add(col.url)
            sc.capture.columns.append(col)
            added.append(col)
    return added


# two-label public suffixes under which a registrable domain has three labels (songchuan.gov.cn)
PUBLIC_SUFFIXES = ("gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn", "ac.cn")


def site_domain(host: str) -> str:
    """The registrable domain of the site's host (www.songchuan.gov.cn -> songchuan.gov.cn), "" when the host
    is itself a bare suffix."""
    base = host.lower().removeprefix("www.")
    labels = base.split(".")
    if len(labels) < 2 or (len(labels) < 3 and ".".join(labels[-2:]) in PUBLIC_SUFFIXES):
        return ""
    return base


def sibling_host(host: str, site_host: str) -> bool:
    """Another host of the site's own domain: xxgk.songchuan.gov.cn beside www.songchuan.gov.cn."""
    domain = site_domain(site_host)
    host = host.lower()
    return bool(domain) and host != site_host and (host == domain or host.endswith("." + domain))


def adopt_section_hosts(sc: SiteCrawl, home: Doc, cols: list[Column]) -> None:
    """County portals serve 政府信息公开 (xxgk.) and 政民互动 (hd.) from subdomains of their own domain, linked
    as sections from the home navigation: such a host is the site's own for the crawl (its section is opened,
    its sub-columns, board pages and letters followed; it is not 外链). Only section links adopt a host, so
    other subdomains (department or county sites under a province's or city's domain) stay other sites."""
    for col in cols:
        host = (urlsplit(col.url).hostname or "").lower()
        if col.category in SECTION_CATEGORIES and col.offsite and sibling_host(host, sc.host):
            if host not in sc.section_hosts:
                log.info("%s: %s (%s) is the site's own section host", sc.site.site_id, host, col.name)
            sc.section_hosts.add(host)
    if sc.section_hosts:
        for col in cols:
            col.offsite = not sc.internal(col.url)
        home.page.links = markup.page_links(home.tree, home.base, sc.own_hosts)


def home_columns(sc: SiteCrawl, home: Doc) -> list[Column]:
    links = markup.column_links(home.tree, home.base)
    found = [new_column(sc, lk, lk.found_in if lk.found_in in ("nav", "block") else "nav") for lk in links]
    adopt_section_hosts(sc, home, found)
    return add_columns(sc, found)


async def open_section(sc: SiteCrawl, section: Column) -> list[Column]:
    """Open a section page; its sub-columns join the site model (under 政府信息公开 also 重点领域's)."""
    doc = await http_page(sc, section.url, "disclosure" if section.category == "disclosure" else "other")
    if doc is None or doc.tree is None:
        if doc is not None and doc.page.error:
            sc.partial(f"section page failed: {section.name} ({doc.page.error})")
        return []
    entries = {i.url: i for i in own_list(sc, doc)}
    own_platform = (urlsplit(section.url).hostname or "").lower() in sc.section_hosts
    subs = [new_column(sc, lk, "section", parent=section.name)
            for lk in markup.section_links(doc.tree, doc.base, own_menus=own_platform)
            if len(lk.name) <= MAX_COLUMN_NAME and not lk.name.startswith(ACTION_PREFIXES)
            and not _entry(entries.get(urldefrag(lk.url)[0]), lk.name)]
    added = add_columns(sc, subs)
    if section.category == "disclosure":
        for col in [c for c in added if any(w in c.name for w in KEY_AREA_WORDS) and not c.offsite]:
            await open_key_areas(sc, col)
    return added


def _entry(item, name: str) -> bool:
    """A section-page link that is an entry of the page's own list (a letter, a guide), not a column:
    it is dated, or its text is as long as a title rather than a column name."""
    return item is not None and (bool(item.date) or len(name) >= ENTRY_NAME)


async def open_key_areas(sc: SiteCrawl, page_col: Column) -> None:
    doc = await http_page(sc, page_col.url, "disclosure", column=page_col.url)
    if doc is None or doc.tree is None:
        return
    areas = sc.shared.dicts.key_areas
    subs = []
    for lk in markup.section_links(doc.tree, doc.base):
        col = new_column(sc, lk, "key_area", parent=page_col.name, category="key_area")
        if markup.key_area_match(lk.name, areas) is not None or sc.internal(col.url):
            subs.append(col)
    add_columns(sc, subs)


async def discover(sc: SiteCrawl, home: Doc) -> None:
    """Every column of the site: home navigation and blocks, then the sections' sub-columns."""
    cols = home_columns(sc, home)
    await asyncio.gather(*(read_robots(sc, f"{urlsplit(sc.capture.url).scheme}://{host}/")
                           for host in sorted(sc.section_hosts - set(sc.section_robots))))
    sections = [c for c in cols if c.category in SECTION_CATEGORIES and not c.offsite]
    await asyncio.gather(*(open_section(sc, s) for s in sections))
    ranked = sorted(sc.capture.columns, key=lambda c: CATEGORY_ORDER.index(c.category)
                    if c.category in CATEGORY_ORDER else len(CATEGORY_ORDER))
    keep = {id(c) for c in ranked[: sc.limits.columns]}
    dropped = len(sc.capture.columns) - len(keep)
    sc.capture.columns = [c for c in sc.capture.columns if id(c) in keep]
    if dropped > 0:
        log.info("%s: %d column(s) beyond the limit of %d not crawled", sc.site.site_id, dropped, sc.limits.columns)


def _offsite_page(sc: SiteCrawl, doc: Doc, home_links: set[str]) -> bool:
    """The column's page leads away: it redirected to another host, or has no items of its own and
    links to another site beyond the links every page of the site carries."""
    final = doc.page.final_url or doc.page.url
    if not sc.internal(final):
        return True
    if doc.page.items:
        return False
    return any(not lk.internal and lk.href not in home_links for lk in doc.page.links)


async def crawl_column(sc: SiteCrawl, col: Column, home_links: set[str]) -> None:
    if col.offsite:
        return
    doc = await http_page(sc, col.url, page_kind(col.category), column=col.url)
    if doc is None:
        col.error = "budget" if sc.capture.stats.budget_hit else "robots"
        return
    col.status, col.error = doc.page.status, doc.page.error
    if doc.tree is None or doc.page.error:
        return
    if not doc.page.column:
        doc.page.column = col.url
    col.list_pages.append(doc.page.final_url or col.url)
    items = own_list(sc, doc)
    framed = None if items else await framed_list(sc, doc, col)
    if framed is not None:  # the list and its pager are the framed page's
        doc, items = framed, own_list(sc, framed)
        col.list_pages.append(doc.page.final_url or doc.page.url)
    merge_items(col.items, items)
    if _offsite_page(sc, doc, home_links):
        col.offsite = True
        return
    pg = markup.pagination(doc.tree, doc.html, doc.page.final_url or col.url)
    col.total_pages = pg.total_pages
    second = await second_list_page(sc, col, doc, pg)
    col.paginates = second is not None or bool(pg.next_url) or (pg.total_pages or 1) > 1
    if second is not None:
        col.list_pages.append(second.page.url if second.page.reached_by else second.page.final_url or second.page.url)
        merge_items(col.items, own_list(sc, second))
    if col.category in SAMPLED_CATEGORIES:
        await sample_articles(sc, col)


async def second_list_page(sc: SiteCrawl, col: Column, doc: Doc, pg) -> Doc | None:
    """The column's second list page: the page its pager names, fetched over HTTP; else what its script pager
    shows when clicked in the browser (crawl.script_pager): clicked when the page was rendered (a list built by
    script), or now, when the served page has a 下一页 with no address behind it, or a pager form whose fields sent
    as a GET gave the first page again (a server that reads POST bodies only: the browser posts the form)."""
    if doc.next_doc is not None and not pg.next_url:
        return doc.next_doc
    if pg.next_url and sc.internal(pg.next_url):
        second = await http_page(sc, pg.next_url, page_kind(col.category), column=col.url)
        if second is None or second.tree is None or second.page.error:
            return None
        if not pg.by_form or not {i.url for i in own_list(sc, second)} <= {i.url for i in own_list(sc, doc)}:
            return second
        log.info("%s: %s: the pager submits a form; its page 2 as a GET (%s) lists no other item: clicked in the "
                 "browser", sc.site.site_id, col.name, pg.next_url)
    elif pg.next_url or doc.page.via != "http" or not markup.scripted_next(doc.tree):
        return None
    return await script_pager.load_and_click(sc, doc)


async def framed_list(sc: SiteCrawl, doc: Doc, col: Column) -> Doc | None:
    """A column page that shows its list in an iframe (old ASP and JSP portals: `<iframe src="list.asp?id=3">`):
    the first of its own site's framed pages (at most MAX_FRAMES) that holds a list, fetched as a list page of
    the column. Frames of other hosts (maps, video, statistics) are not the column's list."""
    if doc.tree is None:
        return None
    page_url = doc.page.final_url or doc.page.url
    sources = [u for u in markup.iframe_sources(doc.tree, page_url) if sc.internal(u) and u != page_url]
    for src in sources[:MAX_FRAMES]:
        framed = await http_page(sc, src, doc.page.kind, column=col.url)
        if framed is not None and framed.tree is not None and not framed.page.error and own_list(sc, framed):
            return framed
    return None


async def sample_articles(sc: SiteCrawl, col: Column) -> None:
    picks = [i.url for i in col.items if sc.internal(i.url)][: sc.limits.items_per_column]
    for url in picks:
        doc = await http_page(sc, url, "article", column=col.url)
        if doc is not None and doc.tree is not None:
            col.sampled.append(url)


async def crawl_columns(sc: SiteCrawl, home: Doc, skip: set[str]) -> None:
    home_links = {lk.href for lk in home.page.links}
    slots = asyncio.Semaphore(sc.settings.site_concurrency)

    async def one(col: Column) -> None:
        async with slots:
            await crawl_column(sc, col, home_links)

    await asyncio.gather(*(one(c) for c in sc.capture.columns if c.url not in skip))


_NUM = re.compile(r"\d+")


def guess_page_url(second_url: str, total: int) -> str | None:
    """The last list page from the second page's URL (list_2.html -> list_N.html, index_1 -> index_{N-1})."""
    matches = list(_NUM.finditer(second_url))
    for m in reversed(matches):
        k = int(m.group())
        if k in (1, 2):
            n = k + total - 2
            return second_url[: m.start()] + str(n) + second_url[m.end():]
    return None
