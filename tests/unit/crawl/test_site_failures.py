"""A site that cannot be crawled still gets a stored, typed capture saying why."""

from __future__ import annotations

import asyncio
import contextlib

from govweb.capture import Capture, CrawlLimits
from govweb.crawl.site import classify_browser_error, crawl_site
from govweb.evidence import capture_key
from govweb.models import Site
from tests.unit.crawl.loopweb import LoopWeb, crawl_env


class RefusingTab:
    url = ""

    async def goto(self, url, **kw):
        raise RuntimeError(f"Page.goto: net::ERR_CONNECTION_REFUSED at {url}")


class RefusingPool:
    @contextlib.asynccontextmanager
    async def context(self, **kw):
        yield object()

    @contextlib.asynccontextmanager
    async def tab(self, ctx):
        yield RefusingTab()


def _crawl(tmp_path, url: str) -> Capture:
    async def run():
        async with crawl_env(LoopWeb(), tmp_path, limits=CrawlLimits(page_timeout_s=2)) as sc:
            sc.shared.browser = RefusingPool()
            site = Site("f1", "失败县人民政府", url, "county", ("county",), "west", "测试")
            cap = await crawl_site(site, shared=sc.shared, store=sc.store, year=2018, as_of="2018-10-15",
                                   mode="sim")
            stored = Capture.from_json(sc.store.get(capture_key(2018, "f1")))
            assert stored == cap
            return cap
    return asyncio.run(run())


def test_unresolvable_host_is_a_failed_dns_capture(tmp_path):
    cap = _crawl(tmp_path, "http://www.nowhere.invalid/")
    assert (cap.status, cap.failure_reason) == ("failed", "dns")
    assert cap.finished and cap.started


def test_refused_home_page_in_the_browser(tmp_path):
    cap = _crawl(tmp_path, "http://www.refuses.test/")
    assert (cap.status, cap.failure_reason) == ("failed", "refused")
    assert "ERR_CONNECTION_REFUSED" in cap.error


def test_browser_error_vocabulary():
    assert classify_browser_error("net::ERR_NAME_NOT_RESOLVED") == "dns"
    assert classify_browser_error("net::ERR_CERT_DATE_INVALID") == "tls"
    assert classify_browser_error("Timeout 20000ms exceeded.") == "timeout"
    assert classify_browser_error("Target closed") == "browser_crash"
