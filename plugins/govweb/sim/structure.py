"""What each simulated site serves, as ground truth for crawl coverage: its columns and their list
pages, the 信息公开 pages, the letters board, the service guides and their downloads, the search and
the kinds of pages it serves.

Computed from the same content objects (and the same URL rules) the pages are rendered from, so a
coverage benchmark can compare a capture with it: ``site_structure(content)`` per site, ``rows(world)``
flat (one row per site and element), ``to_csv(world)`` for ``govweb sim structure``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urljoin

from govweb.sim import render
from govweb.sim.content import HOME_SLUGS, SiteContent, generate
from govweb.sim.world import World

STRUCTURE_COLUMNS = ("site_id", "kind", "name", "url", "category", "extra")
# Content kinds (govweb.sim.content.COLUMNS) -> the categories of dictionaries/column_synonyms.yaml.
CATEGORIES = {"news": "news", "notice": "notice", "policy": "policy", "interpretation": "interpretation",
              "plan": "plan", "other": "other", "key_area": "disclosure"}


@dataclass(frozen=True)
class ColumnStructure:
    slug: str
    name: str  # as the site shows it
    url: str
    category: str  # column_synonyms category (other: none of them)
    pages: int  # list pages
    page_urls: tuple[str, ...]  # every list page, as the site's pager links them
    items_first_page: int
    items_total: int
    key_area: bool = False
    offsite: str = ""  # the other site the column only links to
    linked_from: tuple[str, ...] = ()  # nav | home | xxgk | zdly | sitemap
    home_list: str = ""  # how its home block is served: static | script | iframe ("" when not on the home page)
    frame: str = ""  # the page the column's page frames its list in (its first list page; "" when not framed)

    @property
    def paginates(self) -> bool:
        return self.pages > 1


@dataclass(frozen=True)
class SectionStructure:
    key: str  # xxgk | bsfw | hdjl
    name: str
    url: str
    category: str  # disclosure | services | interaction


@dataclass(frozen=True)
class DisclosureStructure:
    index: str
    guide: str
    catalog: str
    annual_reports: str
    key_areas: str
    report_urls: tuple[str, ...]
    catalog_linked: bool


@dataclass(frozen=True)
class BoardStructure:
    name: str
    url: str
    pages: int
    page_urls: tuple[str, ...]
    letters: int
    answered_word: str
    pending_word: str
    layout: str  # table | ul | div
    pager: str  # slash | total | fraction


@dataclass(frozen=True)
class GuideStructure:
    title: str
    url: str
    attachments: tuple[str, ...]
    broken_attachments: tuple[str, ...]
    layout: str  # table | dl | p


@dataclass(frozen=True)
class SearchStructure:
    how: str  # form | script | none
    url: str  # the results endpoint ("" without search)
    login_form: bool  # a login form on the home page (not a search form)


@dataclass(frozen=True)
class PageKind:
    kind: str
    count: int
    example: str


@dataclass(frozen=True)
class SiteStructure:
    site_id: str
    home: str
    template: str
    encoding: str
    pager: str  # column list pager: links (index_N.html) | trs (createPageHTML script) | query (?page=N)
    list_layout: str  # template | div | ul-em | ul-span
    columns: tuple[ColumnStructure, ...]
    sections: tuple[SectionStructure, ...]
    disclosure: DisclosureStructure
    board: BoardStructure | None
    guides: tuple[GuideStructure, ...]
    services: str
    platform: str  # the 政务服务 platform link ("" without one)
    search: SearchStructure
    page_kinds: tuple[PageKind, ...]


def _columns(c: SiteContent, url) -> list[ColumnStructure]:
    out = []
    for col in list(c.columns.values()) + list(c.sections.key_areas.values()):
        key_area = col.kind == "key_area"
        pages = 1 if col.offsite else render.list_pages(c, col)
        linked = (("nav",) if col.slug in render.nav_slugs(c) else ()) + (("home",) if col.slug in HOME_SLUGS else ()) \
            + (("xxgk",) if col.slug in render.XXGK_SLUGS else ()) + (("zdly",) if key_area else ("sitemap",))
        on_home = col.slug in HOME_SLUGS
        shown = "iframe" if c.sim.iframes and col.slug == "tzgg" else ("script" if c.sim.js_lists else "static")
        out.append(ColumnStructure(
            col.slug, col.title, url(col.path), CATEGORIES[col.kind], pages,
            tuple(url(render.page_href(c, col, k)) for k in range(pages)),
            min(len(col.items), c.variants.page_size), len(col.items), key_area, col.offsite, linked,
            shown if on_home else "", url(frame) if (frame := render.frame_href(c, col)) else ""))
    return out


def _board(c: SiteContent, url) -> BoardStructure | None:
    s, v = c.sections, c.variants
    if not s.channel:
        return None
    return BoardStructure(v.board_name, url("/hdjl/"), s.board_pages,
                          tuple(url(render.board_href(p)) for p in range(1, s.board_pages + 1)), len(s.letters),
                          v.answered_word, v.pending_word, v.board_layout, v.board_pager)


def _page_kinds(c: SiteContent, cols: list[ColumnStructure], board: BoardStructure | None,
                guides: list[GuideStructure], url) -> list[PageKind]:
    lists = [p for col in cols if not col.offsite for p in col.page_urls]
    articles = [it for col in list(c.columns.values()) + list(c.sections.key_areas.values()) for it in col.items]
    kinds = [("home", 1, url("/")), ("column_list", len(lists), lists[0] if lists else ""),
             ("column_list_next", sum(col.pages - 1 for col in cols),
              next((col.page_urls[1] for col in cols if col.paginates), "")),
             ("article", len(articles), url(articles[0].path) if articles else ""),
             ("disclosure_index", 1, url("/xxgk/")), ("disclosure_guide", 1, url("/xxgk/zn/")),
             ("disclosure_catalog", 1, url("/xxgk/ml/")), ("annual_report_list", 1, url("/xxgk/nb/")),
             ("annual_report", len(c.sections.annual_reports),
              url(f"/xxgk/nb/{c.sections.annual_reports[0]}.html") if c.sections.annual_reports else ""),
             ("key_area_index", 1, url("/xxgk/zdly/")), ("services", 1, url("/bsfw/")),
             ("guide", len(guides), guides[0].url if guides else ""),
             ("attachment", sum(len(g.attachments) for g in guides), guides[0].attachments[0] if guides else "")]
    if board:
        letters = c.sections.letters
        kinds += [("board", board.pages, board.url), ("letter", len(letters), url(letters[0].path) if letters else "")]
    if not c.defect("search.present"):
        kinds.append(("search", 1, url("/search?q=")))
    return [PageKind(k, n, ex) for k, n, ex in kinds if n]


def site_structure(c: SiteContent) -> SiteStructure:
    home = urljoin(c.sim.site.url, "/")

    def url(path: str) -> str:
        return urljoin(home, path)

    v, s = c.variants, c.sections
    cols = _columns(c, url)
    sections = [SectionStructure(k, v.section_names.get(k, render.SECTION_TITLES[k]), url(f"/{k}/"), cat)
                for k, cat in (("xxgk", "disclosure"), ("bsfw", "services"), ("hdjl", "interaction"))
                if k != "hdjl" or s.channel]
    disclosure = DisclosureStructure(url("/xxgk/"), url("/xxgk/zn/"), url("/xxgk/ml/"), url("/xxgk/nb/"),
                                     url("/xxgk/zdly/"), tuple(url(f"/xxgk/nb/{y}.html") for y in s.annual_reports),
                                     s.catalog_linked)
    guides = [GuideStructure(g.title, url(g.path), (url(g.attachment),),
                             (url(g.attachment),) if g.attachment_broken else (), v.guide_layout) for g in s.guides]
    board = _board(c, url)
    search = SearchStructure("none" if c.defect("search.present") else v.search,
                             "" if c.defect("search.present") else url("/search"), v.login_form)
    return SiteStructure(c.sim.site_id, home, c.sim.template, c.sim.encoding, v.pager, v.list_layout,
                         tuple(cols), tuple(sections),
                         disclosure, board, tuple(guides), url("/bsfw/"),
                         f"http://zwfw.gov.test/{c.site_code}/" if s.platform_link else "", search,
                         tuple(_page_kinds(c, cols, board, guides, url)))


def _extra(**kw) -> str:
    return ";".join(f"{k}={'|'.join(v) if isinstance(v, tuple) else v}" for k, v in kw.items())


def site_rows(st: SiteStructure) -> list[dict]:
    """One flat row per element: site_id, kind, name, url, category, extra (key=value;...)."""
    def row(kind: str, name: str, url: str, category: str = "", **extra) -> dict:
        return {"site_id": st.site_id, "kind": kind, "name": name, "url": url, "category": category,
                "extra": _extra(**extra)}

    out = [row("site", st.template, st.home, encoding=st.encoding, pager=st.pager, list_layout=st.list_layout)]
    out += [row("section", x.name, x.url, x.category) for x in st.sections]
    for col in st.columns:
        out.append(row("key_area" if col.key_area else "column", col.name, col.url, col.category,
                       slug=col.slug, pages=col.pages, items_first_page=col.items_first_page,
                       items=col.items_total, offsite=col.offsite, linked_from=col.linked_from,
                       home_list=col.home_list, frame=col.frame))
        out += [row("column_page", col.name, p, col.category, slug=col.slug, page=k + 1)
                for k, p in enumerate(col.page_urls)]
    d = st.disclosure
    out += [row("disclosure", name, u, "disclosure") for name, u in
            (("index", d.index), ("guide", d.guide), ("catalog", d.catalog), ("annual_reports", d.annual_reports),
             ("key_areas", d.key_areas))]
    out += [row("annual_report", u.rsplit("/", 1)[1][:4], u, "disclosure") for u in d.report_urls]
    if st.board:
        b = st.board
        out.append(row("board", b.name, b.url, "interaction", pages=b.pages, letters=b.letters,
                       answered=b.answered_word, pending=b.pending_word, layout=b.layout, pager=b.pager))
        out += [row("board_page", b.name, p, "interaction", page=k + 1) for k, p in enumerate(b.page_urls)]
    out.append(row("services", "services", st.services, "services", platform=st.platform))
    for g in st.guides:
        out.append(row("guide", g.title, g.url, "services", layout=g.layout))
        out += [row("attachment", g.title, a, "services", broken=a in g.broken_attachments) for a in g.attachments]
    out.append(row("search", st.search.how, st.search.url, "search", login_form=st.search.login_form))
    out += [row("page_kind", k.kind, k.example, "", count=k.count) for k in st.page_kinds]
    return out


def structures(world: World) -> list[SiteStructure]:
    return [site_structure(generate(sim, world.year, world.as_of))
            for sim in sorted(world.sites.values(), key=lambda s: s.site_id)]


def rows(world: World) -> list[dict]:
    return [r for st in structures(world) for r in site_rows(st)]


def to_csv(world: World) -> str:
    """The structure rows of a world as CSV (what `govweb sim structure` prints)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(STRUCTURE_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(rows(world))
    return buf.getvalue()
