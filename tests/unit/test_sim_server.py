"""The HTTP side of the simulated web: faults wired per site, the web archive, CDX, DNS, the CLI."""

import asyncio
import csv
import io
import json

import aiohttp
import pytest

from govweb import cli, config, inventory
from govweb.sim import server, world

SITES = inventory.load(config.inventory_dir() / "demo_2018.csv")
FAULTS = {  # demo site -> fault profile
    "1100000088": {"kind": "error", "status": 502},
    "3100000052": {"kind": "reset"},
    "5100000062": {"kind": "redirect_loop"},
    "2200000007": {"kind": "trap"},
    "3702000012": {"kind": "hostile"},
    "5101000035": {"kind": "slow", "delay_s": 0.3},
    "4301000011": {"kind": "huge", "bytes": 1_000_000},
    "4406000001": {"kind": "hang", "max_s": 5.0},
}
HOST = {s.site_id: s.url.split("/")[2] for s in SITES}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    path = tmp_path_factory.mktemp("prof") / "p.yaml"
    path.write_text(json.dumps({"sites": {sid: {"fault": f} for sid, f in FAULTS.items()}}), encoding="utf-8")
    with server.SimServer(world.build(SITES, path, 2018),
                          loader=lambda y: world.build(SITES, path, y)) as srv:
        yield srv


def get(srv, host, path="/", **kw):
    async def go():
        timeout = aiohttp.ClientTimeout(total=kw.pop("timeout", 10))
        async with aiohttp.ClientSession(timeout=timeout) as s, s.get(
                f"http://127.0.0.1:{srv.port}{path}", headers={"Host": host}, **kw) as r:
            return r.status, await r.read(), r.headers
    return asyncio.run(go())


def test_error_fault(faulty):
    assert get(faulty, HOST["1100000088"])[0] == 502


def test_reset_fault_gives_no_http_answer(faulty):
    with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
        get(faulty, HOST["3100000052"])


def test_redirect_loop_fault(faulty):
    with pytest.raises(aiohttp.TooManyRedirects):
        get(faulty, HOST["5100000062"], max_redirects=10)


def test_trap_fault_is_an_endless_calendar_anchored_on_the_evaluation_month(faulty):
    status, body, _ = get(faulty, HOST["2200000007"])
    assert status == 200 and b'href="/calendar/2018/10/"' in body
    seen, path = set(), "/calendar/2018/10/"
    for _ in range(20):
        status, body, _ = get(faulty, HOST["2200000007"], path)
        assert status == 200 and path not in seen
        seen.add(path)
        path = body.decode().split('上一月</a> <a href="')[1].split('"')[0]


def test_hostile_fault(faulty):
    status, body, _ = get(faulty, HOST["3702000012"])
    text = body.decode("utf-8")
    assert status == 200 and 'alert("govweb")' in text and "setup.exe" in text
    status, _, headers = get(faulty, HOST["3702000012"], "/download/setup.exe")
    assert status == 200 and "attachment" in headers["Content-Disposition"]


def test_slow_huge_and_hang_faults(faulty):
    loop_start = asyncio.run(_now())
    assert get(faulty, HOST["5101000035"])[0] == 200
    assert asyncio.run(_now()) - loop_start >= 0.3
    status, body, headers = get(faulty, HOST["4301000011"])
    assert status == 200 and len(body) >= 1_000_000 == min(int(headers["Content-Length"]), 1_000_000)
    with pytest.raises(asyncio.TimeoutError):
        get(faulty, HOST["4406000001"], timeout=0.5)
    # the hang holds one request; the other sites answer meanwhile
    assert get(faulty, HOST["4403030001"])[0] == 200


async def _now():
    return asyncio.get_running_loop().time()


def test_archive_serves_past_years_with_rewritten_links(faulty):
    host = HOST["4403030001"]
    status, body, headers = get(faulty, "archive.gov.test", f"/web/20171015000000/http://{host}/col/ywdt/")
    assert status == 200
    text = body.decode("utf-8")
    assert f'href="/web/20171015000000/http://{host}/art/ywdt/0.html"' in text
    assert "2017-" in text and "2018-" not in text  # content dated as of the 2017 evaluation
    assert get(faulty, "archive.gov.test", "/web/20171015000000/http://www.nowhere.gov.test/")[0] == 404
    assert get(faulty, "archive.gov.test", "/web/20301015000000/http://{host}/")[0] == 404


def test_archive_past_years_follow_the_year_profiles():
    path = config.inventory_dir() / "demo_2018_sim.yaml"
    with server.SimServer(world.build(SITES, path, 2018), loader=lambda y: world.build(SITES, path, y)) as srv:
        jl = HOST["2200000007"]
        now = get(srv, jl)[1].decode()
        then = get(srv, "archive.gov.test", f"/web/2017/http://{jl}/")[1].decode()
        assert "<form" in now and "<form" not in then  # 吉林 had no search in 2017
        status, body, headers = get(srv, "archive.gov.test", f"/web/2017/http://{HOST['4403030001']}/")
        assert status == 200 and "charset=gbk" in headers["Content-Type"]  # 罗湖 is served in GBK
        assert "深圳市罗湖区人民政府" in body.decode("gbk")


def test_cdx_index(faulty):
    status, body, _ = get(faulty, "archive.gov.test", f"/cdx?url={HOST['1100000088']}/*&from=2015&output=json")
    rows = json.loads(body)
    assert status == 200 and rows[0][:3] == ["urlkey", "timestamp", "original"]
    assert [r[1] for r in rows[1:]] == ["20151015000000", "20161015000000", "20171015000000", "20181015000000"]


def test_dns_json(faulty):
    _, body, _ = get(faulty, "dns.gov.test", f"/resolve?name={HOST['1100000088']}&type=A")
    assert json.loads(body)["Answer"][0]["data"] == "127.0.0.1"
    _, body, _ = get(faulty, "dns.gov.test", "/resolve?name=www.nowhere.gov.test&type=A")
    assert json.loads(body)["Status"] == 3


def test_scale_keeps_profiled_sites_first():
    w = world.load("scenario_2018", 2018, scale=60)
    assert len(w.sites) == 60
    assert {"1100000001", "3702000001", "4406000001"} <= {s.site_id for s in w.sites.values()}
    with pytest.raises(world.ScenarioError, match="scale"):
        world.load("scenario_2018", 2018, scale=0)
    with pytest.raises(world.ScenarioError, match="no scenario"):
        world.load("nope", 2018)


def test_cli_truth_covers_every_check(capsys):
    assert cli.main(["sim", "truth", "--year", "2018", "--scale", "20"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 20 * 33 and len({r["check_id"] for r in rows}) == 33


def test_kept_pages_are_the_pages_a_fresh_render_gives_and_the_oldest_go_first(monkeypatch):
    """The server keeps recently rendered pages: rendering must be a pure function of content, path and query
    (every page of every demo site rendered twice is the same), and the store stays bounded."""
    from urllib.parse import urlsplit

    from multidict import MultiDict

    from govweb.sim.content import generate
    from govweb.sim.render import render
    from govweb.sim.structure import site_rows, site_structure

    w = world.load("demo_2018", 2018)
    web_ = server.Web(w)
    checked = 0
    for sim in list(w.sites.values())[:12]:
        c = generate(sim, w.year, w.as_of)
        urls = {r["url"] for r in site_rows(site_structure(c)) if r["url"]} | {f"http://{sim.host}/"}
        for url in sorted(u for u in urls if urlsplit(u).hostname == sim.host):
            parts = urlsplit(url)
            query = MultiDict((k, v) for k, _, v in (p.partition("=") for p in parts.query.split("&") if p))
            first = web_.rendered(c, w.year, sim.host, parts.path or "/", query)
            again = web_.rendered(c, w.year, sim.host, parts.path or "/", query)
            fresh = render(c, parts.path or "/", query)
            assert again is first and (fresh.status, fresh.body) == (first.status, first.body), url
            checked += 1
    assert checked > 200
    monkeypatch.setattr(server, "RENDERED_PAGES", 2)
    small = server.Web(w)
    sim = next(iter(w.sites.values()))
    c = generate(sim, w.year, w.as_of)
    pages = [small.rendered(c, w.year, sim.host, p, MultiDict()) for p in ("/", "/sitemap/", "/about/")]
    assert len(small._rendered) == 2 and (w.year, sim.host, "/", ()) not in small._rendered
    assert small.rendered(c, w.year, sim.host, "/about/", MultiDict()) is pages[2]


def test_a_served_world_has_every_site_built_before_its_first_request():
    """`govweb sim serve` builds every site's content when it starts: no first request pays for building it."""
    from govweb.sim.content import generate

    demo = world.load("demo_2018", 2018)
    generate.cache_clear()
    assert server.built(demo) >= 0.0
    info = generate.cache_info()
    assert info.currsize == len(demo.sites) and info.misses == len(demo.sites)
    for sim in demo.sites.values():
        generate(sim, demo.year, demo.as_of)
    assert generate.cache_info().misses == len(demo.sites)  # every later call was served from what was built
