"""The served structure (govweb.sim.structure) agrees with what the simulated web serves over HTTP:
every column and list page it names answers, with the items it says; the page after the last one
does not; key areas, board pages, guides and downloads, search and sections are where it says."""

from __future__ import annotations

import csv
import dataclasses
import http.client
import io
import json
import re
from urllib.parse import urljoin, urlsplit

import pytest

from govweb.sim import content, server, structure, world
from govweb.sim.server import answered_missing

SITES = ("5100000062", "4301000011", "3205000001", "1101020001", "3702000012", "5101000035")


MOVE = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)"|window\.location\.href = "([^"]+)"')
AJAX = "4406000001"  # pinned here to pager "ajax" (first page served, later ones by script); the demo keeps it plain
MOVES = "5100000062"  # pinned here to column_moves "meta" (the demo's 2200000007 moves on by script)


@pytest.fixture(scope="module")
def demo() -> world.World:
    w = world.load("demo_2018", 2018)
    host, sim = next((h, s) for h, s in w.sites.items() if s.site_id == AJAX)
    w.sites[host] = dataclasses.replace(sim, variants={**sim.variants, "pager": "ajax", "page_size": 15})
    host, sim = next((h, s) for h, s in w.sites.items() if s.site_id == MOVES)
    w.sites[host] = dataclasses.replace(sim, variants={**sim.variants, "column_moves": "meta"})
    return w


@pytest.fixture(scope="module")
def live(demo):
    with server.SimServer(demo) as srv:
        yield srv


@pytest.fixture(scope="module")
def structures(demo) -> dict[str, structure.SiteStructure]:
    return {st.site_id: st for st in structure.structures(demo)}


def get(srv, url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Host": parts.hostname})
        resp = conn.getresponse()
        body = resp.read()
        charset = resp.headers.get_content_charset() or "utf-8"
        return resp.status, body.decode(charset, errors="replace")
    finally:
        conn.close()


def hrefs(html: str, base: str) -> set[str]:
    return {urljoin(base, h) for h in re.findall(r'href="([^"]+)"', html)}


@pytest.mark.parametrize("sid", [*SITES, "4403030001", AJAX, "2200000007"])  # lists by script; moving columns
def test_columns_and_list_pages_are_served_as_stated(live, structures, sid):
    st = structures[sid]
    for col in st.columns:
        if col.offsite:
            status, html = get(live, col.url)
            assert status == 200 and col.offsite in html and col.pages == 1
            continue
        assert col.page_urls[0] == col.url and len(col.page_urls) == col.pages
        assert col.paginates == (col.items_total > col.items_first_page)
        if st.pager in ("script", "ajax"):
            _script_pages_served(live, col, served=st.pager == "ajax")
            continue
        shown = 0
        for k, url in enumerate(col.page_urls):
            status, html = get(live, url)
            if k == 0 and (moved := MOVE.search(html)):  # variant column_moves: the page moves on to index.html
                assert (moved[1] or moved[2]) == "index.html" and len(html) < 300, html
                status, html = get(live, urljoin(url, moved[1] or moved[2]))
            if col.frame and k == 0:  # the column's page frames its first list page
                assert status == 200 and f'<h1 class="column-title">{col.name}</h1>' in html, url
                assert '<iframe src="list.html"' in html and "/art/" not in html
                status, html = get(live, col.frame)
            elif not col.frame:
                assert f'<h1 class="column-title">{col.name}</h1>' in html, url
            assert status == 200, url
            # an item links by href, or opens by script (variant item_links)
            n = len(re.findall(rf"""(?:href="|window\.open\('|openWin\(')/art/{col.slug}/\d+\.html""", html))
            assert n == col.items_first_page if k == 0 else n > 0
            shown += n
        assert shown == col.items_total
        after = f"{col.frame or col.url}?page={col.pages + 1}" if st.pager == "query" else \
            f"{col.url}index_{col.pages}.html"
        assert answered_missing(*get(live, after)), after


def _script_pages_served(live, col, served: bool) -> None:
    """Pagers "script" and "ajax": one page whose script lists page N from the site's JSON API (its list pages
    are that page shown after N-1 clicks), with no item in it ("script") or the first page's ("ajax"); the API
    lists every item once, and nothing after the last page."""
    status, html = get(live, col.url)
    assert status == 200 and f'<h1 class="column-title">{col.name}</h1>' in html
    assert len(re.findall(rf'href="/art/{col.slug}/\d+\.html"', html)) == (col.items_first_page if served else 0)
    assert '<div id="pageBar"' in html and "/api/col/" in html
    assert col.page_urls == tuple(col.url + (f"#page={k + 1}" if k else "") for k in range(col.pages))
    api = urljoin(col.url, f"/api/col/{col.slug}.json")
    size = col.items_first_page or 1
    served = []
    for k in range(1, col.pages + 2):
        status, body = get(live, f"{api}?page={k}&size={size}")
        data = json.loads(body)
        assert status == 200 and data["total"] == col.items_total
        assert len(data["rows"]) == (0 if k > col.pages else min(size, col.items_total - (k - 1) * size))
        served += [row["url"] for row in data["rows"]]
    assert len(set(served)) == len(served) == col.items_total
    assert all(u.startswith(f"/art/{col.slug}/") for u in served)
    assert answered_missing(*get(live, f"{col.url}index_1.html"))  # no list page of its own beyond the first


@pytest.mark.parametrize("sid", SITES)
def test_links_to_columns_sections_and_pages(live, structures, sid):
    st = structures[sid]
    _, home = get(live, st.home)
    home_links = hrefs(home, st.home)
    _, sitemap = get(live, urljoin(st.home, "/sitemap/"))
    _, xxgk = get(live, st.disclosure.index)
    _, zdly = get(live, st.disclosure.key_areas)
    where = {"nav": home_links, "home": home_links, "sitemap": hrefs(sitemap, st.home),
             "xxgk": hrefs(xxgk, st.home), "zdly": hrefs(zdly, st.home)}
    for col in st.columns:
        assert col.linked_from
        for place in col.linked_from:
            assert col.url in where[place], (col.url, place)
    for sec in st.sections:
        assert sec.url in home_links and f">{sec.name}<" in home
    for url in (st.disclosure.guide, st.disclosure.catalog, st.disclosure.annual_reports, *st.disclosure.report_urls):
        assert get(live, url)[0] == 200
    assert (st.platform in home_links) == bool(st.platform)


@pytest.mark.parametrize("sid", SITES)
def test_board_guides_and_search_as_stated(live, demo, structures, sid):
    st = structures[sid]
    if st.board:
        _, first = get(live, st.board.url)
        assert st.board.name in first and len(st.board.page_urls) == st.board.pages
        assert get(live, st.board.page_urls[-1])[0] == 200
        assert answered_missing(*get(live, urljoin(st.home, f"/hdjl/list_{st.board.pages + 1}.html")))
        letters = sum(len(re.findall(r'href="/hdjl/letter/\d+\.html"', get(live, u)[1])) for u in st.board.page_urls)
        assert letters == st.board.letters
    _, services = get(live, st.services)
    assert {g.url for g in st.guides} <= hrefs(services, st.services)
    for g in st.guides[:4] + st.guides[-2:]:
        status, html = get(live, g.url)
        assert status == 200 and set(g.attachments) <= hrefs(html, g.url)
        for a in g.attachments:
            assert get(live, a)[0] == (404 if a in g.broken_attachments else 200)
    _, home = get(live, st.home)
    assert st.search.how == {(True, False): "form", (False, True): "script", (False, False): "none"}[
        ('action="/search"' in home, "doSearch()" in home)]
    assert st.search.login_form == ('action="/user/login"' in home)
    kinds = {k.kind: k for k in st.page_kinds}
    assert ("search" in kinds) == (st.search.how != "none") and ("board" in kinds) == bool(st.board)
    for k in st.page_kinds:
        assert get(live, k.example)[0] == 200, k


def test_rows_are_flat_and_round_trip_as_csv(demo, structures):
    rows = structure.rows(demo)
    assert all(tuple(r) == structure.STRUCTURE_COLUMNS for r in rows)
    assert {r["site_id"] for r in rows} == {s.site_id for s in demo.sites.values()}
    kinds = {r["kind"] for r in rows}
    assert {"site", "section", "column", "column_page", "key_area", "disclosure", "annual_report", "board",
            "board_page", "services", "guide", "attachment", "search", "page_kind"} <= kinds
    back = list(csv.DictReader(io.StringIO(structure.to_csv(demo))))
    assert back == [{k: str(v) for k, v in r.items()} for r in rows]
    st = structures["4301000011"]
    mine = [r for r in rows if r["site_id"] == "4301000011"]
    assert sum(r["kind"] == "column_page" for r in mine) == sum(c.pages for c in st.columns)
    ywdt = next(r for r in mine if r["kind"] == "column" and "slug=ywdt" in r["extra"])
    assert ywdt["name"] == "工作动态" and ywdt["category"] == "news" and "pages=2" in ywdt["extra"]


def test_structure_follows_the_defects():
    w = world.load("scenario_2018", 2018, scale=80)
    for sim in w.sites.values():
        c = content.generate(sim, w.year, w.as_of)
        st = structure.site_structure(c)
        d = sim.defects
        assert (st.board is None) == bool(d.get("interaction.channel"))
        assert (st.search.how == "none") == bool(d.get("search.present"))
        assert (not st.platform) == bool(d.get("services.platform_link"))
        assert sum(col.key_area for col in st.columns) == 8 - d.get("disclosure.key_areas", 0)
        assert sum(bool(col.offsite) for col in st.columns) == d.get("disclosure.offsite_substitution", 0)
        assert sum(len(g.broken_attachments) for g in st.guides) == d.get("services.form_downloads", 0)
        assert ("interpretation" in {col.category for col in st.columns}) == (not d.get("interpretation.present"))
        assert any(col.paginates for col in st.columns)
