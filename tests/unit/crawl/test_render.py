"""Pages over HTTP: charsets (header, meta, BOM), redirects recorded, <base href>, budgets, robots,
oversized bodies."""

from __future__ import annotations

import asyncio

from govweb.capture import CrawlLimits
from govweb.crawl.budget import Budget
from govweb.crawl.render import http_page
from govweb.crawl.robots import RobotsRules
from tests.unit.crawl.loopweb import LoopWeb, Route, crawl_env

GBK_PAGE = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            '<title>关于印发《政务公开工作要点》的通知</title></head><body><ul>'
            '<li><a href="a.html">市政府办公厅关于做好防汛工作的通知</a> 2018年09月12日</li></ul></body></html>')
HOST = "www.site.test"


def _run(tmp_path, web: LoopWeb, fn, **kw):
    async def run():
        async with crawl_env(web, tmp_path, **kw) as sc:
            return await fn(sc), sc
    return asyncio.run(run())


def test_gbk_page_without_header_charset_is_decoded_by_its_meta(tmp_path):
    web = LoopWeb()
    web.add(HOST, "/gbk.html", Route(GBK_PAGE.encode("gbk"), charset=None))
    doc, sc = _run(tmp_path, web, lambda sc: http_page(sc, f"http://{HOST}/gbk.html", "column"))
    assert doc.page.encoding in ("gb18030", "gbk", "gb2312")
    assert doc.page.title == "关于印发《政务公开工作要点》的通知"
    assert doc.page.items[0].title == "市政府办公厅关于做好防汛工作的通知"
    assert doc.page.items[0].date == "2018-09-12"
    assert "防汛" in sc.store.get(doc.page.text_key).decode("utf-8")


def test_utf16_page_with_bom(tmp_path):
    web = LoopWeb()
    body = "\ufeff<html><head><title>政府信息公开年报</title></head><body>2017年度报告</body></html>"
    web.add(HOST, "/u16.html", Route(body.encode("utf-16-le"), charset=None))
    doc, _ = _run(tmp_path, web, lambda sc: http_page(sc, f"http://{HOST}/u16.html", "disclosure"))
    assert doc.page.encoding.startswith("utf-16")
    assert doc.page.title == "政府信息公开年报"


def test_header_charset_gbk_wins_over_wrong_meta(tmp_path):
    web = LoopWeb()
    wrong_meta = GBK_PAGE.replace("gb2312", "utf-8")
    web.add(HOST, "/h.html", Route(wrong_meta.encode("gbk"), charset="gbk"))
    doc, _ = _run(tmp_path, web, lambda sc: http_page(sc, f"http://{HOST}/h.html", "other"))
    assert doc.page.title == "关于印发《政务公开工作要点》的通知"


def test_redirects_are_recorded_and_links_resolved_against_base_href(tmp_path):
    web = LoopWeb()
    web.add(HOST, "/old/", Route(status=301, location="/mid/"))
    web.add(HOST, "/mid/", Route(status=302, location="/new/index.html"))
    web.add(HOST, "/new/index.html", Route(
        b'<html><head><base href="http://www.site.test/root/sub/"><title>t</title></head>'
        b'<body><a href="../doc.html">doc</a><a href="/abs.html">abs</a></body></html>'))
    doc, _ = _run(tmp_path, web, lambda sc: http_page(sc, f"http://{HOST}/old/", "other"))
    page = doc.page
    assert page.final_url == f"http://{HOST}/new/index.html"
    assert page.redirects == [f"http://{HOST}/old/", f"http://{HOST}/mid/"]
    assert [lk.href for lk in page.links] == [f"http://{HOST}/root/doc.html", f"http://{HOST}/abs.html"]
    assert all(lk.internal for lk in page.links)


def test_page_budget_stops_fetching_and_marks_partial(tmp_path):
    web = LoopWeb()
    for n in range(10):
        web.add(HOST, f"/p{n}.html", Route(b"<html><title>p</title></html>"))

    async def fetch_all(sc):
        return [await http_page(sc, f"http://{HOST}/p{n}.html", "other") for n in range(10)]

    docs, sc = _run(tmp_path, web, fetch_all, limits=CrawlLimits(max_pages=4))
    assert sum(d is not None for d in docs) == 4
    assert sum(web.hits.values()) == 4
    assert sc.capture.stats.budget_hit == "pages"
    assert "budget: pages" in sc.capture.partial_reasons


def test_time_budget():
    budget = Budget(max_pages=100, max_seconds=0.0)
    try:
        budget.take()
    except Exception as exc:  # noqa: BLE001
        assert getattr(exc, "kind", "") == "time"
    else:
        raise AssertionError("an exhausted time budget must refuse the page")
    assert budget.hit == "time"


def test_robots_disallow_skips_and_records(tmp_path):
    web = LoopWeb()
    web.add(HOST, "/private/a.html", Route(b"<html></html>"))

    async def go(sc):
        sc.robots = RobotsRules("User-agent: *\nDisallow: /private/\n")
        return await http_page(sc, f"http://{HOST}/private/a.html", "other")

    doc, sc = _run(tmp_path, web, go)
    assert doc is None and web.hits[(HOST, "/private/a.html")] == 0
    assert sc.capture.robots.disallowed_paths_hit == [f"http://{HOST}/private/a.html"]


def test_http_error_and_too_large_are_classified(tmp_path):
    web = LoopWeb()
    web.add(HOST, "/big.html", Route(b"<html>" + b"x" * 5000 + b"</html>"))

    async def go(sc):
        return (await http_page(sc, f"http://{HOST}/missing.html", "article"),
                await http_page(sc, f"http://{HOST}/big.html", "article"))

    (missing, big), sc = _run(tmp_path, web, go, limits=CrawlLimits(max_bytes=1000))
    assert missing.page.status == 404 and missing.page.error == "http_error"
    assert big.page.error == "too_large"
    assert sc.capture.stats.failures == {"http_error": 1, "too_large": 1}


def test_concurrent_requests_for_one_url_fetch_it_once(tmp_path):
    web = LoopWeb(default_delay_s=0.05)
    web.add(HOST, "/once.html", Route(b"<html><title>once</title></html>"))

    async def go(sc):
        return await asyncio.gather(*(http_page(sc, f"http://{HOST}/once.html", "other") for _ in range(5)))

    docs, sc = _run(tmp_path, web, go)
    assert web.hits[(HOST, "/once.html")] == 1
    assert all(d is docs[0] and d.page.title == "once" for d in docs)
    assert len(sc.capture.pages) == 1
