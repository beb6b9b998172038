"""Link checks through a host map: https links to a host served from one plain port (saved pages on loopback)
are not measured, since the real host's HTTPS is out of reach; http links to it are checked as usual."""

from __future__ import annotations

import asyncio

from govweb.checks.links import tried
from govweb.crawl.linkcheck import LinkTarget, check_links
from tests.unit.crawl.loopweb import LoopWeb, Route, crawl_env


def test_https_link_to_a_host_mapped_without_tls_port_is_skipped_not_broken(tmp_path):
    web = LoopWeb()
    web.add("weibo.test", "/gov", Route(b"<html><title>weibo</title></html>"))

    async def run():
        async with crawl_env(web, tmp_path) as sc:
            return await check_links(sc.shared, [LinkTarget("https://weibo.test/gov", "home", "微博"),
                                                 LinkTarget("http://weibo.test/gov", "home", "微博")], 5)

    https, http = asyncio.run(run())
    assert https.error == "skipped" and "TLS" in https.detail and https.status is None and not tried(https)
    assert http.status == 200 and tried(http) and not http.broken
    assert web.hits[("weibo.test", "/gov")] == 1  # only the http link reached the server


def _page(url: str, kind: str, hrefs: list[str]):
    from govweb.capture import Link, Page

    return Page(url=url, final_url=url, kind=kind, links=[Link(href=h, text="") for h in hrefs])


def test_inner_sample_skips_pages_that_only_repeat_the_menu_and_prefers_new_links():
    from govweb.crawl.site import inner_link_sample

    menu = [f"http://x.gov.cn/{n}/" for n in ("xxgk", "zwfw", "hdjl", "zjyh")]
    articles = [_page(f"http://x.gov.cn/a{n}.html", "article", menu) for n in range(12)]  # menu + crumbs only
    attach = _page("http://x.gov.cn/a99.html", "article", [*menu, "http://x.gov.cn/f/1.doc"])
    guide = _page("http://x.gov.cn/bszn/1.html", "guide", [*menu, "http://x.gov.cn/bgxz/form.xls",
                                                            "http://x.gov.cn/bgxz/form2.xls"])
    column = _page("http://x.gov.cn/gzdt/", "column", [*menu, *(f"http://x.gov.cn/gzdt/{n}.html" for n in range(20))])
    column2 = _page("http://x.gov.cn/gzdt/index_1.html", "column", [lk.href for lk in column.links])  # same links
    chosen = inner_link_sample([*articles, guide, column, column2, attach], set(menu), 10)
    # articles adding a link come first; then the most new links; pages adding nothing are never taken
    assert [p.url for p in chosen] == [attach.url, column.url, guide.url]
    assert inner_link_sample([*articles, attach], set(menu), 1) == [attach]
    assert inner_link_sample(articles, set(menu), 10) == []


def test_links_to_pages_the_crawl_fetched_are_answered_from_that_fetch_without_a_request(tmp_path):
    from govweb.capture import Page
    from govweb.crawl.linkcheck import FROM_CRAWL, answered_pages

    web = LoopWeb()
    for path in ("/a.html", "/b.html", "/c.html"):
        web.add("www.site.test", path, Route(b"<html><title>x</title></html>"))
    fetched = [Page(url="http://www.site.test/a.html", final_url="http://www.site.test/a.html", status=200,
                    elapsed_ms=12),
               Page(url="http://www.site.test/gone.html", status=404, error="http_error"),
               Page(url="http://www.site.test/c.html", status=None, error="timeout")]  # no answer: checked again
    answered = answered_pages(fetched)
    assert set(answered) == {"http://www.site.test/a.html", "http://www.site.test/gone.html"}
    targets = [LinkTarget(f"http://www.site.test/{n}.html", "home", n) for n in ("a", "gone", "b", "c")]

    async def run():
        async with crawl_env(web, tmp_path) as sc:
            return await check_links(sc.shared, targets, 5, answered)

    a, gone, b, c = asyncio.run(run())
    assert (a.status, a.method, a.elapsed_ms, a.detail, a.broken) == (200, "GET", 12, FROM_CRAWL, False)
    assert (gone.status, gone.error, gone.detail, gone.broken) == (404, "http_error", FROM_CRAWL, True)
    assert (b.status, b.method, c.status, c.method) == (200, "HEAD", 200, "HEAD")
    assert web.hits[("www.site.test", "/a.html")] == 0 and web.hits[("www.site.test", "/gone.html")] == 0
    assert web.hits[("www.site.test", "/b.html")] == 1 and web.hits[("www.site.test", "/c.html")] == 1
