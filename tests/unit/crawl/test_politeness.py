"""Per-host concurrency and delay (counted by the server), and the dead-host memory: 300 links to 30
unreachable hosts checked in under 3x the link timeout."""

from __future__ import annotations

import asyncio
import time

from govweb.capture import CrawlLimits
from govweb.crawl.linkcheck import LinkTarget, check_links
from govweb.crawl.politeness import DeadHosts, HostGate
from govweb.crawl.render import http_page
from tests.unit.crawl.loopweb import LoopWeb, Route, SilentServer, crawl_env


def test_per_host_concurrency_is_never_exceeded(tmp_path):
    web = LoopWeb(default_delay_s=0.05)
    hosts = ("a.site.test", "b.site.test", "c.site.test")
    for h in hosts:
        for n in range(12):
            web.add(h, f"/p{n}.html", Route(b"<html><title>x</title></html>"))
    limits = CrawlLimits(per_host_concurrency=3, page_timeout_s=5, link_timeout_s=5)

    async def run():
        async with crawl_env(web, tmp_path, limits=limits) as sc:
            targets = [LinkTarget(f"http://{h}/p{n}.html", "s") for h in hosts for n in range(12)]
            checks = await check_links(sc.shared, targets, 5)
            return checks, sc.shared.gate

    checks, gate = asyncio.run(run())
    assert all(c.status == 200 for c in checks) and len(checks) == 36
    for h in hosts:
        assert web.peak[h] == 3, (h, web.peak[h])  # parallel, but never more than configured
        assert gate.peak[h] == 3


def test_per_host_delay_spaces_request_starts():
    gate = HostGate(concurrency=4, delay_s=0.1)
    starts: list[float] = []

    async def one():
        async with gate.slot("slow.test"):
            starts.append(time.monotonic())

    async def run():
        gate.answered("slow.test")
        await asyncio.gather(*(one() for _ in range(5)))

    asyncio.run(run())
    gaps = [b - a for a, b in zip(sorted(starts), sorted(starts)[1:], strict=False)]
    assert len(gaps) == 4 and min(gaps) >= 0.09


def test_unanswered_host_gets_a_single_probe_request():
    gate = HostGate(concurrency=4)
    in_flight = peak = 0

    async def one():
        nonlocal in_flight, peak
        async with gate.slot("new.test"):
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.02)
            in_flight -= 1

    async def run():
        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(6))), 5)

    asyncio.run(run())
    assert peak == 1


def test_dead_hosts_fail_fast_300_links_30_hosts(tmp_path):
    timeout = 2.0  # the bound is 3x this; a longer timeout leaves a loaded machine's overhead room
    dead = DeadHosts()

    async def run():
        silent = SilentServer()
        silent.start()
        web = LoopWeb()
        limits = CrawlLimits(link_timeout_s=timeout, page_timeout_s=timeout)
        try:
            async with crawl_env(web, tmp_path, limits=limits, dead=dead,
                                 extra_rules=(f"*.silent.test=127.0.0.1:{silent.port}",)) as sc:
                targets = [LinkTarget(f"http://h{h}.silent.test/page{n}.html", "http://www.site.test/")
                           for h in range(15) for n in range(10)]
                targets += [LinkTarget(f"http://h{h}.nowhere.invalid/page{n}.html", "http://www.site.test/")
                            for h in range(15) for n in range(10)]
                t0 = time.monotonic()
                checks = await check_links(sc.shared, targets, timeout)
                return checks, time.monotonic() - t0
        finally:
            silent.close()

    checks, elapsed = asyncio.run(run())
    assert len(checks) == 300
    assert elapsed < 3 * timeout, elapsed
    by_reason = {c.url: c.error for c in checks}
    assert all(by_reason[f"http://h{h}.silent.test/page{n}.html"] == "timeout" for h in range(15) for n in range(10))
    assert all(by_reason[f"http://h{h}.nowhere.invalid/page{n}.html"] == "dns" for h in range(15) for n in range(10))
    remembered = [c for c in checks if "remembered dead" in c.detail]
    assert len(remembered) == 270  # one real attempt per host, every other link failed at once
    assert len(dead) == 30


def test_dead_host_memory_is_shared_between_sites(tmp_path):
    dead = DeadHosts()
    dead.mark("gone.test", "refused", "first site saw it refuse")
    web = LoopWeb()
    web.add("gone.test", "/", Route(b"<html></html>"))  # would answer: the memory wins

    async def run():
        async with crawl_env(web, tmp_path, dead=dead) as sc:
            checks = await check_links(sc.shared, [LinkTarget("http://gone.test/", "s")], 5)
            doc = await http_page(sc, "http://gone.test/", "other")
            return checks, doc

    checks, doc = asyncio.run(run())
    assert checks[0].error == "refused" and "first site" in checks[0].detail
    assert doc.page.error == "refused"
    assert web.hits[("gone.test", "/")] == 0


def test_live_hosts_one_slow_answer_is_retried_not_remembered_dead(tmp_path):
    """A host that already answered and is slow once (a busy server) is not dead: that link is retried and
    the host's other links are checked normally (a dead-host mark would count them all broken)."""
    dead = DeadHosts()
    web = LoopWeb()
    for n in range(5):
        web.add("www.site.test", f"/p{n}.html", Route(b"<html></html>"))
    web.add("www.site.test", "/slow.html", Route(b"<html></html>", delay_first_s=4.0))
    timeout = 1.5  # well above a loaded machine's answer time, well below the slow page's first answer

    async def run():
        async with crawl_env(web, tmp_path, dead=dead, limits=CrawlLimits(link_timeout_s=timeout)) as sc:
            first = await check_links(sc.shared, [LinkTarget("http://www.site.test/p0.html", "s")], timeout)
            rest = await check_links(sc.shared, [LinkTarget("http://www.site.test/slow.html", "s")] +
                                     [LinkTarget(f"http://www.site.test/p{n}.html", "s") for n in range(1, 5)],
                                     timeout)
            return first + rest

    checks = asyncio.run(run())
    assert [c.status for c in checks] == [200] * 6, [(c.url, c.status, c.error) for c in checks]
    assert web.hits[("www.site.test", "/slow.html")] == 2 and len(dead) == 0


def test_a_live_host_that_refuses_once_is_busy_not_dead(tmp_path, monkeypatch):
    """Its home page answered, then one request was refused (a full accept queue under load): the page and
    the link are tried again after a pause, the host is not remembered dead, the site's pages are all kept.
    A host that never answered and refuses is remembered dead at once, as before."""
    from govweb.crawl import linkcheck, politeness, render
    from govweb.crawl.fetch import Fetched

    monkeypatch.setattr(politeness, "BUSY_RETRY_S", (0.01, 0.01))
    monkeypatch.setattr(render, "BUSY_RETRY_S", (0.01, 0.01))
    monkeypatch.setattr(linkcheck, "BUSY_RETRY_S", (0.01, 0.01))
    web = LoopWeb()
    for path in ("/", "/a.html", "/b.html"):
        web.add("www.site.test", path, Route(b"<html><title>x</title></html>"))
    real_fetch = render.fetch
    refusals = {"http://www.site.test/a.html": 1, "http://www.site.test/b.html": 1, "http://gone.test/": 9}

    async def flaky(http, url, **kw):
        if refusals.get(url, 0) > 0:
            refusals[url] -= 1
            return Fetched(url, method=kw.get("method", "GET"), error="refused", error_detail="Connect call failed")
        return await real_fetch(http, url, **kw)

    monkeypatch.setattr(render, "fetch", flaky)
    monkeypatch.setattr(linkcheck, "fetch", flaky)
    dead = DeadHosts()

    async def run():
        async with crawl_env(web, tmp_path, dead=dead) as sc:
            sc.shared.gate.answered("www.site.test")  # the home page loaded
            doc = await http_page(sc, "http://www.site.test/a.html", "other")
            checks = await check_links(sc.shared, [LinkTarget("http://www.site.test/b.html", "s"),
                                                   LinkTarget("http://gone.test/", "s")], 2)
            return doc, checks

    doc, checks = asyncio.run(run())
    assert doc.page.status == 200 and checks[0].status == 200
    assert dead.get("www.site.test") is None
    assert checks[1].error == "refused" and dead.get("gone.test") is not None


def test_each_batch_starts_with_an_empty_dead_host_memory():
    """A host found dead in one crawl of this process (another run, another test's server that has gone) is
    not failed unseen by the next crawl: the memory lives as long as the batch's shared context."""
    from govweb.capture import CrawlLimits as Limits
    from govweb.crawl.context import Shared
    from govweb.crawl.network import NetworkPolicy
    from govweb.crawl.settings import CrawlSettings

    first = Shared(http=None, policy=NetworkPolicy(), settings=CrawlSettings(), limits=Limits())
    first.dead.mark("www.beijing.gov.test", "refused", "the previous server on this name has stopped")
    second = Shared(http=None, policy=NetworkPolicy(), settings=CrawlSettings(), limits=Limits())
    assert second.dead.get("www.beijing.gov.test") is None and len(second.dead) == 0
