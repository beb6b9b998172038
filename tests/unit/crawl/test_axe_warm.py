"""axe on the stored home DOM in a warm page judges as axe on the live page does (crawl/axe_warm.py)."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from govweb.crawl import axe_warm, probes
from govweb.crawl.probe_browser import AXE_RUN_JS
from tests.unit.crawl.test_probes_browser import HOST, fixture, with_browser

pytestmark = pytest.mark.browser

CSS = "body { color: #bbb; background: #fff; } .ok { color: #000; }"
# Written the way county portals write them: XHTML doctype, stylesheet named relative to a <base href>,
# a list built by a script, an <img> in <noscript> (text on a page with scripts), an onerror handler.
STYLED = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<base href="http://www.probe.test/site/" /><link rel="stylesheet" href="css/main.css" /><title>某某县人民政府</title>
</head><body><p class="ok">某某县人民政府门户网站</p><p>灰色的说明文字</p>
<ul id="news"></ul><script>document.getElementById('news').innerHTML =
  '<li><a href="/art/1.html"><img src="/a.png"></a></li><li><a href="/art/2.html">县政府常务会议</a></li>';</script>
<noscript><img src="/counter.gif"></noscript>
<img src="/missing.png" alt="标志" onerror="window.axe = undefined" />
<a href="/wza/">无障碍</a></body></html>"""
# No doctype: quirks mode, where a table does not inherit the body's font size (large text passes 3:1).
QUIRKS = """<html lang="zh-CN"><head><meta charset="utf-8"><title>旧版门户</title>
<style>body { font-size: 24pt; } td { color: #888; background: #fff; }</style></head>
<body><table><tr><td>政务公开</td><td><img src="/b.png"></td></tr></table></body></html>"""
REFRESH = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
<title>实时新闻</title></head><body><img src="/c.png"><p>正在更新</p></body></html>"""


def app() -> web.Application:
    pages = {"/site/index.html": STYLED, "/quirks.html": QUIRKS, "/refresh.html": REFRESH,
             "/noalt.html": fixture("images_no_alt.html")}

    async def page(request: web.Request):
        return web.Response(text=pages[request.path], content_type="text/html")

    async def css(_):
        return web.Response(text=CSS, content_type="text/css")

    async def missing(_):
        return web.Response(status=404)

    application = web.Application()
    for path in pages:
        application.router.add_get(path, page)
    application.router.add_get("/site/css/main.css", css)
    application.router.add_get("/{tail:.*}", missing)
    return application


class Pool:
    """What WarmAxe needs of crawl.browser.BrowserPool: the running browser."""

    def __init__(self, browser) -> None:
        self.browser = browser

    async def current(self):
        return self.browser


def found(probe) -> list[tuple[str, str, int]]:
    return sorted((v.id, v.impact, v.nodes) for v in probe.violations)


def test_the_stored_dom_in_a_warm_page_gives_the_live_pages_violations():
    paths = ["/site/index.html", "/quirks.html", "/noalt.html", "/refresh.html"]

    async def work(browser, _policy):
        warm = axe_warm.WarmAxe(Pool(browser))
        out = []
        for path in paths:
            context = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            await page.goto(f"http://{HOST}{path}", wait_until="load")
            html = await page.content()
            warmed = await probes.axe_probe(page, warm=warm, html=html, base_url=page.url)
            live = await probes.axe_probe(page)
            out.append((warmed, live))
            await context.close()
        pages = warm._context.pages
        await warm.close()
        return out, len(pages)

    out, warm_pages = asyncio.run(with_browser(app(), work))
    for path, (warmed, live) in zip(paths, out, strict=True):
        assert warmed.error == live.error == "", path
        assert found(warmed) == found(live), path
        assert warmed.entry_found == live.entry_found
        assert live.ran_on == "live_page"
    styled, quirks, noalt, refresh = (w for w, _ in out)
    assert [w.ran_on for w, _ in out] == ["stored_dom", "stored_dom", "stored_dom", "live_page"]
    # the stylesheet behind <base href> was applied (grey text), the script-built list's image judged, the
    # <noscript> image not, and the onerror handler did not run (axe still there for the next pages)
    ids = {v.id: v.nodes for v in styled.violations}
    assert ids.get("color-contrast") == 1 and ids.get("image-alt") == 1 and styled.entry_found
    # quirks mode kept: the table's text is 16 px there (not 24 pt), so grey #888 fails 4.5:1
    assert {v.id: v.nodes for v in quirks.violations}.get("color-contrast") == 1
    assert {v.id: v.nodes for v in noalt.violations}.get("image-alt") == 4
    assert warm_pages == 1  # one warm page judged the three DOMs it took


def test_a_warm_page_that_timed_out_is_closed_and_the_next_run_gets_a_new_one():
    async def work(browser, _policy):
        warm = axe_warm.WarmAxe(Pool(browser))
        html = fixture("images_no_alt.html")
        opts = {"resultTypes": ["violations"]}
        with pytest.raises(TimeoutError):
            await warm.run(html, f"http://{HOST}/", AXE_RUN_JS, opts, 0.0001)
        after_timeout = len(warm._context.pages)
        answer = await warm.run(html, f"http://{HOST}/", AXE_RUN_JS, opts, 30)
        kept = len(warm._context.pages)
        await warm.close()
        return after_timeout, answer, kept

    after_timeout, answer, kept = asyncio.run(with_browser(app(), work))
    assert after_timeout == 0 and kept == 1
    assert '"image-alt"' in answer
