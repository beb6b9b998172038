"""Soft 404s: a site that answers a missing page with 200 (a redirect to its error page or home page, or an
error page in place) has its dead links told apart from its working ones by the answer to a made-up page."""

from __future__ import annotations

import asyncio

import pytest

from govweb.capture import LinkCheck, NotFoundProbe
from govweb.crawl import soft404
from govweb.crawl.linkcheck import LinkTarget, check_links
from tests.unit.crawl.loopweb import LoopWeb, Route, crawl_env, html

SITE = "http://www.site.test/"
ERROR = "<html><head><title>页面不存在</title></head><body>对不起，您访问的页面不存在！</body></html>"
HOME = "<html><head><title>某某县人民政府</title></head><body>首页</body></html>"
LINKS = ["/zwdt/1.html", "/old/gone.html", "/index.html", "http://www.site.test", "/zwdt/?id=9"]


def web(missing: str) -> LoopWeb:
    w = LoopWeb()
    w.add("www.site.test", "/", html(HOME))
    w.add("www.site.test", "/index.html", html(HOME))
    w.add("www.site.test", "/zwdt/1.html", html("<html><head><title>县政府召开常务会议</title></head></html>"))
    w.add("www.site.test", "/404.html", html(ERROR))
    if missing == "redirect":
        w.missing = Route(status=302, location="/404.html")
    elif missing == "home":
        w.missing = Route(status=302, location="/")
    elif missing == "inplace":
        w.missing = html(ERROR)
    return w


async def _run(tmp_path, missing: str) -> tuple[NotFoundProbe, list[LinkCheck]]:
    async with crawl_env(web(missing), tmp_path, SITE) as sc:
        await soft404.not_found_probe(sc)
        targets = [LinkTarget(SITE.rstrip("/") + u if u.startswith("/") else u, SITE) for u in LINKS]
        checks = await check_links(sc.shared, targets, 5.0)
        await soft404.mark_soft_404s(sc, checks)
        return sc.capture.probes.not_found, checks


# whichever way the site answers a missing page, the same links are dead; sent to the home page, the links to the
# home page itself are not
@pytest.mark.parametrize(("missing", "soft"), [("404", False), ("redirect", True), ("inplace", True), ("home", True)])
def test_dead_links_of_a_soft_404_site_are_broken(tmp_path, missing, soft):
    probe, checks = asyncio.run(_run(tmp_path, missing))
    assert probe.attempted and probe.soft == soft
    assert {c.url.removeprefix(SITE.rstrip("/")) for c in checks if c.broken} == {"/old/gone.html", "/zwdt/?id=9"}
    if soft:
        assert {c.error for c in checks if c.broken} == {"soft_404"}


def test_a_server_that_shows_the_home_page_for_every_path_is_judged_by_redirects_only():
    probe = NotFoundProbe(attempted=True, url=f"{SITE}govweb-x.html", status=200, final_url=f"{SITE}govweb-x.html",
                          title="某某县人民政府", says_missing=True)
    check = LinkCheck(url=f"{SITE}zwgk/", source=SITE, status=200, final_url=f"{SITE}zwgk/")
    assert not soft404.is_soft_404(check, probe, ("某某县人民政府", True), home_title="某某县人民政府")


def test_a_page_titled_as_the_error_page_is_dead_only_when_it_says_so():
    """A CMS that titles every page with the site's name: the error page's title alone proves nothing."""
    probe = NotFoundProbe(attempted=True, url=f"{SITE}govweb-x.html", status=200, final_url=f"{SITE}govweb-x.html",
                          title="某某县人民政府网站", says_missing=True)
    check = LinkCheck(url=f"{SITE}zwgk/", source=SITE, status=200, final_url=f"{SITE}zwgk/")
    assert not soft404.is_soft_404(check, probe, ("某某县人民政府网站", False), home_title="首页")
    assert soft404.is_soft_404(check, probe, ("某某县人民政府网站", True), home_title="首页")
    # an error page that does not say so is no error page to compare with
    silent = probe.model_copy(update={"says_missing": False})
    assert not soft404.is_soft_404(check, silent, ("某某县人民政府网站", True), home_title="首页")


def test_the_missing_page_asked_for_is_the_same_in_every_run():
    assert soft404.missing_url(SITE, "4100000001") == soft404.missing_url(SITE, "4100000001")
    assert soft404.missing_url(SITE, "4100000001") != soft404.missing_url(SITE, "4100000002")
