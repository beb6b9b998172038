"""Crawl-time probes without a browser: query choice, form finding, POST search, availability, IPv6, HTTPS."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from aiohttp import web

from govweb import extract
from govweb.capture import Capture, Column, DatedItem, Link, Page
from govweb.crawl import probes
from govweb.crawl.fetch import session
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.probe_results import found, query_of, result_links
from govweb.crawl.probe_search import form_url
from govweb.evidence import FileStore
from govweb.parse.forms import SearchForm

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "probes"
HOST = "www.probe.test"
ITEMS = {  # the site's articles (search index): url path -> title
    "/art/2018/10/12/art_1229_2233.html": "市政府召开第十二次常务会议研究部署秋冬季大气污染防治工作",
    "/art/2018/10/10/art_1229_2230.html": "全市安全生产工作会议召开",
    "/art/2018/10/08/art_1229_2219.html": "我市举行2018年“扶贫日”主题活动",
}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@contextlib.asynccontextmanager
async def serve(app: web.Application):
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield site._server.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


def results_html(query: str) -> str:
    hits = [(p, t) for p, t in ITEMS.items() if query and query in t]
    rows = "".join(f'<li><a href="{p}" target="_blank">{t.replace(query, f"<font color=red>{query}</font>")}</a>'
                   f"<span>2018-10-1{i}</span></li>" for i, (p, t) in enumerate(hits))
    return (f"<html><head><meta charset='gbk'><title>检索结果</title></head><body>"
            f"<div class='top'><a href='/'>首页</a><a href='/art/zwdt/'>政务动态</a></div>"
            f"<div class='tip'>检索词：{query}，共找到 {len(hits)} 条记录</div><ul class='result'>{rows}</ul>"
            f"<div class='page'><a href='?page=1'>1</a><a href='?page=2'>下一页</a></div></body></html>")


def gov_app(home: str, seen: list[str], reads: str = "gbk") -> web.Application:
    """A GBK site with the fixture home page and a search that reads its query as `reads` (GET or POST)."""
    async def home_page(_):
        return web.Response(body=home.encode("gbk"), content_type="text/html", charset="gbk")

    async def search(request: web.Request):
        raw = request.rel_url.raw_query_string if request.method == "GET" else (await request.read()).decode("ascii")
        query = parse_qs(raw, encoding=reads).get("searchword", [""])[0]
        seen.append(query)
        body = results_html(query).encode("gbk", errors="xmlcharrefreplace")
        return web.Response(body=body, content_type="text/html", charset="gbk")

    app = web.Application()
    app.router.add_get("/", home_page)
    app.router.add_route("*", "/was5/web/search", search)
    return app


def home_page(html: str, url: str = f"http://{HOST}/") -> Page:
    tree = extract.parse(html)
    return Page(url=url, final_url=url, kind="home", via="browser",
                links=[Link(href=lk.href, text=lk.text, internal=lk.internal) for lk in extract.links(tree, url)],
                items=[DatedItem(title=i.title, url=i.url, date=i.date) for i in extract.dated_items(tree, url)])


def capture(home: Page, columns: list[Column] = ()) -> Capture:
    return Capture(site_id="3301000001", url=home.url, year=2018, as_of="2018-10-15", pages=[home],
                   columns=list(columns))


# -- query, forms, counts --------------------------------------------------------------------------
def test_query_is_a_contiguous_tail_of_the_title():
    assert query_of("我市举行2018年“扶贫日”主题活动") == "我市举行2018年"  # the longest run between punctuation
    assert query_of("关于印发《某某市城市管理办法》的通知") == "某某市城市管理办法"
    assert query_of("市政府召开第十二次常务会议研究部署秋冬季大气污染防治工作") == "秋冬季大气污染防治工作"[-10:]
    assert query_of("通知") == ""


def test_news_column_items_come_before_home_items_and_truncated_titles_are_skipped():
    home = home_page(fixture("home_forms.html"))
    news = Column(name="政务动态", url=f"http://{HOST}/art/zwdt/", category="news", items=[
        DatedItem(title="市政府召开第十二次常务会议研究部署秋冬季大气污染防治工作",
                  url=f"http://{HOST}/art/2018/10/12/art_1229_2233.html", date="2018-10-12")])
    query, item = probes.pick_query(capture(home, [news]), home)
    assert item.url.endswith("art_1229_2233.html") and query in item.title and len(query) == 10
    query, item = probes.pick_query(capture(home), home)  # without the column: the home list, no "..." title
    assert not item.title.endswith("...") and query in item.title


def test_form_url_encodes_the_query_in_the_site_encoding_and_drops_the_action_query():
    form = SearchForm(f"http://{HOST}/s?old=1", "get", "q", (("sid", "7"),), "form")
    assert form_url(form, "扶贫", "gb18030") == f"http://{HOST}/s?sid=7&q=%B7%F6%C6%B6"
    assert form_url(form, "扶贫", "utf-8") == f"http://{HOST}/s?sid=7&q=%E6%89%B6%E8%B4%AB"


@pytest.mark.parametrize("text,count", [
    ("检索词：扶贫，共找到 12 条记录", 12), ("找到相关结果约1,234个", 1234), ("共12条记录 第1页", 12),
    ("共检索到 3 篇文章", 3), ("结果数：7", 7), ("抱歉，没有找到与“扶贫”相关的内容", 0), ("站内搜索", None)])
def test_stated_count(text, count):
    assert probes.stated_count(text) == count


def test_result_links_drop_site_chrome_and_pager_but_keep_the_target():
    home = home_page(fixture("home_forms.html"))
    target = f"http://{HOST}/art/2018/10/10/art_1229_2230.html"  # also linked from the home page
    links = [Link(href=f"http://{HOST}/", text="首页"), Link(href=target, text="全市安全生产工作会议召开"),
             Link(href=f"http://{HOST}/s?page=2", text="下一页"), Link(href=f"http://{HOST}/x.html", text="其他")]
    assert [lk.text for lk in result_links(links, home, keep=target)] == ["全市安全生产工作会议召开", "其他"]


def test_target_found_by_url_in_any_scheme_inside_a_redirect_wrapper_or_by_exact_title():
    target = DatedItem(title="全市安全生产工作会议召开", url=f"http://{HOST}/art/2018/10/10/art_1229_2230.html")
    wrapped = f"http://search.probe.test/jump?url=https%3A%2F%2F{HOST}%2Fart%2F2018%2F10%2F10%2Fart_1229_2230.html"
    assert found(target, [Link(href=wrapped, text="全市安全生产工作...")], [])
    assert found(target, [Link(href=target.url.replace("http:", "https:"), text="")], [])
    assert found(target, [Link(href=f"http://{HOST}/x/1.html", text="全市安全生产工作会议召开")], [])
    assert not found(target, [Link(href=f"http://{HOST}/art/2018/10/10/art_1229_2231.html", text="全市安全生产")],
                     [DatedItem(title="全市安全生产工作会议召开通知", url=f"http://{HOST}/y.html")])


# -- the search probe over HTTP (POST form: no browser) ----------------------------------------------
def run_search(home_html: str, tmp_path, columns=(), reads: str = "gbk") -> tuple:
    seen: list[str] = []

    async def go():
        async with serve(gov_app(home_html, seen, reads)) as port:
            policy = NetworkPolicy.from_args([f"{HOST}=127.0.0.1:{port}"], allow_private=True)
            home = home_page(home_html)
            cap = capture(home, columns)
            probe = await probes.search_probe(None, home, home_html, cap, FileStore(tmp_path), "ev/2018/x", policy)
            return probe, cap
    probe, cap = asyncio.run(go())
    return probe, cap, seen


def test_search_probe_posts_the_search_form_and_finds_the_target(tmp_path):
    html = fixture("home_forms.html").replace('action="/was5/web/search" method="get"',
                                              'action="/was5/web/search" method="post"')
    probe, cap, seen = run_search(html, tmp_path)
    assert probe.attempted and probe.how == "form" and probe.error == ""
    assert seen == [probe.query]  # the server decoded the GBK-encoded query back to the same text
    assert probe.action == f"http://{HOST}/was5/web/search"
    assert probe.found_target is True and probe.result_count == 1
    result = cap.pages_of("search")
    assert len(result) == 1 and result[0].html_key == probe.result_key
    assert (tmp_path / probe.result_key).exists()
    assert any(i.url == probe.target_url for i in result[0].items)


def test_search_probe_reports_a_search_that_finds_nothing(tmp_path):
    html = fixture("home_forms.html").replace('method="get"', 'method="post"')
    other = Column(name="通知公告", url=f"http://{HOST}/tzgg/", category="notice", items=[
        DatedItem(title="关于开展城乡居民医疗保险集中参保登记的通告", url=f"http://{HOST}/tzgg/1.html")])
    probe, cap, seen = run_search(html, tmp_path, [other])
    assert probe.target_url == f"http://{HOST}/tzgg/1.html" and seen[0] == probe.query
    assert len(seen) == 2 and seen[1] != probe.query  # a UTF-8 retry, which this GBK engine cannot read
    assert probe.found_target is False and probe.result_count == 0 and len(cap.pages_of("search")) == 1


def test_search_probe_retries_in_utf8_when_a_gbk_site_search_reads_utf8(tmp_path):
    html = fixture("home_forms.html").replace('method="get"', 'method="post"')
    probe, cap, seen = run_search(html, tmp_path, reads="utf-8")
    assert len(seen) == 2 and seen[0] != probe.query and seen[1] == probe.query
    assert probe.found_target is True and probe.result_count == 1 and probe.error == ""
    assert [p.html_key for p in cap.pages_of("search")] == [probe.result_key]


def test_no_search_form_means_how_none(tmp_path):
    html = ("<html><body><form action='/login' method='post'><input name='u'><input type='password'>"
            "</form></body></html>")
    probe, cap, seen = run_search(html, tmp_path)
    assert probe.attempted and probe.how == "none" and probe.query == "" and not seen
    assert not cap.pages_of("search")


# -- availability ------------------------------------------------------------------------------------
def test_availability_probes_count_503s_and_fall_back_to_get_when_head_is_refused():
    hits: list[str] = []

    async def home(request: web.Request):
        if request.method == "HEAD":
            return web.Response(status=405)
        hits.append(request.method)
        return web.Response(status=503 if len(hits) % 3 == 0 else 200, text="<html>ok</html>")

    async def go():
        app = web.Application()
        app.router.add_route("*", "/", home)
        async with serve(app) as port:
            policy = NetworkPolicy.from_args([f"{HOST}=127.0.0.1:{port}"], allow_private=True)
            async with session(policy) as http:
                return await probes.availability_probe(http, f"http://{HOST}/", 6, 0.01)
    out = asyncio.run(go())
    assert out.source == "in_run" and len(out.probes) == 6 and out.window_start <= out.window_end
    assert [p.ok for p in out.probes] == [True, True, False, True, True, False]
    assert {p.method for p in out.probes} == {"GET"} and out.probes[2].status == 503
    assert out.probes[2].error == "http_error"


def test_probe_once_records_a_refused_connection():
    async def go():
        policy = NetworkPolicy.from_args([f"{HOST}=127.0.0.1:9"], allow_private=True)
        async with session(policy) as http:
            return await probes.probe_once(http, f"http://{HOST}/", 5)
    p = asyncio.run(go())
    assert not p.ok and p.status is None and p.error == "refused" and p.time.endswith("+00:00")


# -- IPv6 through a DNS-JSON resolver ------------------------------------------------------------------
def dns_app() -> web.Application:
    async def resolve(request: web.Request):
        name, rtype = request.query["name"], request.query["type"]
        if name == "nx.probe.test":
            return web.json_response({"Status": 3, "Answer": []})
        answer = [{"name": name, "type": 5, "data": "cdn.probe.test."}]
        if name == "v6.probe.test" and rtype == "AAAA":
            answer += [{"name": "cdn.probe.test", "type": 28, "data": "2001:db8::1"}]
        return web.json_response({"Status": 0, "Answer": answer})
    app = web.Application()
    app.router.add_get("/resolve", resolve)
    return app


@pytest.mark.parametrize("host,addresses,error", [
    ("v6.probe.test", ["2001:db8::1"], ""), ("v4only.probe.test", [], ""), ("nx.probe.test", [], "dns")])
def test_ipv6_probe_reads_aaaa_records_from_a_dns_json_resolver(host, addresses, error):
    async def go():
        async with serve(dns_app()) as port:
            policy = NetworkPolicy.from_args([f"dns.probe.test=127.0.0.1:{port}"], allow_private=True)
            return await probes.ipv6_probe(host, "http://dns.probe.test/resolve", policy=policy)
    p = asyncio.run(go())
    assert (p.addresses, p.error, p.resolver, p.host) == (addresses, error, "http://dns.probe.test/resolve", host)


def test_ipv6_probe_records_an_unreachable_resolver():
    policy = NetworkPolicy.from_args(["dns.probe.test=127.0.0.1:9"], allow_private=True)
    p = asyncio.run(probes.ipv6_probe("www.probe.test", "http://dns.probe.test/resolve", policy=policy))
    assert p.attempted and p.addresses == [] and p.error == "resolver_refused"


class DnsStub(asyncio.DatagramProtocol):
    """A nameserver on loopback UDP: AAAA for v6.probe.test, NXDOMAIN for nx.probe.test, else no AAAA."""

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        import dns.message
        import dns.rcode
        import dns.rrset

        query = dns.message.from_wire(data)
        reply = dns.message.make_response(query)
        name = query.question[0].name.to_text().rstrip(".")
        if name == "nx.probe.test":
            reply.set_rcode(dns.rcode.NXDOMAIN)
        elif name == "v6.probe.test":
            reply.answer.append(dns.rrset.from_text(query.question[0].name, 300, "IN", "AAAA", "2001:db8::6"))
        self.transport.sendto(reply.to_wire(), addr)


@pytest.mark.parametrize("host,addresses,error", [
    ("v6.probe.test", ["2001:db8::6"], ""), ("v4only.probe.test", [], ""), ("nx.probe.test", [], "dns")])
def test_ipv6_probe_asks_one_nameserver_with_dnspython(host, addresses, error):
    async def go():
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            DnsStub, local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        try:
            return await probes.ipv6_probe(host, f"dns://127.0.0.1:{port}", timeout_s=3)
        finally:
            transport.close()
    p = asyncio.run(go())
    assert (p.addresses, p.error) == (addresses, error) and p.resolver.startswith("dns://127.0.0.1:")


# -- HTTPS against the simulated web's TLS gate ---------------------------------------------------------
def test_https_probe_through_an_sni_gate(tmp_path):
    from govweb.sim import tls

    async def hello(request: web.Request):
        if request.host.startswith("downgrade.") and request.secure:
            raise web.HTTPFound("http://downgrade.probe.test/")
        return web.Response(text="ok")

    async def go():
        app = web.Application()
        app.router.add_get("/", hello)
        runner = web.AppRunner(app)
        await runner.setup()
        ctx = tls.server_context(lambda host: host in ("secure.probe.test", "downgrade.probe.test"))
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ctx)
        await site.start()
        tls_port = site._server.sockets[0].getsockname()[1]
        plain = web.TCPSite(runner, "127.0.0.1", 0)  # the same app over plain HTTP: the host map's port
        await plain.start()
        http_port = plain._server.sockets[0].getsockname()[1]
        policy = NetworkPolicy.from_args([f"*.probe.test=127.0.0.1:{http_port}"], allow_private=True)
        try:
            return await asyncio.gather(
                probes.https_probe("http://secure.probe.test/", policy, 5, verify=False, tls_port=tls_port),
                probes.https_probe("http://plain.probe.test/", policy, 5, verify=False, tls_port=tls_port),
                probes.https_probe("http://secure.probe.test/", policy, 5, verify=True, tls_port=tls_port),
                probes.https_probe("http://secure.probe.test/", policy, 5, verify=False),  # 443: nothing there
                probes.https_probe("http://downgrade.probe.test/", policy, 5, verify=False, tls_port=tls_port))
        finally:
            await runner.cleanup()
    ok, gated, self_signed, no_port, downgrade = asyncio.run(go())
    assert (ok.ok, ok.status, ok.error, ok.url) == (True, 200, "", "https://secure.probe.test/")
    assert (gated.ok, gated.status, gated.error) == (False, None, "tls")
    assert (self_signed.ok, self_signed.error) == (False, "tls")
    assert (no_port.ok, no_port.error) == (False, "refused")
    assert (downgrade.ok, downgrade.status, downgrade.error) == (False, 200, "redirects_to_http")


def test_https_probe_tries_a_timeout_once_more(monkeypatch):
    """A TLS port that accepts and stays silent the first time (a loaded server), then is gone: the probe
    connects twice and reports the second answer; a refusal is not retried."""
    from govweb.crawl import probe_net

    monkeypatch.setattr(probe_net, "HTTPS_RETRY_PAUSE_S", 0.1)
    accepted = []

    async def go():
        async def silent(reader, writer):
            accepted.append(1)
            await asyncio.sleep(3)
            writer.close()

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        policy = NetworkPolicy.from_args([f"*.probe.test=127.0.0.1:{port}"], allow_private=True)
        async with server:
            slow = await probes.https_probe("http://slow.probe.test/", policy, 0.5, verify=False, tls_port=port)
        refused = await probes.https_probe("http://slow.probe.test/", policy, 0.5, verify=False, tls_port=port)
        return slow, refused

    slow, refused = asyncio.run(go())
    assert (slow.ok, slow.error, len(accepted)) == (False, "timeout", 2)
    assert (refused.ok, refused.error, len(accepted)) == (False, "refused", 2)


@pytest.mark.parametrize(("size", "skipped"), [(5_000, False), (5_001, True)])
def test_axe_is_not_run_on_a_home_page_over_the_page_size_limit(tmp_path, monkeypatch, size, skipped):
    from govweb.capture import AxeProbe, CrawlLimits, SearchProbe
    from govweb.crawl import probes_runner
    from govweb.crawl.context import Doc
    from govweb.crawl.settings import CrawlSettings
    from tests.unit.crawl.loopweb import LoopWeb, crawl_env

    asked: list[str] = []

    async def fake_axe(tab, too_large="", warm=None, html="", base_url=""):
        asked.append(too_large)
        return AxeProbe(attempted=True, error=f"too_large: {too_large}" if too_large else "")

    async def fake_search(*_args):
        return SearchProbe(attempted=True)

    monkeypatch.setattr(probes, "axe_probe", fake_axe)
    monkeypatch.setattr(probes, "search_probe", fake_search)

    async def run():
        async with crawl_env(LoopWeb(), tmp_path, limits=CrawlLimits(max_bytes=5_000)) as sc:
            sc.shared.settings = CrawlSettings(probes=True)
            home = Doc(Page(url=sc.capture.url, kind="home", bytes=size))
            await probes_runner.live_page_probes(sc, object(), home)
            await probes_runner.search(sc, home)
            return sc.capture.probes

    got = asyncio.run(run())
    assert asked == (["home page DOM 5001 bytes > max_bytes 5000"] if skipped else [""])
    assert got.axe.error.startswith("too_large") is skipped and got.search.attempted


def _phone_load(tmp_path, monkeypatch, axe: dict, tab_error: str = ""):
    """Run `probes_runner.mobile` with a home tab after an axe probe like `axe`, the phone probes faked (the one
    in the tab fails with `tab_error`); which probes ran, in order, and the probe recorded."""
    from govweb.capture import AxeProbe, MobileProbe
    from govweb.crawl import probes_runner
    from govweb.crawl.settings import CrawlSettings
    from tests.unit.crawl.loopweb import LoopWeb, crawl_env

    used: list[str] = []

    async def in_tab(tab, url, store, prefix):
        used.append("tab")
        return MobileProbe(attempted=True, ran_in="home_tab", error=tab_error)

    async def own(browser, url, store, prefix):
        used.append("own_context")
        return MobileProbe(attempted=True, ran_in="own_context", scroll_width=375)

    class Browsers:
        async def current(self):
            return object()

    monkeypatch.setattr(probes, "mobile_probe_in_tab", in_tab)
    monkeypatch.setattr(probes, "mobile_probe", own)

    async def run():
        async with crawl_env(LoopWeb(), tmp_path) as sc:
            sc.shared.settings = CrawlSettings(probes=True)
            sc.shared.browser = Browsers()
            sc.capture.probes.axe = AxeProbe(attempted=True, **axe)
            await probes_runner.mobile(sc, object())
            return sc.capture.probes.mobile

    return used, asyncio.run(run())


@pytest.mark.parametrize(("axe", "where"), [
    ({"ran_on": "stored_dom"}, "tab"),
    ({"ran_on": "live_page"}, "tab"),
    ({"ran_on": "stored_dom", "error": "timeout"}, "tab"),  # the warm page was closed, the tab is free
    ({"error": "too_large: home page DOM 9 bytes > max_bytes 8"}, "tab"),
    ({"ran_on": "live_page", "error": "timeout"}, "own_context"),  # axe goes on in the tab's renderer
    ({"error": "browser_crash"}, "own_context"),
])
def test_the_phone_load_takes_the_home_tab_unless_axe_failed_in_it(tmp_path, monkeypatch, axe, where):
    used, got = _phone_load(tmp_path, monkeypatch, axe)
    assert got.attempted and used == [where]


@pytest.mark.parametrize(("tab_error", "used_then"), [
    ("", ["tab"]),
    ("Error: CDPSession.send: Protocol error (Page.captureScreenshot): Not attached to an active page",
     ["tab", "own_context"]),
    ("Error: Page.goto: net::ERR_ABORTED at http://www.example.gov.test/", ["tab", "own_context"]),
    ("timeout", ["tab"]),  # the site is slow: a second load elsewhere would only wait again
    ("http_error: HTTP 503", ["tab"]),
])
def test_a_phone_load_the_home_tab_failed_is_made_again_in_a_context_of_its_own(tmp_path, monkeypatch, tab_error,
                                                                                used_then):
    used, got = _phone_load(tmp_path, monkeypatch, {"ran_on": "stored_dom"}, tab_error)
    assert used == used_then
    assert got.ran_in == ("own_context" if len(used_then) == 2 else "home_tab")
    assert got.error == ("" if len(used_then) == 2 else tab_error)


def test_no_in_run_availability_probes_for_a_site_the_probe_log_covers(tmp_path):
    """availability_covered names the sites whose probe log covers the judged window: the crawl takes no
    home-page probes of theirs; any other site of the batch is probed during the crawl."""
    from govweb.crawl.probes_runner import network_probes
    from govweb.crawl.settings import CrawlSettings
    from tests.unit.crawl.loopweb import LoopWeb, crawl_env, html

    async def run(covered: frozenset[str]):
        loop = LoopWeb()
        loop.add("www.site.test", "/", html("<title>首页</title>"))
        async with crawl_env(loop, tmp_path) as sc:
            sc.shared.settings = CrawlSettings(availability_probes=2, availability_spacing_s=0.01,
                                               availability_covered=covered, ipv6_resolver="http://dns.site.test/r")
            await network_probes(sc)
            return sc.capture.probes.availability, loop.hits[("www.site.test", "/")]

    avail, hits = asyncio.run(run(frozenset({"t1"})))
    assert not avail.attempted and not avail.probes and hits == 0
    avail, hits = asyncio.run(run(frozenset({"another"})))
    assert avail.attempted and avail.source == "in_run" and len(avail.probes) == 2 and hits == 2
