"""Crawl-time probes that need Chromium: GET/script search, the phone view, axe-core."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from aiohttp import web

from govweb import extract
from govweb.capture import Capture, DatedItem, Link, Page
from govweb.crawl import probes
from govweb.crawl.browser import launch_options
from govweb.crawl.network import NetworkPolicy
from govweb.evidence import FileStore

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "probes"
HOST = "www.probe.test"
ARTICLES = {
    "/art/2018/10/12/art_1229_2233.html": "市政府召开第十二次常务会议研究部署秋冬季大气污染防治工作",
    "/art/2018/10/10/art_1229_2230.html": "全市安全生产工作会议召开",
    "/art/2018/10/08/art_1229_2219.html": "我市举行2018年“扶贫日”主题活动",
    "/art/2018/10/11/art_101_501.html": "县委理论学习中心组开展专题学习研讨",
    "/art/2018/10/09/art_101_499.html": "全县秋季森林防火工作部署会召开",
}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def results(query: str, charset: str) -> web.Response:
    hits = [(p, t) for p, t in ARTICLES.items() if query and query in t]
    rows = "".join(f'<li><a href="{p}">{t}</a> <span>2018-10-12</span></li>' for p, t in hits)
    html = (f"<html><head><meta charset='{charset}'><title>搜索结果</title></head><body><a href='/'>首页</a>"
            f"<p>为您找到相关结果约{len(hits)}个</p><ul>{rows}</ul></body></html>")
    return web.Response(body=html.encode(charset), content_type="text/html", charset=charset)


def app_for(pages: dict[str, tuple[str, str]], seen: list[str]) -> web.Application:
    """`pages`: path -> (fixture html, charset); /was5/web/search (GBK) and /jsearchfront/search.do (UTF-8)."""
    async def page(request: web.Request):
        html, charset = pages[request.path]
        return web.Response(body=html.encode(charset), content_type="text/html", charset=charset)

    async def was5(request: web.Request):
        seen.append(parse_qs(request.rel_url.raw_query_string, encoding="gbk").get("searchword", [""])[0])
        return results(seen[-1], "gbk")

    async def jsearch(request: web.Request):
        seen.append(request.query.get("q", ""))
        return results(seen[-1], "utf-8")

    async def blank(_):
        return web.Response(status=404)

    app = web.Application()
    for path in pages:
        app.router.add_get(path, page)
    app.router.add_get("/was5/web/search", was5)
    app.router.add_get("/jsearchfront/search.do", jsearch)
    app.router.add_get("/{tail:.*}", blank)
    return app


async def with_browser(app: web.Application, work):
    """Serve `app` on loopback as www.probe.test and run `work(browser, policy)` with Chromium."""
    from playwright.async_api import async_playwright

    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    policy = NetworkPolicy.from_args([f"*.probe.test=127.0.0.1:{port}"], allow_private=True)
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(**launch_options(policy))
            try:
                return await work(browser, policy)
            finally:
                with contextlib.suppress(Exception):
                    await browser.close()
    finally:
        await runner.cleanup()


def home_page(html: str, path: str = "/") -> Page:
    url = f"http://{HOST}{path}"
    tree = extract.parse(html)
    return Page(url=url, final_url=url, kind="home", via="browser",
                links=[Link(href=lk.href, text=lk.text, internal=lk.internal) for lk in extract.links(tree, url)],
                items=[DatedItem(title=i.title, url=i.url, date=i.date) for i in extract.dated_items(tree, url)])


def searched(html: str, tmp_path, path: str = "/"):
    """`with_browser` work: the search probe on `html` as the home page at `path`, in a context of its own;
    (probe, capture)."""
    async def work(browser, policy):
        home = home_page(html, path)
        cap = Capture(site_id="x", url=home.url, year=2018, as_of="2018-10-15", pages=[home])
        context = await browser.new_context(locale="zh-CN")
        try:
            return await probes.search_probe(context, home, html, cap, FileStore(tmp_path), "ev/x", policy), cap
        finally:
            await context.close()

    return work


@pytest.mark.parametrize("fixture_name,charset,how", [("home_forms.html", "gbk", "form"),
                                                      ("home_script_search.html", "utf-8", "script")])
def test_search_probe_in_the_browser_finds_the_target(fixture_name, charset, how, tmp_path):
    html, seen = fixture(fixture_name), []
    probe, cap = asyncio.run(with_browser(app_for({"/": (html, charset)}, seen), searched(html, tmp_path)))
    assert probe.how == how and probe.error == "" and seen == [probe.query]
    assert probe.query in ARTICLES[probe.target_url.removeprefix(f"http://{HOST}")]
    assert probe.found_target is True and probe.result_count == 1
    assert "search" in probe.result_url and cap.pages_of("search")[0].html_key == probe.result_key


def test_script_search_by_button_and_in_a_new_window(tmp_path):
    """A box without an Enter handler (its link button runs the search), one opening the results in a
    new window (window.open), and a hidden box (shown by a magnifier icon), as portals' search boxes do."""
    html = fixture("home_script_search.html")
    button_only = html.replace("if (e.keyCode === 13) { doSearch(); }", "")
    # 热门搜索 words beside the box link to columns: a link to another page is never taken for the button
    hot = '<span class="search-hot">热门搜索：<a href="/col/ghjh/" class="search-word">规划计划</a></span>'
    button_only = button_only.replace('<input type="text" id="keyword"', hot + '<input type="text" id="keyword"')
    popup = html.replace("window.location.href = ", "window.open(").replace("encodeURIComponent(kw);",
                                                                           "encodeURIComponent(kw));")
    hidden = html.replace('<input type="text" id="keyword"', '<input type="text" id="keyword" style="display:none"')
    assert button_only != html and popup != html and hidden != html and "search-hot" in button_only
    pages = {"/button.html": (button_only, "utf-8"), "/popup.html": (popup, "utf-8"), "/hidden.html": (hidden, "utf-8")}
    seen: list[str] = []

    async def work(browser, policy):
        out = []
        for path, (page_html, _) in pages.items():
            home = home_page(page_html, path)
            cap = Capture(site_id="x", url=home.url, year=2018, as_of="2018-10-15", pages=[home])
            context = await browser.new_context(locale="zh-CN")
            out.append(await probes.search_probe(context, home, page_html, cap, FileStore(tmp_path), "ev/x",
                                                 policy))
            assert len(context.pages) == 0  # the probe closed the pages it opened
            await context.close()
        return out

    by_button, in_window, hidden_box = asyncio.run(with_browser(app_for(pages, seen), work))
    assert seen == [by_button.query, in_window.query, hidden_box.query]
    for probe in (by_button, in_window, hidden_box):
        assert probe.how == "script" and probe.error == "" and probe.found_target is True
        assert probe.result_url.startswith(f"http://{HOST}/jsearchfront/search.do?")


# A portal's clock ("今天是…" updated every second) and a 热点 list its script fills in after the page loaded,
# holding the very titles the probe may search for.
CLOCK_AND_LATE_LIST = """<div class="top">今天是：<span id="clock"></span></div>
<div class="hot"><h3>热点</h3><ul id="hot" data-src="/api/hot.json"></ul></div>
<script>setInterval(function () { document.getElementById('clock').textContent = new Date().toLocaleString(); }, 100);
fetch('/api/hot.json').then(function (r) { return r.json(); }).then(function (rows) {
  rows.forEach(function (t) { var li = document.createElement('li'); li.textContent = t;
                              document.getElementById('hot').appendChild(li); }); });</script>"""


def test_script_search_is_not_fooled_by_a_clock_or_a_list_filled_in_late(tmp_path):
    """The box has no Enter handler (its button runs the search). Pressing Enter changes nothing, yet the clock
    changes the DOM every 0.1 s and the late list adds the searched title: neither is the search's outcome,
    so the probe goes on to the button and reads the result page."""
    html = fixture("home_script_search.html").replace("if (e.keyCode === 13) { doSearch(); }", "")
    html = html.replace('<div class="main">', CLOCK_AND_LATE_LIST + '<div class="main">')
    assert "doSearch(); }" not in html and "setInterval" in html
    seen: list[str] = []
    app = app_for({"/": (html, "utf-8")}, seen)
    late: list[str] = []

    @web.middleware
    async def late_list(request, handler):
        if request.path == "/api/hot.json":
            late.append(request.path)
            await asyncio.sleep(0.8)  # answered after the page's load event
            return web.json_response(list(ARTICLES.values()))
        return await handler(request)

    app.middlewares.append(late_list)

    probe, _ = asyncio.run(with_browser(app, searched(html, tmp_path)))
    assert late  # the late list was asked for
    assert probe.how == "script" and probe.error == "" and seen == [probe.query]
    assert probe.found_target is True and probe.result_count == 1
    assert probe.result_url.startswith(f"http://{HOST}/jsearchfront/search.do?")


@pytest.mark.parametrize("hits", [True, False])
def test_script_search_showing_its_results_in_the_page_after_a_slow_answer(hits, tmp_path):
    """Enter fetches the results and writes them into the page (no navigation); the search server takes 2 s,
    longer than the wait for a page that sent no request: the probe waits for the results it asked for. The
    page's own news list links to the searched article: that link is no result (a search finding nothing
    does not find it)."""
    inline = ("fetch('/jsearchfront/search.do?q=' + encodeURIComponent(kw)).then(function (r) { return r.text(); })"
              ".then(function (t) { document.getElementById('results').innerHTML = t; }); return false;")
    html = fixture("home_script_search.html").replace(
        "window.location.href = '/jsearchfront/search.do?websiteid=330100000000000&tpl=1&q=' + "
        "encodeURIComponent(kw);\n  return false;", inline)
    html = html.replace('<div class="main">', '<div id="results"></div><div class="main">')
    assert inline in html and 'id="results"' in html
    seen: list[str] = []
    app = app_for({"/": (html, "utf-8")}, seen)

    @web.middleware
    async def slow_search(request, handler):
        if request.path == "/jsearchfront/search.do":
            await asyncio.sleep(2.0)
            if not hits:  # a search engine that finds nothing (an empty index)
                seen.append(request.query.get("q", ""))
                return results("", "utf-8")
        return await handler(request)

    app.middlewares.append(slow_search)

    probe, _ = asyncio.run(with_browser(app, searched(html, tmp_path)))
    assert probe.target_url in {lk.href for lk in home_page(html).links}  # the home page links to the target
    assert probe.how == "script" and probe.error == "" and probe.result_url == f"http://{HOST}/"
    if hits:
        assert seen == [probe.query]  # asked once: the results came, no click after
        assert probe.found_target is True and probe.result_count == 1
    else:
        assert seen[0] == probe.query and probe.found_target is False and probe.result_count == 0


# A portal that sends phones to its mobile site by their user agent, as many county portals do.
SNIFF_HTML = """<html><head><meta charset="utf-8"><script>
if (/iPhone|Android|Mobile/i.test(navigator.userAgent) && navigator.maxTouchPoints > 0) {
  location.replace('/m/index.html'); }
</script></head><body><div style="width:1200px">某某县人民政府</div></body></html>"""


@pytest.mark.parametrize("in_tab", [False, True], ids=["own_context", "home_tab"])
def test_mobile_probe_measures_overflow_without_viewport_meta(tmp_path, in_tab):
    """In a context of its own, or in the site's desktop tab (1280 px, after the desktop probes): the page is
    loaded as a phone either way, its scripts see a phone's user agent and touch points."""
    pages = {"/wide.html": (fixture("wide_no_viewport.html"), "utf-8"),
             "/adapted.html": (fixture("adapted.html"), "utf-8"),
             "/sniff.html": (SNIFF_HTML, "utf-8"), "/m/index.html": (fixture("adapted.html"), "utf-8")}
    store = FileStore(tmp_path)

    async def on_phone(browser, url: str):
        if not in_tab:
            return await probes.mobile_probe(browser, url, store, "ev/x")
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        tab = await context.new_page()
        await tab.goto(f"http://{HOST}/wide.html")
        try:
            return await probes.mobile_probe_in_tab(tab, url, store, "ev/x")
        finally:
            await context.close()

    async def work(browser, _policy):
        urls = [*(f"http://{HOST}/{name}.html" for name in ("wide", "adapted", "sniff")), "http://gone.invalid/"]
        return await asyncio.gather(*(on_phone(browser, url) for url in urls))

    wide, adapted, sniffed, gone = asyncio.run(with_browser(app_for(pages, []), work))
    assert (wide.viewport_meta, wide.scroll_width, wide.overflow_px, wide.error) == ("", 1200, 825, "")
    assert {p.ran_in for p in (wide, adapted, sniffed, gone)} == {"home_tab" if in_tab else "own_context"}
    assert adapted.viewport_meta.startswith("width=device-width") and adapted.overflow_px == 0
    assert adapted.scroll_width == 375
    # the phone was sent to the mobile page (the desktop page has no viewport meta and is 1200 px wide)
    assert sniffed.viewport_meta.startswith("width=device-width") and sniffed.overflow_px == 0
    shot = (tmp_path / wide.screenshot_key).read_bytes()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(shot[16:20], "big"), int.from_bytes(shot[20:24], "big")) == (375, 667)  # IHDR
    assert wide.screenshot_key != adapted.screenshot_key
    assert gone.attempted and gone.error == "dns" and gone.screenshot_key == ""


def test_axe_probe_reports_images_without_alt_and_the_accessibility_entry():
    pages = {"/noalt.html": (fixture("images_no_alt.html"), "utf-8"),
             "/alt.html": (fixture("images_alt.html"), "utf-8")}

    async def work(browser, _policy):
        out = []
        context = await browser.new_context(locale="zh-CN")
        for path in pages:
            page = await context.new_page()
            await page.goto(f"http://{HOST}{path}")
            out.append(await probes.axe_probe(page))
        await context.close()
        return out

    noalt, alt = asyncio.run(with_browser(app_for(pages, []), work))
    assert noalt.error == "" and noalt.entry_found is True
    image_alt = next(v for v in noalt.violations if v.id == "image-alt")
    assert image_alt.nodes == 4 and image_alt.impact == "critical" and len(image_alt.targets) == 4
    assert "html-has-lang" in {v.id for v in noalt.violations}
    assert alt.error == "" and alt.entry_found is False
    assert not {"image-alt", "html-has-lang"} & {v.id for v in alt.violations}


def test_axe_probe_on_a_page_too_large_runs_no_axe_but_still_finds_the_entry():
    pages = {"/noalt.html": (fixture("images_no_alt.html"), "utf-8")}

    async def work(browser, _policy):
        context = await browser.new_context(locale="zh-CN")
        page = await context.new_page()
        await page.goto(f"http://{HOST}/noalt.html")
        probe = await probes.axe_probe(page, too_large="home page DOM 9 bytes > max_bytes 8")
        ran = await page.evaluate("typeof window.axe")
        await context.close()
        return probe, ran

    probe, ran = asyncio.run(with_browser(app_for(pages, []), work))
    assert probe.attempted and probe.violations == [] and probe.entry_found is True
    assert probe.error == "too_large: home page DOM 9 bytes > max_bytes 8"
    assert ran == "undefined"  # axe was not even injected


def test_script_search_ignores_other_pages_of_the_context_and_loads_a_busy_home_again(tmp_path):
    """While the probe searches, the site model renders a script-built list in the same context: that page is
    not the search's window (it was taken for one, read or closed under the model). And a portal that answers
    503 now and then: the probe loads its home page again instead of waiting for a search box on the error page."""
    html = fixture("home_script_search.html")
    other = "<html><body><ul><li><a href='/art/1.html'>列表页</a></li></ul></body></html>"
    pages = {"/": (html, "utf-8"), "/col/list.html": (other, "utf-8")}
    seen: list[str] = []
    app = app_for(pages, seen)
    served = {"/": 0}

    @web.middleware
    async def busy_once(request, handler):
        if request.path == "/":
            served["/"] += 1
            if served["/"] == 1:
                return web.Response(status=503, text="服务器繁忙")
        return await handler(request)

    app.middlewares.append(busy_once)

    async def work(browser, policy):
        home = home_page(html)
        cap = Capture(site_id="x", url=home.url, year=2018, as_of="2018-10-15", pages=[home])
        context = await browser.new_context(locale="zh-CN")

        async def site_model_page():  # opened while the probe is at work, kept a while
            await asyncio.sleep(0.2)
            page = await context.new_page()
            await page.goto(f"http://{HOST}/col/list.html")
            await asyncio.sleep(3)
            with contextlib.suppress(Exception):
                await page.close()
            return page

        model = asyncio.ensure_future(site_model_page())
        probe = await probes.search_probe(context, home, html, cap, FileStore(tmp_path), "ev/x", policy)
        model_page = await model
        await context.close()
        return probe, model_page

    probe, model_page = asyncio.run(with_browser(app, work))
    assert served["/"] == 2  # the 503 answer, then the page loaded again
    assert probe.how == "script" and probe.error == "" and seen == [probe.query]
    assert probe.found_target is True and probe.result_url.startswith(f"http://{HOST}/jsearchfront/search.do?")
    assert model_page.url == f"http://{HOST}/col/list.html"


# A page that asks "确定离开？" before it is left (and alerts), as some portals' survey and form pages do.
LEAVE_HTML = """<html><head><meta charset="utf-8"><script>alert("欢迎");
window.onbeforeunload = function (e) { e.preventDefault(); e.returnValue = "确定离开？"; return "确定离开？"; };
</script></head><body style="margin:0"><div style="width:1200px">某某县人民政府</div></body></html>"""


def test_the_phone_load_leaves_a_home_page_that_asks_before_it_is_left(tmp_path):
    from govweb.crawl.browser import BrowserPool

    pages = {"/leave.html": (LEAVE_HTML, "utf-8")}
    store = FileStore(tmp_path)

    async def work(browser, _policy):
        pool = BrowserPool(None, _policy)
        pool._browser = browser  # the pool's tabs, with its dialog handling, over this test's browser
        async with pool.context() as ctx, pool.tab(ctx) as tab:
            await tab.goto(f"http://{HOST}/leave.html")
            await tab.mouse.click(5, 5)  # a page the user touched: Chromium asks before leaving it
            return await probes.mobile_probe_in_tab(tab, f"http://{HOST}/leave.html", store, "ev/x")

    probe = asyncio.run(with_browser(app_for(pages, []), work))
    assert probe.error == "" and probe.scroll_width == 1200 and probe.overflow_px == 825
