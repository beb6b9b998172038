"""The simulated government web: world loading, planted defects, rendering, truth and the HTTP server."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from govweb import config, extract, inventory
from govweb.sim import catalogue, content, render, server, truth, world
from govweb.sim.server import answered_missing
from govweb.sim.world import ScenarioError

SITE_COUNT = 11
JL = "2200000007"  # 吉林: classic, identity defects in 2018, more in 2017
CHANGSHA = "4301000011"  # classic, links.broken_home: 3
QINGDAO = "3702000012"  # portal, search.present defect
SUZHOU = "3205000001"  # modern, freshness.homepage: 40
TEMPLATE_SITES = {"classic": "4403030001", "modern": "1100000088", "portal": "4406000001", "wcm": "3100000052"}


@pytest.fixture(scope="module")
def demo() -> world.World:
    return world.load("demo_2018", 2018)


def by_id(w: world.World, site_id: str) -> world.SimSite:
    return next(s for s in w.sites.values() if s.site_id == site_id)


def page(w: world.World, site_id: str, path: str = "/", **query) -> tuple[int, str]:
    """A page of a simulated site as served; "/" is its home page (a frameset site's main frame)."""
    sim = by_id(w, site_id)
    c = content.generate(sim, w.year, w.as_of)
    got = render.render(c, "/main.html" if path == "/" and c.variants.home_frameset else path, query)
    return got.status, got.body


def demo_sites():
    return inventory.load(config.inventory_dir() / "demo_2018.csv")


# --- world --------------------------------------------------------------------------------------

def test_demo_world_serves_every_inventory_site(demo):
    sites = demo_sites()
    assert len(sites) == SITE_COUNT == len(demo.sites)
    assert demo.year == 2018 and demo.as_of == world.default_as_of(2018)
    for s in sites:
        sim = demo.by_host(urllib.parse.urlsplit(s.url).hostname)
        assert sim is not None and sim.site_id == s.site_id
        status, html = page(demo, s.site_id)
        assert status == 200 and s.name in html


def test_by_host_ignores_port_and_case(demo):
    assert demo.by_host("WWW.Beijing.gov.test:8765").site_id == "1100000088"
    assert demo.by_host("www.nowhere.gov.test") is None


def test_profile_templates_and_defects_are_applied(demo):
    assert by_id(demo, "1100000088").template == "modern"
    assert by_id(demo, "4403030001").template == "classic"  # from defaults
    assert by_id(demo, CHANGSHA).defects == {"links.broken_home": 3}
    assert by_id(demo, "4406000001").defects == {}


# --- rendering: templates, date formats, planted defects ----------------------------------------

@pytest.mark.parametrize(("template", "style"), [("classic", "iso"), ("modern", "bracket"), ("portal", "chinese"),
                                                ("wcm", "slash")])
def test_home_page_carries_site_name_and_date_format(demo, template, style):
    sid = TEMPLATE_SITES[template]
    sim = by_id(demo, sid)
    assert sim.template == template
    c = content.generate(sim, demo.year, demo.as_of)
    status, html = page(demo, sid)
    assert status == 200 and sim.site.name in html
    d = c.columns["ywdt"].items[0].date
    expected = {"iso": d.isoformat(), "bracket": f"[{d.isoformat()}]",
                "chinese": f"{d.year}年{d.month}月{d.day}日", "slash": f"{d.year}/{d.month}/{d.day}"}[style]
    assert expected in html
    if style != "bracket":
        assert f"[{d.isoformat()}]" not in html
    if style in ("chinese", "slash"):
        assert d.isoformat() not in html
    # The extractor reads every home-page list item back with its ISO date.
    items = extract.dated_items(extract.parse(html), sim.site.url)
    want = {(it.title, f"{sim.site.url.rstrip('/')}{it.path}", it.date.isoformat())
            for col in c.home_lists() for it in col.items}
    assert {(i.title, i.url, i.date) for i in items} == want


def test_site_code_defect_removes_the_code(demo):
    status, html = page(demo, JL)
    assert status == 200 and "网站标识码" not in html and "SiteIDCode" not in html
    c = content.generate(by_id(demo, JL), 2018, demo.as_of)
    assert c.icp not in html  # identity.icp defect too
    _, modern = page(demo, "1100000088")
    assert "网站标识码：1100000088" in modern and 'name="SiteIDCode" content="1100000088"' in modern
    _, classic = page(demo, "4403030001")
    assert "网站标识码：4403030001" in classic


@pytest.mark.parametrize(("site_id", "n"), [(CHANGSHA, 3), ("5100000062", 1), ("1101020001", 2), ("1100000088", 0)])
def test_broken_home_links_answer_404_while_real_pages_answer_200(demo, site_id, n):
    c = content.generate(by_id(demo, site_id), demo.year, demo.as_of)
    assert len(c.broken_home) == n == len(set(c.broken_home))
    _, home = page(demo, site_id)
    for p in c.broken_home:
        assert f'href="{p}"' in home
        assert page(demo, site_id, p)[0] == 404
    hrefs = {link.href for link in extract.links(extract.parse(home), by_id(demo, site_id).site.url) if link.internal}
    ok = [h for h in hrefs if urllib.parse.urlsplit(h).path not in c.broken_home]
    assert len(hrefs) - len(ok) == n
    for h in ok:
        assert page(demo, site_id, urllib.parse.urlsplit(h).path)[0] == 200, h


def test_column_and_article_pages(demo):
    c = content.generate(by_id(demo, CHANGSHA), demo.year, demo.as_of)
    size = c.variants.page_size
    for slug in content.COLUMNS:
        col = c.columns[slug]
        status, html = page(demo, CHANGSHA, f"/col/{slug}/")
        assert status == 200 and col.title in html and html.count("/art/") == min(len(col.items), size) > 0
        assert page(demo, CHANGSHA, f"/col/{slug}/index.html")[0] == 200
    assert c.columns["ywdt"].title == "工作动态"  # the site's own name for the column (a synonym)
    it = c.columns["zcwj"].items[3]
    status, html = page(demo, CHANGSHA, it.path)
    assert status == 200 and it.title in html and it.date.isoformat() in html
    assert page(demo, CHANGSHA, "/art/zcwj/999.html")[0] == 404
    assert page(demo, CHANGSHA, "/col/nope/")[0] == 404


def test_search_defect_removes_the_form(demo):
    _, html = page(demo, QINGDAO)  # no search; a login form beside where the search box would be
    assert 'action="/user/login"' in html and 'action="/search"' not in html and "doSearch" not in html
    for sid in TEMPLATE_SITES.values():
        assert extract.search_forms(extract.parse(page(demo, sid)[1])) == ["/search"]


def test_search_endpoint_finds_an_article_by_title_substring(demo):
    c = content.generate(by_id(demo, "1100000088"), demo.year, demo.as_of)
    it = c.columns["zcjd"].items[2]
    q = it.title[len("北京市"):][:8]
    status, html = page(demo, "1100000088", "/search", q=q)
    assert status == 200 and f'href="{it.path}"' in html and "没有找到相关内容" not in html
    for q in ("量子纠缠火星基地", "", "   "):
        status, html = page(demo, "1100000088", "/search", q=q)
        assert status == 200 and "没有找到相关内容" in html and "/art/" not in html


# --- determinism and years ----------------------------------------------------------------------

def test_generation_is_deterministic_across_fresh_worlds():
    a, b = world.load("demo_2018", 2018), world.load("demo_2018", 2018)
    for sid in (s.site_id for s in demo_sites()):
        assert by_id(a, sid) is not by_id(b, sid)
        for path in ("/", "/col/ywdt/", "/art/tzgg/1.html"):
            assert page(a, sid, path) == page(b, sid, path)


def test_year_variant_has_more_defects_in_2017():
    y17, y18 = world.load("demo_2018", 2017), world.load("demo_2018", 2018)
    d17, d18 = by_id(y17, JL).defects, by_id(y18, JL).defects
    assert set(d18) < set(d17) and len(d17) == 4
    assert sum(r["defect"] for r in truth.rows(y17) if r["site_id"] == JL) > \
        sum(r["defect"] for r in truth.rows(y18) if r["site_id"] == JL)
    assert "<form" not in page(y17, JL)[1] and "<form" in page(y18, JL)[1]
    assert page(y17, JL)[1] != page(y18, JL)[1]


# --- scenario validation ------------------------------------------------------------------------

def build(tmp_path, text: str, year: int = 2018) -> world.World:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    return world.build(demo_sites(), path, year)


@pytest.mark.parametrize(("profile", "needle"), [
    ('sites: {"2200000007": {defects: {content.typos: true}}}', "content.typos"),
    ('sites: {"2200000007": {defects: {links.broken_home: "two"}}}', "links.broken_home"),
    ('sites: {"2200000007": {defects: {freshness.homepage: -3}}}', "freshness.homepage"),
    ('sites: {"2200000007": {defects: {search.present: 1}}}', "search.present"),
    ('sites: {"2200000007": {template: fancy}}', "fancy"),
    ("defaults: {template: fancy}", "fancy"),
    ('sites: {"9999999999": {template: modern}}', "9999999999"),
    ('years: {2018: {"9999999999": {template: modern}}}', "9999999999"),
])
def test_scenario_errors(tmp_path, profile, needle):
    with pytest.raises(ScenarioError, match=needle):
        build(tmp_path, profile)


def test_bool_for_int_defect_is_rejected(tmp_path):
    with pytest.raises(ScenarioError):
        build(tmp_path, 'sites: {"2200000007": {defects: {links.broken_home: true}}}')


def test_year_override_merges_defects_over_site_profile(tmp_path):
    w = build(tmp_path, 'sites: {"2200000007": {defects: {identity.site_code: true}}}\n'
                        'years: {2017: {"2200000007": {defects: {freshness.homepage: 40}}}}', 2017)
    assert by_id(w, JL).defects == {"identity.site_code": True, "freshness.homepage": 40}


def test_empty_profile_gives_clean_classic_sites(tmp_path):
    w = build(tmp_path, "")
    assert len(w.sites) == SITE_COUNT
    assert {s.template for s in w.sites.values()} == {"classic"} and not any(s.defects for s in w.sites.values())


# --- truth --------------------------------------------------------------------------------------

def test_truth_one_row_per_site_and_check_consistent_with_defects(demo):
    rows = truth.rows(demo)
    assert all(tuple(r) == truth.TRUTH_COLUMNS for r in rows)
    keys = [(r["site_id"], r["check_id"]) for r in rows]
    assert len(keys) == len(set(keys)) == SITE_COUNT * len(catalogue.CHECK_IDS)
    assert {k[1] for k in keys} == set(catalogue.CHECK_IDS)
    t = {k: r for k, r in zip(keys, rows, strict=True)}
    for sim in demo.sites.values():
        sid, d = sim.site_id, sim.defects
        assert t[sid, "identity.site_code"]["defect"] == bool(d.get("identity.site_code"))
        assert t[sid, "identity.site_code"]["expected_value"] == ("" if d.get("identity.site_code") else sid)
        assert t[sid, "identity.icp"]["defect"] == bool(d.get("identity.icp"))
        assert t[sid, "links.broken_home"]["expected_value"] == str(d.get("links.broken_home", 0))
        assert t[sid, "links.broken_home"]["defect"] == bool(d.get("links.broken_home"))
        assert t[sid, "search.present"]["expected_value"] == ("false" if d.get("search.present") else "true")
        assert t[sid, "freshness.homepage"]["defect"] == ("freshness.homepage" in d)
        html = page(demo, sid)[1]
        assert (f"网站标识码：{sid}" in html) == (not t[sid, "identity.site_code"]["defect"])
        has_search = 'action="/search"' in html or "doSearch()" in html
        assert has_search == (not t[sid, "search.present"]["defect"])
    assert t[SUZHOU, "freshness.homepage"]["expected_value"] == "40"


# --- HTTP server --------------------------------------------------------------------------------

def fetch(port: int, host: str, path: str = "/") -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


@pytest.fixture(scope="module")
def live(demo):
    with server.SimServer(demo) as srv:
        yield srv


def test_server_routes_by_host(live):
    assert live.port > 0 and live.host_map == f"*.gov.test=127.0.0.1:{live.port}"
    status, html = fetch(live.port, "www.beijing.gov.test")
    assert status == 200 and "北京市人民政府" in html and "网站标识码：1100000088" in html
    status, html = fetch(live.port, f"www.jl.gov.test:{live.port}")
    assert status == 200 and "吉林省人民政府" in html and "北京市人民政府" not in html
    status, html = fetch(live.port, "www.changsha.gov.test", "/col/tzgg/")
    assert status == 200 and "通知通告" in html


def test_server_unknown_host_and_broken_paths_are_404(live):
    assert fetch(live.port, "www.nowhere.gov.test")[0] == 404
    assert answered_missing(*fetch(live.port, "www.changsha.gov.test", "/zt/2015/special-0.html"))


@pytest.mark.parametrize("host", ["www.gov.test", "zwfw.gov.test", "beian.miit.gov.test"])
def test_server_service_hosts_answer_200(live, host):
    status, html = fetch(live.port, host)
    assert status == 200 and world.SERVICE_HOSTS[host] in html


def test_server_search_finds_an_article(live, demo):
    it = content.generate(by_id(demo, "4406000001"), demo.year, demo.as_of).columns["ywdt"].items[5]
    status, html = fetch(live.port, "www.foshan.gov.test", "/search?q=" + urllib.parse.quote(it.title))
    assert status == 200 and f'href="{it.path}"' in html


# --- catalogue: the check IDs are production data -----------------------------------------------

def test_check_ids_come_from_the_production_catalogue():
    from govweb import catalogue as production

    assert production.default().ids == catalogue.CHECK_IDS
    assert set(catalogue.BY_ID) == set(catalogue.CHECK_IDS)


def test_defect_kinds_and_catalogue_mismatch_is_one_clear_error():
    kinds = tuple(k for k in catalogue.KINDS if k.check_id != "search.works") + (
        catalogue.DefectKind("search.speed", int, "slow search", (1,)),)
    with pytest.raises(catalogue.CatalogueMismatch) as err:
        catalogue.check_kinds(kinds, catalogue.CHECK_IDS, "catalogue.yaml")
    msg = str(err.value)
    assert "'search.works'" in msg and "no defect kind" in msg and "'search.speed'" in msg and "catalogue.yaml" in msg
    catalogue.check_kinds(catalogue.KINDS, catalogue.CHECK_IDS, "catalogue.yaml")  # the real ones agree


def test_sim_refuses_to_load_against_a_catalogue_with_other_ids(tmp_path, monkeypatch):
    import importlib

    from govweb import catalogue as production

    text = (config.checks_dir() / "catalogue.yaml").read_text(encoding="utf-8")
    (tmp_path / "catalogue.yaml").write_text(text.replace("  search.works:", "  search.fast:"), encoding="utf-8")
    (tmp_path / "dictionaries").symlink_to(config.checks_dir() / "dictionaries")
    fake = production.load(tmp_path / "catalogue.yaml")
    monkeypatch.setattr(production, "default", lambda: fake)
    try:
        with pytest.raises(ValueError, match="search.fast.*has no defect kind"):
            importlib.reload(catalogue)
    finally:
        monkeypatch.undo()
        importlib.reload(catalogue)


def test_truth_status_and_oracle_findings(demo):
    from govweb.sim import oracle

    rows = {(r["site_id"], r["check_id"]): r for r in truth.rows(demo)}
    assert rows[QINGDAO, "search.works"]["status"] == "not_applicable"  # no search at all
    assert rows[QINGDAO, "search.present"]["status"] == "fail"
    assert rows["4406000001", "search.works"]["status"] == "pass"
    assert all(r["status"] == ("fail" if r["defect"] else "pass") for k, r in rows.items()
               if r["status"] != "not_applicable")
    f = oracle.findings(demo, list(catalogue.CHECK_IDS))
    assert set(f["status"]) <= {"pass", "fail", "not_applicable"}
    na = f[(f.site_id == QINGDAO) & (f.check_id == "search.works")].iloc[0]
    assert na["status"] == "not_applicable" and na["passed"] == ""
