"""The home page's browser tab lives only as long as its probes: a live portal's carousel or marquee keeps
its renderer drawing while the tab is open, and the site model over HTTP goes on for much longer."""

from __future__ import annotations

import asyncio
import contextlib

from govweb.capture import CrawlLimits, Page
from govweb.crawl import site as site_mod
from govweb.crawl.context import Doc
from govweb.crawl.site import crawl_site
from govweb.models import Site
from tests.unit.crawl.loopweb import LoopWeb, crawl_env


class Tab:
    def __init__(self) -> None:
        self.closed = False


class Pool:
    """Contexts and tabs that say when they were closed."""

    def __init__(self) -> None:
        self.tabs: list[Tab] = []
        self.context_open = False

    @contextlib.asynccontextmanager
    async def context(self, **kw):
        self.context_open = True
        try:
            yield object()
        finally:
            self.context_open = False

    @contextlib.asynccontextmanager
    async def tab(self, ctx):
        tab = Tab()
        self.tabs.append(tab)
        try:
            yield tab
        finally:
            tab.closed = True


async def _home(sc, tab) -> Doc:
    page = Page(url=sc.capture.url, kind="home", via="browser", status=200)
    sc.capture.pages.insert(0, page)
    return Doc(page, keeper=sc.trees)


def _run(tmp_path, monkeypatch, live, model, limits=None, at_return=None):
    """Crawl one site with the given probes and site model; `at_return` is called as crawl_site returns
    (before asyncio.run would cancel whatever is still running)."""
    pool = Pool()
    monkeypatch.setattr(site_mod, "render_home", _home)
    monkeypatch.setattr(site_mod, "_live_probes", live)
    monkeypatch.setattr(site_mod, "site_model", lambda sc, home: model(pool))

    async def run():
        async with crawl_env(LoopWeb(), tmp_path, **({"limits": limits} if limits else {})) as sc:
            sc.shared.browser = pool
            site = Site("t1", "测试县人民政府", "http://www.site.test/", "county", ("county",), "west", "测试")
            cap = await crawl_site(site, shared=sc.shared, store=sc.store, year=2018, as_of="2018-10-15",
                                   mode="sim")
            if at_return:
                at_return()
            return cap

    return pool, asyncio.run(run())


def _endless_model():
    """A site model that never ends by itself, and the list it appends to when it is cancelled."""
    cancelled: list[bool] = []

    async def model(pool):
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    return model, cancelled


def test_the_home_tab_closes_when_its_probes_end_while_the_site_model_goes_on(tmp_path, monkeypatch):
    probed = asyncio.Event()
    seen: dict[str, bool] = {}

    async def live(sc, tab, home):
        await asyncio.sleep(0)
        probed.set()

    async def model(pool):
        assert not pool.tabs[0].closed  # the model starts while the tab is still open for its probes
        await probed.wait()
        for _ in range(5):
            await asyncio.sleep(0)
        seen["tab closed"], seen["context open"] = pool.tabs[0].closed, pool.context_open

    pool, cap = _run(tmp_path, monkeypatch, live, model)
    assert seen == {"tab closed": True, "context open": True}  # the context stays for the model's browser pages
    assert cap.status == "ok" and not pool.context_open


def test_probes_that_fail_stop_the_site_model_and_the_capture_says_why(tmp_path, monkeypatch):
    model, cancelled = _endless_model()

    async def live(sc, tab, home):
        await asyncio.sleep(0)
        raise RuntimeError("Target page, context or browser has been closed")

    at_return: list[list[bool]] = []
    pool, cap = _run(tmp_path, monkeypatch, live, model, at_return=lambda: at_return.append(list(cancelled)))
    assert at_return == [[True]]  # stopped by the site's crawl itself, not left running
    assert pool.tabs[0].closed and not pool.context_open
    assert cap.status == "partial" and "has been closed" in cap.partial_reasons[0]


def test_a_site_model_still_running_at_the_time_budget_stops_with_the_site(tmp_path, monkeypatch):
    model, cancelled = _endless_model()

    async def live(sc, tab, home):
        await asyncio.sleep(0)

    at_return: list[list[bool]] = []
    limits = CrawlLimits(max_seconds=0.3, page_timeout_s=0.2)
    pool, cap = _run(tmp_path, monkeypatch, live, model, limits=limits,
                     at_return=lambda: at_return.append(list(cancelled)))
    assert at_return == [[True]]
    assert pool.tabs[0].closed and not pool.context_open
    assert (cap.status, cap.stats.budget_hit) == ("partial", "time")


def test_the_search_probe_runs_once_the_site_model_is_done(tmp_path, monkeypatch):
    """The search's query is taken from the columns' items: it waits for the model that crawls them, even
    when the home page's probes end first (a choice among the items crawled so far would depend on timing)."""
    order: list[str] = []

    async def live(sc, tab, home):
        await asyncio.sleep(0)
        order.append("live probes")

    async def model(pool):
        await asyncio.sleep(0.2)  # the columns take longer than the home page's probes
        order.append("site model")

    async def search(sc, home):
        order.append("search")

    monkeypatch.setattr(site_mod.probes_runner, "search", search)
    _, cap = _run(tmp_path, monkeypatch, live, model)
    assert order == ["live probes", "site model", "search"] and cap.status == "ok"
