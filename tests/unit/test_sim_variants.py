"""The markup variants of the simulated web are served over HTTP the way real portals write them:
TRS createPageHTML pagination and its older inline pager, index_N.html and ?page=N pagers, div rows and ul/li
lists, dotted, month-only and year-less dates, PubDate meta, a script-driven search, a login form, board status
words and pagers, guide layouts with synonym labels, UTF-16 pages, column names from the synonyms, a home-page clock,
home lists in a tab box, 更多 links labelled in many ways, column lists in an iframe."""

from __future__ import annotations

import http.client
import re
from datetime import date
from urllib.parse import quote

import pytest
import yaml

from govweb import config
from govweb.sim import content, server, structure, truth, variants, world
from govweb.sim.server import answered_missing

TRS = "5100000062"  # portal: createPageHTML, ul/em lists, dotted dates, script search, login, div board, p guides
LINKS = "4301000011"  # classic: index_N.html pager, div rows, month-only 规划计划, ASP board pager, dl guides
QUERY = "3205000001"  # modern: ?page=N pager, ul/span lists, year-less home dates
UTF16 = "1101020001"  # portal served in UTF-16 with a BOM, the inline TRS pager, home lists in tabs
NO_SEARCH = "3702000012"  # no search, but a login form on the home page; home lists in a tab box
DICTS = config.checks_dir() / "dictionaries"


@pytest.fixture(scope="module")
def demo() -> world.World:
    return world.load("demo_2018", 2018)


@pytest.fixture(scope="module")
def live(demo):
    with server.SimServer(demo) as srv:
        yield srv


def site(w: world.World, site_id: str) -> world.SimSite:
    return next(s for s in w.sites.values() if s.site_id == site_id)


def gen(w: world.World, site_id: str) -> content.SiteContent:
    return content.generate(site(w, site_id), w.year, w.as_of)


def fetch_raw(srv, host: str, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def get(srv, w, site_id: str, path: str = "/") -> tuple[int, str]:
    status, headers, body = fetch_raw(srv, site(w, site_id).host, path)
    charset = re.search(r"charset=([\w-]+)", headers.get("content-type", ""))
    return status, body.decode(charset.group(1) if charset else "utf-8")


def art_paths(html: str) -> list[str]:
    return re.findall(r'href="(/art/\w+/\d+\.html)"', html)


# --- column pagination --------------------------------------------------------------------------

def test_trs_script_pagination_pages_are_index_n(live, demo):
    c = gen(demo, TRS)
    col = c.columns["ywdt"]
    size = c.variants.page_size
    pages = -(-len(col.items) // size)
    assert pages >= 2 and c.variants.pager == "trs"
    for k in range(pages):
        status, html = get(live, demo, TRS, f"/col/ywdt/index_{k}.html" if k else "/col/ywdt/")
        assert status == 200
        assert f'<script>createPageHTML({pages}, {k}, "index", "html");</script>' in html
        assert art_paths(html) == [it.path for it in col.items[k * size:(k + 1) * size]]
        assert "index_1.html" not in html.split("function createPageHTML")[0]  # the pager exists only as script
    assert answered_missing(*get(live, demo, TRS, f"/col/ywdt/index_{pages}.html"))


def test_trs_inline_pager_written_by_script_in_a_utf16_page(live, demo):
    """The older TRS pager: counts in variables, the next link written by document.write in pieces; the
    crawler's pagination reader follows it from the page as served (here in UTF-16)."""
    from selectolax.lexbor import LexborHTMLParser

    from govweb.parse.pagination import pagination

    c = gen(demo, UTF16)
    col = max(c.columns.values(), key=lambda col: len(col.items))
    pages = -(-len(col.items) // c.variants.page_size)
    assert pages >= 2 and c.variants.pager == "trs-inline"
    host = site(demo, UTF16).host
    for k in range(pages):
        path = f"{col.path}index_{k}.html" if k else col.path
        status, html = get(live, demo, UTF16, path)
        assert status == 200 and f"var currentPage = {k};" in html and f"var countPage = {pages}//" in html
        assert "createPageHTML" not in html and "index_1.html" not in html  # only pieces of it, in script
        pg = pagination(LexborHTMLParser(html), html, f"http://{host}{path}")
        assert (pg.total_pages, pg.current) == (pages, k + 1)
        assert pg.next_url == (f"http://{host}{col.path}index_{k + 1}.html" if k + 1 < pages else None)


def test_column_lists_in_an_iframe_paged_inside_the_frame(live, demo):
    """column_frames: the column's page frames its list (list.html), whose pager pages with ?page=N; what the
    structure states as the column's list pages is what is served."""
    sid = "5101000035"
    c = gen(demo, sid)
    assert c.variants.column_frames and c.variants.pager == "query"
    col = max((col for col in c.columns.values() if not col.offsite), key=lambda col: len(col.items))
    pages = -(-len(col.items) // c.variants.page_size)
    assert pages >= 2
    _, shell = get(live, demo, sid, col.path)
    assert '<iframe src="list.html"' in shell and "/art/" not in shell.split("<iframe")[1]
    size = c.variants.page_size
    for k in range(pages):
        status, framed = get(live, demo, sid, f"{col.path}list.html?page={k + 1}")
        assert status == 200 and art_paths(framed) == [it.path for it in col.items[k * size:(k + 1) * size]]
        assert (f'href="{col.path}list.html?page={k + 2}"' in framed) == (k + 1 < pages)
    assert answered_missing(*get(live, demo, sid, f"{col.path}list.html?page={pages + 1}"))
    stated = next(x for x in structure.site_structure(c).columns if x.slug == col.slug)
    host = f"http://{site(demo, sid).host}"
    assert stated.page_urls[:2] == (f"{host}{col.path}", f"{host}{col.path}list.html?page=2")


def test_links_pager_with_index_n_pages_and_total(live, demo):
    c = gen(demo, LINKS)
    col = c.columns["tzgg"]
    pages = -(-len(col.items) // c.variants.page_size)
    _, html = get(live, demo, LINKS, "/col/tzgg/")
    pager = re.search(r'<div class="pagination">(.*?)</div>', html).group(1)
    assert f"共{pages}页" in pager and '<a href="index_1.html">下一页</a>' in pager
    assert f'<a href="index_{pages - 1}.html">尾页</a>' in pager
    status, last = get(live, demo, LINKS, f"/col/tzgg/index_{pages - 1}.html")
    assert status == 200 and art_paths(last) == [it.path for it in col.items[(pages - 1) * c.variants.page_size:]]


def test_query_pager(live, demo):
    c = gen(demo, QUERY)
    col = next(x for x in c.columns.values() if len(x.items) > c.variants.page_size)
    _, first = get(live, demo, QUERY, col.path)
    assert f'href="{col.path}?page=2">下一页' in first
    status, second = get(live, demo, QUERY, f"{col.path}?page=2")
    assert status == 200 and art_paths(second)[0] == col.items[c.variants.page_size].path
    assert re.search(r"第2/\d+页", second)


# --- list markup and dates ----------------------------------------------------------------------

def test_div_rows_list(live, demo):
    c = gen(demo, LINKS)
    _, html = get(live, demo, LINKS, "/col/ywdt/")
    row = r'<div class="list-item"><a href="([^"]+)"[^>]*>([^<]+)</a><span class="date">([^<]+)</span>'
    rows = re.findall(row, html)
    items = c.columns["ywdt"].items[: c.variants.page_size]
    assert rows == [(it.path, it.title, it.date.isoformat()) for it in items]


def test_ul_em_list_with_dotted_dates(live, demo):
    c = gen(demo, TRS)
    _, html = get(live, demo, TRS, "/col/zcwj/")
    rows = re.findall(r'<li><a href="([^"]+)"[^>]*>[^<]+</a><em>([^<]+)</em></li>', html)
    want = [(it.path, f"{it.date.year}.{it.date.month:02d}.{it.date.day:02d}")
            for it in c.columns["zcwj"].items[: c.variants.page_size]]
    assert rows == want and re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", rows[0][1])


def test_plan_list_dates_are_month_only(live, demo):
    c = gen(demo, LINKS)
    _, html = get(live, demo, LINKS, "/col/ghjh/")
    shown = re.findall(r'<span class="date">([^<]+)</span>', html)
    assert shown == [f"{it.date.year}-{it.date.month:02d}" for it in c.columns["ghjh"].items[: c.variants.page_size]]
    _, other = get(live, demo, LINKS, "/col/ywdt/")
    assert re.search(r'<span class="date">\d{4}-\d{2}-\d{2}</span>', other)  # other lists keep full dates


def test_yearless_home_dates_infer_the_truths_freshness(live, demo):
    c = gen(demo, QUERY)
    _, html = get(live, demo, QUERY, "/")
    shown = re.findall(r'<span class="date">([^<]+)</span>', html)
    assert shown and all(re.fullmatch(r"\d{2}-\d{2}", x) for x in shown)

    def infer(md: str) -> date:  # the latest month-day not after the evaluation date
        m, d = map(int, md.split("-"))
        return next(day for y in (demo.as_of.year, demo.as_of.year - 1) if (day := date(y, m, d)) <= demo.as_of)

    age = (demo.as_of - max(infer(x) for x in shown)).days
    row = next(r for r in truth.site_rows(c, truth.scoring.load_thresholds()) if r["check_id"] == "freshness.homepage")
    assert str(age) == row["expected_value"] == "40"


def test_yearless_is_refused_when_the_year_would_be_ambiguous(demo):
    from govweb.sim import render

    sim = world.SimSite(site(demo, QUERY).site, "old.gov.test", "modern", {"freshness.homepage": 400},
                        variants={"home_yearless": True})
    c = content.generate(sim, demo.year, demo.as_of)
    html = render.render(c, "/", {}).body
    assert not re.search(r">\d{2}-\d{2}<", html) and re.search(r"\[\d{4}-\d{2}-\d{2}\]", html)


def test_article_pubdate_meta(live, demo):
    it = gen(demo, TRS).columns["tzgg"].items[2]
    _, html = get(live, demo, TRS, it.path)
    assert re.search(rf'<meta name="PubDate" content="{it.date.isoformat()} \d{{2}}:\d{{2}}">', html)
    _, plain = get(live, demo, "1100000088", it.path)
    assert 'name="PubDate"' not in plain


# --- search and login ---------------------------------------------------------------------------

def test_script_search_has_no_form_but_a_login_form_beside_it(live, demo):
    _, html = get(live, demo, TRS, "/")
    assert 'action="/search"' not in html and 'onclick="doSearch()"' in html
    assert "location.href = '/search?q=' + encodeURIComponent(q)" in html
    forms = re.findall(r"<form[^>]*>.*?</form>", html)
    assert len(forms) == 1 and 'action="/user/login"' in forms[0] and 'type="password"' in forms[0]
    it = gen(demo, TRS).columns["ywdt"].items[1]
    status, found = get(live, demo, TRS, "/search?q=" + quote(it.title[-8:]))
    assert status == 200 and f'href="{it.path}"' in found


def test_a_clock_on_the_home_page_rewritten_by_a_timer(live, demo):
    """Many portals greet with 今天是… and a script that rewrites it every second (the DOM never rests); the
    simulated one shows the as-of date, so the stored DOM is the same whenever it is captured."""
    _, html = get(live, demo, TRS, "/")
    assert '今天是：<span id="today">2018年10月15日 星期一</span>' in html and "setInterval" in html
    _, plain = get(live, demo, "1100000088", "/")
    assert 'id="today"' not in plain
    _, inner = get(live, demo, TRS, "/xxgk/")
    assert 'id="today"' not in inner  # the home page only


def test_home_lists_in_a_tab_box_reached_from_there_only(live, demo):
    """A tab box (选项卡): one label per home list, the first current, the other panels hidden, each with an
    image 更多; 要闻动态 and 通知公告 leave the main menu, so the box is the home page's only way to them. The
    crawler's column reader names each panel's column by its own label."""
    from selectolax.lexbor import LexborHTMLParser

    from govweb.parse.navigation import column_links

    c = gen(demo, NO_SEARCH)
    _, html = get(live, demo, NO_SEARCH, "/")
    labels = re.findall(r'<li id="tab\d"(?: class="on")? onmouseover="showTab\(\d\)">([^<]+)</li>', html)
    assert labels == [col.title for col in c.home_lists()]
    assert html.count('style="display:none"') == len(labels) - 1
    menu = re.search(r'<div class="menu">(.*?)</div>', html, re.S).group(1)
    for slug in ("ywdt", "tzgg"):
        assert f'href="{c.columns[slug].path}"' not in menu
    base = f"http://{site(demo, NO_SEARCH).host}/"
    named = {lk.url: lk.name for lk in column_links(LexborHTMLParser(html), base)}
    assert {col.path: named.get(base.rstrip("/") + col.path) for col in c.home_lists()} == \
        {col.path: col.title for col in c.home_lists()}
    linked = {col.slug: col.linked_from for col in structure.site_structure(c).columns}
    assert linked["ywdt"] == ("home", "sitemap") and "nav" in linked["bmdt"]
    _, plain = get(live, demo, "1100000088", "/")
    assert 'id="hometabs"' not in plain


def test_more_links_labelled_as_the_site_writes_them(live, demo):
    """+更多, 【更多】, 更&nbsp;多 …: the home blocks' 更多 links read as the site's variant says."""
    shown = {}
    for sid in (TRS, QUERY, "5101000035", "1100000088"):
        v = gen(demo, sid).variants
        _, html = get(live, demo, sid, "/")
        label = v.more_text if v.more_text != "template" else None
        shown[sid] = v.more_text
        if label:
            assert html.count(f">{label}</a>") == len(gen(demo, sid).home_lists()), sid
    assert len(set(shown.values())) == len(shown)  # four sites, four ways


def test_list_items_opened_by_script(live, demo):
    """item_links: the list items' links are window.open() calls, or a javascript: helper the page defines."""
    for sid, shape, page in (("3702000012", "onclick", "/col/tzgg/"), ("1101020001", "javascript", "/col/zcwj/")):
        assert gen(demo, sid).variants.item_links == shape
        for path in ("/", page):
            _, html = get(live, demo, sid, path)
            arts = re.findall(r'<a ([^>]*/art/[^>]*)>', html)
            assert arts and not any(a.startswith('href="/art/') for a in arts), (sid, path)
            if shape == "onclick":
                assert all(a.startswith('href="javascript:void(0);" onclick="window.open(\'/art/') for a in arts)
            else:
                assert all(a.startswith("href=\"javascript:openWin('/art/") for a in arts)
                assert "function openWin(url)" in html
    # item_links row: the row opens the page, its link is a placeholder
    assert gen(demo, "4406000001").variants.item_links == "row"
    for path in ("/", "/col/ywdt/"):
        _, html = get(live, demo, "4406000001", path)
        rows = re.findall(r"""<dd onclick="window.open\('(/art/\w+/\d+\.html)'\)"[^>]*><a ([^>]*)>""", html)
        assert rows and all(a.startswith('href="javascript:void(0)"') for _, a in rows), path
        assert 'href="/art/' not in html, path
    _, plain = get(live, demo, "1100000088", "/col/ywdt/")
    assert 'href="/art/ywdt/' in plain and "window.open" not in plain


def test_home_frameset_serves_a_frame_shell_whose_main_frame_is_the_home_page(live, demo):
    assert gen(demo, "4403030001").variants.home_frameset
    status, shell = get(live, demo, "4403030001", "/")
    assert status == 200 and '<frame src="/main.html"' in shell and "<frameset" in shell and "/col/" not in shell
    status, main = get(live, demo, "4403030001", "/main.html")
    assert status == 200 and "/col/" in main and "<frameset" not in main
    assert get(live, demo, "4403030001", "/top.html")[0] == 200
    assert answered_missing(*get(live, demo, "1100000088", "/main.html"))  # only the frameset sites serve it


def test_login_form_without_search(live, demo):
    _, html = get(live, demo, NO_SEARCH, "/")
    assert 'action="/user/login"' in html and 'action="/search"' not in html and "doSearch" not in html
    assert answered_missing(*get(live, demo, NO_SEARCH, "/search?q=x"))
    assert get(live, demo, NO_SEARCH, "/user/login")[0] == 200


# --- board --------------------------------------------------------------------------------------

def board_rows(live, demo, sid: str) -> tuple[list[str], str]:
    """Status words of every letter on the board, walking its pages by the pager's 下一页."""
    words, path, pagers = [], "/hdjl/", []
    while path:
        status, html = get(live, demo, sid, path)
        assert status == 200
        words += re.findall(r'class="status">([^<]+)<', html)
        pager = re.search(r'<div class="pager">(.*?)</div>', html, re.S).group(1)
        pagers.append(pager)
        nxt = re.search(r'<a href="([^"]+)">\[?下一页\]?</a>', pager)
        path = nxt.group(1) if nxt else ""
    return words, pagers[0]


@pytest.mark.parametrize(("sid", "answered", "pending", "pager"), [
    (LINKS, "已回复", "待处理", r"页次：1/(\d+)页"), (TRS, "已答复", "正在办理", r"第1/(\d+)页")])
def test_board_status_words_and_pagers(live, demo, sid, answered, pending, pager):
    c = gen(demo, sid)
    words, first = board_rows(live, demo, sid)
    assert set(words) <= {answered, pending} and len(words) == len(c.sections.letters)
    assert words.count(pending) == sum(x.pending for x in c.sections.letters) > 0
    pages = int(re.search(pager, first).group(1))
    assert pages == c.sections.board_pages
    if "尾页" in first:
        assert re.search(f'href="/hdjl/list_{pages}.html">\\[?尾页', first)
    assert answered_missing(*get(live, demo, sid, f"/hdjl/list_{pages + 1}.html"))
    x = next(x for x in c.sections.letters if x.pending)
    assert f'<td class="status">{pending}</td>' in get(live, demo, sid, x.path)[1]


def test_board_layouts(live, demo):
    assert '<ul class="letters">' in get(live, demo, LINKS, "/hdjl/")[1]
    assert '<div class="letter-row">' in get(live, demo, TRS, "/hdjl/")[1]
    assert '<table class="letters">' in get(live, demo, "1100000088", "/hdjl/")[1]


# --- guides -------------------------------------------------------------------------------------

def test_guide_layouts_with_synonym_labels(live, demo):
    synonyms = yaml.safe_load((DICTS / "guide_elements.yaml").read_text(encoding="utf-8"))
    _, dl = get(live, demo, LINKS, "/bsfw/guide/1.html")
    labels = re.findall(r"<dt>([^<]+)</dt><dd>", dl)
    _, p = get(live, demo, TRS, "/bsfw/guide/1.html")
    strong = re.findall(r"<p><strong>([^<]+)：</strong>", p)
    assert "办理依据" in strong and "受理条件" in strong
    g = gen(demo, LINKS).sections.guides[1]
    for shown in (labels, strong):
        assert len(shown) == len(g.elements)
        for element, label in zip(g.elements, shown, strict=True):
            assert label in synonyms[element], (element, label)


# --- encodings ----------------------------------------------------------------------------------

def test_utf16_site_has_bom_and_header_charset(live, demo):
    s = site(demo, UTF16)
    status, headers, body = fetch_raw(live, s.host, "/")
    assert status == 200 and "charset=utf-16" in headers["content-type"]
    assert body[:2] in (b"\xff\xfe", b"\xfe\xff")
    html = body.decode("utf-16")
    assert s.site.name in html and '<meta charset="utf-16">' in html
    status, headers, body = fetch_raw(live, s.host, "/col/ywdt/")
    assert body.decode("utf-16").count("/art/ywdt/") > 0


def test_scenario_has_a_utf16_site():
    w = world.load("scenario_2018", 2018)
    assert 1 <= sum(s.encoding == "utf-16" for s in w.sites.values()) <= 3
    assert sum(s.encoding == "gbk" for s in w.sites.values()) > 50


# --- names from the synonyms dictionaries -------------------------------------------------------

def test_column_and_key_area_names_come_from_the_synonyms():
    cols = yaml.safe_load((DICTS / "column_synonyms.yaml").read_text(encoding="utf-8"))
    areas = yaml.safe_load((DICTS / "key_areas.yaml").read_text(encoding="utf-8"))
    canon = dict(zip(content.COLUMNS, (t for t, _ in content.COLUMNS.values()), strict=True))
    w = world.load("scenario_2018", 2018, scale=60)
    renamed = 0
    for st in structure.structures(w):
        for col in st.columns:
            if col.key_area:
                assert col.name in areas[dict(zip(variants.KEY_AREA_NAMES, areas, strict=True))[col.slug]]
            elif col.category != "other":
                assert col.name in cols[col.category], (st.site_id, col.slug, col.name)
                renamed += col.name != canon[col.slug]
        for sec in st.sections:
            assert sec.name in cols[sec.category]
        assert len({c.name for c in st.columns}) == len(st.columns)  # distinct names within a site
    assert renamed > 60


def test_seeded_variants_cover_every_choice():
    w = world.load("scenario_2018", 2018)
    seen = {key: set() for key in variants.CHOICES}
    for s in w.sites.values():
        v = variants.for_site(s.site_id, s.template, s.variants)
        for key in seen:
            seen[key].add(getattr(v, key))
        assert (v.pager == "trs") <= (s.template in ("portal", "wcm"))
    assert {k: set(v) for k, v in variants.CHOICES.items()} == seen


def test_pinned_variants_are_validated(tmp_path):
    from govweb import inventory

    sites = inventory.load(config.inventory_dir() / "demo_2018.csv")
    for bad, needle in (("{pager: fancy}", "pager"), ("{colour: red}", "colour"), ("42", "variants")):
        path = tmp_path / "p.yaml"
        path.write_text(f'sites: {{"2200000007": {{variants: {bad}}}}}', encoding="utf-8")
        with pytest.raises(world.ScenarioError, match=needle):
            world.build(sites, path, 2018)


@pytest.mark.parametrize(("pinned", "mentions"), [
    ({"pager": "infinite-scroll"}, "variant pager must be one of"),
    ({"tabs": True}, "unknown variant key(s) ['tabs']"),
    ({"column_frames": True}, "pin pager: query beside it (got pager None)"),
    ({"column_frames": True, "pager": "links"}, "(got pager 'links')"),
])
def test_a_bad_variant_pin_names_the_site_and_what_to_do(pinned, mentions):
    with pytest.raises(ValueError) as err:
        variants.check(pinned, "demo_2018_sim.yaml: site 5101000035")
    assert str(err.value).startswith("demo_2018_sim.yaml: site 5101000035: ") and mentions in str(err.value)
    assert variants.check({"column_frames": True, "pager": "query"}, "x") == {"column_frames": True, "pager": "query"}


def test_framed_columns_drawn_for_a_query_pager_go_when_a_pin_replaces_the_pager():
    seeded = variants.seeded("5101000035", "modern")
    assert seeded.pager == "query" and seeded.column_frames
    assert not variants.for_site("5101000035", "modern", {"pager": "links"}).column_frames
    assert variants.for_site("5101000035", "modern", {"page_size": 15}).column_frames


@pytest.mark.parametrize(("site_id", "status", "location"), [
    ("4301000011", 302, "/404.html"),  # soft_404: redirect
    ("5100000062", 200, None),  # soft_404: inplace
    ("1100000088", 404, None),
])
def test_a_missing_page_is_answered_as_the_sites_soft_404_variant_says(live, demo, site_id, status, location):
    got, headers, body = fetch_raw(live, site(demo, site_id).host, "/zt/nothing-here.html")
    assert got == status and headers.get("location") == location
    if status == 200:
        assert "您访问的页面不存在" in body.decode("utf-8")
    if location:
        assert get(live, demo, site_id, location)[0] == 200
