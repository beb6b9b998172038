"""Pages of a simulated site: path -> (status, body, content type). Pure: no sockets, no clocks."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from govweb.sim import variants
from govweb.sim.content import SiteContent, fmt_date

# auto_reload off: the templates ship with the package, and checking every template's mtime on each page was
# an eighth of the server's busy time in a crawl
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["j2"]), keep_trailing_newline=True, auto_reload=False)
# A 1x1 PNG: every image of the simulated web (banners, badges, QR codes).
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
                         "hKmMIQAAAABJRU5ErkJggg==")
STATIC = {"/about/": ("联系我们", ["地址：政务服务中心", "电话：12345"]),
          "/wza/": ("无障碍浏览", ["本网站提供无障碍浏览服务。"]),
          "/hdjl/write.html": ("我要写信", ["请登录后填写信件内容。"])}
HTML = "text/html"
DECLARED_CHARSET = {"utf-8-mislabelled": "gb2312"}  # what a page's <meta> says, where that is not its encoding
NAV_SLUGS = ("ywdt", "bmdt", "tzgg", "gsgg", "zcwj", "zcjd")  # columns in the main navigation
TABBED_OFF_NAV = ("ywdt", "tzgg")  # with the home lists in a tab box, reached from there only (and the sitemap)
XXGK_SLUGS = ("zcwj", "zcjd", "ghjh", "rsxx", "tjxx", "jytabl", "yjgl")  # columns listed on the 信息公开 page
SECTION_TITLES = {"xxgk": "政府信息公开", "bsfw": "办事服务", "hdjl": "互动交流"}


def nav_slugs(c: SiteContent) -> tuple[str, ...]:
    """The columns the site's main navigation links to (with the home lists in a tab box, not those)."""
    return tuple(s for s in NAV_SLUGS if not (c.variants.home_tabs and s in TABBED_OFF_NAV))


@dataclass
class Page:
    status: int
    body: str | bytes
    content_type: str = HTML


NOT_FOUND = Page(404, "<html><head><title>404</title></head><body><h1>404 页面不存在</h1></body></html>")
Route = Callable[[SiteContent, re.Match, Mapping, "Renderer"], Page]
ROUTES: list[tuple[re.Pattern, Route]] = []


def route(pattern: str):
    def add(fn: Route) -> Route:
        ROUTES.append((re.compile(f"^{pattern}$"), fn))
        return fn
    return add


def site_fmt(c: SiteContent) -> Callable[[date], str]:
    """How the site writes a date: its template's style, or 2018.09.04 where the variant says so."""
    style = "dotted" if c.variants.date_style == "dotted" else c.sim.template
    return lambda day: fmt_date(day, style)


def home_fmt(c: SiteContent) -> Callable[[date], str]:
    """Dates of the home blocks: year-less (09-04) on the one template that writes them so, when
    every home item is recent enough for the year to be inferred from the evaluation date."""
    items = [it for col in c.home_lists() for it in col.items]
    if c.variants.home_yearless and c.sim.template == variants.YEARLESS_TEMPLATE and items and \
            all(0 <= (c.as_of - it.date).days <= variants.YEARLESS_MAX_AGE for it in items):
        return lambda day: f"{day.month:02d}-{day.day:02d}"
    return site_fmt(c)


def list_fmt(c: SiteContent, col) -> Callable[[date], str]:
    """Dates of a column's list page: month-only (2018-09) on a 规划计划 list where the variant says so."""
    if col.slug == "ghjh" and c.variants.plan_month_only:
        return lambda day: f"{day.year}-{day.month:02d}"
    return site_fmt(c)


class Renderer:
    def __init__(self, c: SiteContent):
        self.c = c
        v = c.variants
        self.ctx = {
            "c": c, "d": c.sim.defects, "s": c.sections, "tpl": c.sim.template, "v": v,
            "fmt": site_fmt(c), "mobile": not c.defect("mobile.adapted"),
            "iframes": c.sim.iframes, "charset": DECLARED_CHARSET.get(c.sim.encoding, c.sim.encoding),
            "nav": [col for slug, col in c.columns.items() if slug in nav_slugs(c)],
            "section": lambda key: v.section_names.get(key, SECTION_TITLES[key]), "home": False,
            "xxgk_slugs": XXGK_SLUGS,
            "more": lambda own: Markup(own if v.more_text == "template" else v.more_text),
        }

    def page(self, name: str, **kw) -> Page:
        return Page(200, _env.get_template(name).render({**self.ctx, **kw}))

    def column(self, slug: str):
        return self.c.columns.get(slug) or self.c.sections.key_areas.get(slug)


def render(c: SiteContent, path: str, query: Mapping) -> Page:
    r = Renderer(c)
    for pattern, fn in ROUTES:
        m = pattern.match(path)
        if m:
            return fn(c, m, query, r)
    return NOT_FOUND


@route(r"/(?:index\.html?)?")
def home(c, m, q, r):
    if c.variants.home_frameset:  # the address answers with a frame shell; the home page is its main frame
        return r.page("pages/frameset.html.j2")
    return r.page(f"{c.sim.template}/home.html.j2", home=True, fmt=home_fmt(c))


@route(r"/main\.html")
def framed_home(c, m, q, r):
    if not c.variants.home_frameset:
        return NOT_FOUND
    return r.page(f"{c.sim.template}/home.html.j2", home=True, fmt=home_fmt(c))


@route(r"/top\.html")
def frameset_top(c, m, q, r):
    return Page(200, "<html><head><title></title></head><body></body></html>") if c.variants.home_frameset \
        else NOT_FOUND


def list_pages(c: SiteContent, col) -> int:
    """How many list pages a column has (page size per site; an empty column has one page)."""
    return max(1, -(-len(col.items) // c.variants.page_size))


def page_href(c: SiteContent, col, index: int) -> str:
    """The URL of list page `index` (0 = first, the column's own URL; its pager may also call it
    index.html) as the site's pager writes it."""
    if index == 0:
        return col.path
    if c.variants.pager in ("script", "ajax"):  # no address: the script pager shows page N in place (a click)
        return f"{col.path}#page={index + 1}"
    if c.variants.column_frames:  # the pager is in the framed list page
        return f"{col.path}list.html?page={index + 1}"
    if c.variants.pager in ("query", "form"):  # a form pager's page as its fields sent with GET say
        return f"{col.path}?page={index + 1}" + (f"&channelId={col.slug}" if c.variants.pager == "form" else "")
    return f"{col.path}index_{index}.html"


@route(r"/col/(\w+)/(?:index(?:_(\d+))?\.html?)?")
def column(c, m, q, r):
    col = r.column(m.group(1))
    if not col:
        return NOT_FOUND
    index = int(m.group(2) or 0)
    if m.group(2) == "0":
        return NOT_FOUND
    if str(q.get("page", "")).isdigit() and int(q["page"]) >= 1:
        index = int(q["page"]) - 1
    if frame_href(c, col):
        return r.page("pages/column_shell.html.j2", col=col) if index == 0 and not m.group(2) else NOT_FOUND
    if c.variants.column_moves and not m.group(0).endswith((".html", ".htm")) and not col.offsite:
        return moving_page(c, "index.html")
    if c.variants.pager in ("script", "ajax") and not col.offsite:  # one page; its script pages the items
        return r.page("pages/column_script.html.j2", col=col, size=c.variants.page_size, fmt=list_fmt(c, col),
                      served=c.variants.pager == "ajax") if not m.group(2) else NOT_FOUND
    return list_page(c, r, col, index, "pages/column.html.j2")


def moving_page(c: SiteContent, target: str) -> Page:
    """A page that moves the browser on to `target` (variant column_moves): a meta refresh, or a script."""
    if c.variants.column_moves == "meta":
        return Page(200, f'<html><head><meta http-equiv="refresh" content="0; url={target}"><title></title></head>'
                         "<body></body></html>")
    return Page(200, f'<html><head><title></title></head><body><script language="javascript">\n'
                     f'window.location.href = "{target}";\n</script></body></html>')


def list_page(c: SiteContent, r: Renderer, col, index: int, template: str, first: str = "") -> Page:
    """List page `index` of a column (its items and its pager), in the site's page or as a framed page (whose
    pager links its own first page, `first`, rather than the column page framing it)."""
    pages, size = list_pages(c, col), c.variants.page_size
    if index >= pages:
        return NOT_FOUND
    shown = type(col)(col.slug, col.title, col.kind, col.items[index * size:(index + 1) * size], col.offsite)
    hrefs = [first or page_href(c, col, 0)] + [page_href(c, col, k) for k in range(1, pages)]
    return r.page(template, col=shown, index=index, pages=pages, hrefs=hrefs, fmt=list_fmt(c, col))


def frame_href(c: SiteContent, col) -> str:
    """The framed list page of a column whose page shows its list in an iframe ("" otherwise)."""
    return f"{col.path}list.html" if c.variants.column_frames and not col.offsite else ""


@route(r"/col/(\w+)/list\.html")
def framed_list(c, m, q, r):
    """The list a column page shows in its iframe (column_frames), paged with ?page=N."""
    col = r.column(m.group(1))
    if not col or not frame_href(c, col):
        return NOT_FOUND
    page = str(q.get("page", "1"))
    if not page.isdigit() or page == "0":
        return NOT_FOUND
    return list_page(c, r, col, int(page) - 1, "pages/column_frame.html.j2", first=f"{frame_href(c, col)}?page=1")


@route(r"/art/(\w+)/(\d+)\.html")
def article(c, m, q, r):
    col = r.column(m.group(1))
    n = int(m.group(2))
    if not col or n >= len(col.items):
        return NOT_FOUND
    api = f"/api/art/{m.group(1)}/{n}.json" if c.variants.article_script else ""
    return r.page("pages/article.html.j2", it=col.items[n], column_title=col.title, pubdate=c.variants.pubdate_meta,
                  api=api)


@route(r"/api/art/(\w+)/(\d+)\.json")
def article_json(c, m, q, r):
    """The article a page of a site with variant article_script writes in by script: its title and HTML."""
    col = r.column(m.group(1))
    n = int(m.group(2))
    if not c.variants.article_script or not col or n >= len(col.items):
        return NOT_FOUND
    it = col.items[n]
    body = r.page("_article_body.html.j2", it=it).body
    return Page(200, json.dumps({"title": it.title, "html": body}, ensure_ascii=False), "application/json")


@route(r"/frag/col/(\w+)\.html")
def fragment(c, m, q, r):
    col = r.column(m.group(1))
    return r.page("pages/frag.html.j2", col=col) if col else NOT_FOUND


@route(r"/api/col/(\w+)\.json")
def column_json(c, m, q, r):
    """A column's items as JSON: the first `limit` (the home page's script lists), or with `page` and `size`
    one page of them and the count (the list pages of the script pager)."""
    col = r.column(m.group(1))
    if not col:
        return NOT_FOUND

    def rows(items, fmt) -> list[dict]:
        return [{"title": it.title, "url": it.path, "date": fmt(it.date)} for it in items]

    if "page" in q:
        page, size = str(q.get("page", "")), str(q.get("size", ""))
        if not (page.isdigit() and size.isdigit() and int(page) >= 1 and 1 <= int(size) <= 100):
            return Page(400, json.dumps({"error": "page and size must be positive numbers"}), "application/json")
        start = (int(page) - 1) * int(size)
        shown = rows(col.items[start:start + int(size)], list_fmt(c, col))
        body = {"total": len(col.items), "page": int(page), "rows": shown}
        return Page(200, json.dumps(body, ensure_ascii=False), "application/json")
    limit = int(q.get("limit", "20")) if str(q.get("limit", "20")).isdigit() else 20
    return Page(200, json.dumps(rows(col.items[:limit], r.ctx["fmt"]), ensure_ascii=False), "application/json")


@route(r"/search")
def search(c, m, q, r):
    if c.defect("search.present"):
        return NOT_FOUND
    query = str(q.get("q", ""))
    return r.page("pages/search.html.j2", q=query, results=c.search(query))


@route(r"/xxgk/")
def disclosure(c, m, q, r):
    return r.page("pages/xxgk.html.j2")


@route(r"/xxgk/zn/")
def disclosure_guide(c, m, q, r):
    return r.page("pages/simple.html.j2", heading="政府信息公开指南",
                  paragraphs=[f"为了更好地提供政府信息公开服务，{c.place}编制本指南。",
                              "公开方式：主动公开、依申请公开。受理机构：政府办公室。"])


@route(r"/xxgk/ml/")
def disclosure_catalog(c, m, q, r):
    docs = c.columns["zcwj"].items + [it for col in c.sections.key_areas.values() for it in col.items]
    return r.page("pages/xxgk_ml.html.j2", docs=docs)


@route(r"/xxgk/nb/")
def annual_reports(c, m, q, r):
    return r.page("pages/xxgk_nb.html.j2")


@route(r"/xxgk/nb/(\d{4})\.html")
def annual_report(c, m, q, r):
    year = int(m.group(1))
    if year not in c.sections.annual_reports:
        return NOT_FOUND
    return r.page("pages/simple.html.j2", heading=f"{c.place}{year}年政府信息公开工作年度报告",
                  paragraphs=[f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为{year}年1月1日至12月31日。"])


@route(r"/xxgk/zdly/")
def key_areas(c, m, q, r):
    return r.page("pages/xxgk_zdly.html.j2")


@route(r"/bsfw/")
def services(c, m, q, r):
    return r.page("pages/bsfw.html.j2")


@route(r"/bsfw/guide/(\d+)\.html")
def guide(c, m, q, r):
    n = int(m.group(1))
    guides = c.sections.guides
    return r.page("pages/guide.html.j2", g=guides[n]) if n < len(guides) else NOT_FOUND


@route(r"/bsfw/files/form_(\d+)\.doc")
def form_download(c, m, q, r):
    n = int(m.group(1))
    guides = c.sections.guides
    if n >= len(guides) or guides[n].attachment_broken:
        return NOT_FOUND
    return Page(200, f"{guides[n].title}申请表".encode(), "application/msword")


@route(r"/hdjl/(?:list_(\d+)\.html)?")
def board(c, m, q, r):
    s = c.sections
    page = int(m.group(1) or 1)
    if not s.channel or page > s.board_pages:
        return NOT_FOUND
    return r.page("pages/board.html.j2", letters=s.board_page(page), page=page, pages=s.board_pages,
                  board_href=board_href)


def board_href(page: int) -> str:
    return "/hdjl/" if page == 1 else f"/hdjl/list_{page}.html"


@route(r"/hdjl/letter/(\d+)\.html")
def letter(c, m, q, r):
    n = int(m.group(1))
    found = next((x for x in c.sections.letters if x.n == n), None)
    return r.page("pages/letter.html.j2", x=found) if found else NOT_FOUND


@route(r"/user/login")
def login(c, m, q, r):
    if not c.variants.login_form:
        return NOT_FOUND
    return r.page("pages/simple.html.j2", heading="用户登录", paragraphs=["请输入用户名和密码。"])


@route(r"/app/")
def app_page(c, m, q, r):
    if "app" not in c.channels:
        return NOT_FOUND
    return r.page("pages/simple.html.j2", heading="移动客户端", paragraphs=["扫码下载政务App。"])


COMMON_JS = """/* 公共脚本 (站点: {name}) */
var ctxPath = "/";
/* 打开信息详情页: 列表页以栏目和信息编号调用 */
function showInfo(channel, infoId) {{
    var url = ctxPath + channel + "/" + infoId + ".html";
    window.open(url, "_blank");
}}
function addFavorite() {{
    try {{ window.external.addFavorite(location.href, document.title); }} catch (e) {{ alert("请按 Ctrl+D 收藏本站"); }}
}}
"""


@route(r"/js/common\.js")
def common_js(c, m, q, r):
    """The site's script file defining the helper its list items call (item_links helper_file), in the site's
    own encoding as such files are saved (no charset in the header)."""
    if c.variants.item_links != "helper_file":
        return NOT_FOUND
    enc = "gbk" if c.sim.encoding == "gbk" else "utf-8"
    return Page(200, COMMON_JS.format(name=c.sim.site.name).encode(enc), "application/javascript")


@route(r"/img/[\w.-]+\.(?:png|jpg)")
def image(c, m, q, r):
    return Page(200, PIXEL, "image/png")


@route(r"/sitemap/")
def sitemap(c, m, q, r):
    return r.page("pages/sitemap.html.j2")


@route(r"/(?:about|wza)/|/hdjl/write\.html")
def static_page(c, m, q, r):
    if m.group(0).startswith("/hdjl/") and not c.sections.channel:
        return NOT_FOUND
    heading, paragraphs = STATIC[m.group(0)]
    return r.page("pages/simple.html.j2", heading=heading, paragraphs=paragraphs)
