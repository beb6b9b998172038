"""Batch plumbing: what counts as already captured, and the browser pool's relaunch rules."""

from __future__ import annotations

import asyncio
import json

from govweb.capture import Capture, failed_capture
from govweb.crawl import browser as browser_mod
from govweb.crawl.batch import already_captured
from govweb.crawl.network import NetworkPolicy
from govweb.evidence import FileStore, capture_key


def _store(tmp_path, obj: bytes | None) -> FileStore:
    store = FileStore(tmp_path)
    if obj is not None:
        store.put(capture_key(2018, "s1"), obj, "application/json")
    return store


def test_already_captured_reads_the_typed_capture(tmp_path):
    ok = Capture(site_id="s1", url="http://a.test/", year=2018, as_of="2018-10-15", status="partial")
    assert already_captured(_store(tmp_path / "a", ok.to_json_bytes()), 2018, "s1")
    failed = failed_capture("s1", "http://a.test/", 2018, "2018-10-15", "dns", "no such host")
    assert not already_captured(_store(tmp_path / "b", failed.to_json_bytes()), 2018, "s1")
    assert not already_captured(_store(tmp_path / "c", None), 2018, "s1")


def test_a_capture_of_the_old_schema_is_crawled_again(tmp_path):
    old = json.dumps({"site_id": "s1", "status": "ok", "pages": [], "link_checks": []}).encode()
    assert not already_captured(_store(tmp_path, old), 2018, "s1")


class FakeBrowser:
    def __init__(self):
        self.connected = True
        self.closed = False

    def is_connected(self):
        return self.connected

    async def close(self):
        self.closed = True

    async def new_context(self, **kw):
        return FakeContext()


class FakeContext:
    async def new_page(self):
        return FakePage()

    async def close(self):
        pass


class FakePage:
    def on(self, *a):
        pass

    async def close(self):
        pass


class FakePlaywright:
    def __init__(self):
        self.launched: list[FakeBrowser] = []
        self.chromium = self

    async def launch(self, **kw):
        self.launched.append(FakeBrowser())
        return self.launched[-1]


def test_browser_pool_relaunches_after_n_pages_and_after_a_crash(monkeypatch):
    monkeypatch.setattr(browser_mod, "launch_options", lambda policy: {})
    pw = FakePlaywright()
    pool = browser_mod.BrowserPool(pw, NetworkPolicy(), restart_after=3, tabs_per_context=2)

    async def site(pages: int):
        async with pool.context() as ctx:
            for _ in range(pages):
                async with pool.tab(ctx):
                    pass

    async def run():
        await site(2)
        assert len(pw.launched) == 1
        await site(2)  # 4 pages on the first browser: relaunch before the next site
        assert len(pw.launched) == 1
        await site(1)
        assert len(pw.launched) == 2 and pw.launched[0].closed
        pw.launched[1].connected = False  # crashed
        await site(1)
        assert len(pw.launched) == 3

    asyncio.run(run())


def test_open_tabs_per_context_are_bounded(monkeypatch):
    monkeypatch.setattr(browser_mod, "launch_options", lambda policy: {})
    pool = browser_mod.BrowserPool(FakePlaywright(), NetworkPolicy(), tabs_per_context=2)
    open_now = peak = 0

    async def one(ctx):
        nonlocal open_now, peak
        async with pool.tab(ctx):
            open_now += 1
            peak = max(peak, open_now)
            await asyncio.sleep(0.01)
            open_now -= 1

    async def run():
        async with pool.context() as ctx:
            await asyncio.gather(*(one(ctx) for _ in range(6)))

    asyncio.run(run())
    assert peak == 2


def test_the_site_queue_hands_out_sites_in_order_then_one_end_mark_per_slot():
    """Worker processes share one queue: each free slot takes the next site; `done` counts across processes."""
    import multiprocessing
    import queue as queue_mod

    from govweb.crawl.batch import SiteQueue
    from govweb.models import Site

    ctx = multiprocessing.get_context("spawn")
    q, done = ctx.Queue(), ctx.Value("i", 0)
    sites = [Site(site_id=f"s{i}", name=f"站点{i}", url=f"http://s{i}.test/", level="county",
                  groups=("county",), region="east", province="北京") for i in range(3)]
    for s in [*sites, None, None]:
        q.put(s)
    a, b = SiteQueue(3, queue=q, done=done), SiteQueue(3, queue=q, done=done)

    async def take(src):
        return await src.next()

    got = [asyncio.run(take(a)), asyncio.run(take(b)), asyncio.run(take(a))]
    assert [s.site_id for s in got] == ["s0", "s1", "s2"]
    assert asyncio.run(take(b)) is None and asyncio.run(take(a)) is None
    assert [a.finished(), b.finished(), a.finished()] == [1, 2, 3]
    try:
        q.get(timeout=0.2)
        raise AssertionError("the queue should be empty")
    except queue_mod.Empty:
        pass
    local = SiteQueue(2, sites[:2])
    assert [asyncio.run(take(local)).site_id, asyncio.run(take(local)).site_id] == ["s0", "s1"]
    assert asyncio.run(take(local)) is None and [local.finished(), local.finished()] == [1, 2]
