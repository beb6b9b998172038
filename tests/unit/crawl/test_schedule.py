"""Crawl order: the sites that took longest last year start first; without last year's time, the sites whose
home page answers slowly (or not at all) now."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest

from govweb.crawl import schedule
from govweb.crawl.network import NetworkPolicy
from govweb.crawl.politeness import HostGate
from govweb.crawl.schedule import HomeAnswer, health_key, longest_first, previous_seconds
from govweb.evidence import FileStore
from govweb.models import Site
from govweb.runsettings import RunSettings
from tests.unit.crawl.loopweb import LoopWeb, SilentServer, html


def _site(sid: str, url: str = "") -> Site:
    return Site(site_id=sid, name=sid, url=url or f"http://{sid}.test/", level="county", groups=("county",),
                region="east", province="北京")


def test_slowest_last_year_first_unknown_sites_count_as_typical_ties_keep_inventory_order():
    sites = [_site(s) for s in ("a", "b", "c", "d", "e")]
    seconds = {"a": 20.0, "b": 260.0, "c": 20.0, "e": 5.0}  # d is new this year: typical = median 20
    assert [s.site_id for s in longest_first(sites, seconds)] == ["b", "a", "c", "d", "e"]


def test_without_last_years_times_the_inventory_order_stays():
    sites = [_site(s) for s in ("b", "a")]
    assert [s.site_id for s in longest_first(sites, {})] == ["b", "a"]


def test_a_first_run_starts_the_sites_whose_home_page_answered_slowly_the_rest_keep_inventory_order():
    sites = [_site(s) for s in ("a", "b", "c", "d", "e")]
    home = {k: HomeAnswer(v) for k, v in {"a": 0.02, "b": 4.0, "c": 5.0, "d": 0.4, "e": 0.01}.items()}  # d: typical
    assert [s.site_id for s in longest_first(sites, {}, home)] == ["c", "b", "a", "d", "e"]


def test_a_new_sites_slow_home_page_scales_a_typical_sites_time():
    sites = [_site(s) for s in ("a", "b", "new", "fast_new")]
    seconds = {"a": 20.0, "b": 30.0}  # typical: 25
    home = {"new": HomeAnswer(3.0), "fast_new": HomeAnswer(0.05)}  # new: 25 * 3.0 / 0.5 = 150 expected seconds
    assert [s.site_id for s in longest_first(sites, seconds, home)] == ["new", "b", "fast_new", "a"]


def _timed(loop_web: LoopWeb, sites: list[Site], per_host: int) -> tuple[dict[str, float], float]:
    """Time the sites' home pages on the loopback web; hang.test accepts connections and never answers."""
    async def main():
        runner = await loop_web.start()
        silent = SilentServer()
        silent.start()
        policy = NetworkPolicy.from_args([f"hang.test=127.0.0.1:{silent.port}", f"*.test=127.0.0.1:{loop_web.port}"],
                                         allow_private=True)
        try:
            t0 = time.monotonic()
            times = await schedule._answer_times(sites, policy, HostGate(per_host))
            return times, time.monotonic() - t0
        finally:
            silent.close()
            await runner.cleanup()

    return asyncio.run(main())


def test_home_pages_are_timed_slow_ones_again_hanging_and_dead_hosts_bounded_per_host(monkeypatch):
    monkeypatch.setattr(schedule, "HOME_TIMEOUT_S", 1.0)
    loop_web = LoopWeb()
    loop_web.add("fast.test", "/", html("<p>首页</p>"))
    loop_web.add("slow.test", "/", html("<p>首页</p>", delay_s=0.6))
    loop_web.add("busy.test", "/", html("<p>首页</p>", delay_first_s=0.8))  # slow once: busy with other probes
    shared = [f"/site{i}/" for i in range(6)]  # six county sites on one platform host
    for path in shared:
        loop_web.add("shared.test", path, html("<p>首页</p>", delay_s=0.1))
    sites = [_site("fast", "http://fast.test/"), _site("slow", "http://slow.test/"), _site("busy", "http://busy.test/"),
             _site("dead", "http://nowhere.invalid/"), _site("hang", "http://hang.test/"),
             *(_site(f"shared{i}", f"http://shared.test{p}") for i, p in enumerate(shared))]
    times, _ = _timed(loop_web, sites, per_host=2)
    secs = {sid: a.seconds for sid, a in times.items()}
    assert secs["fast"] < 0.3 and secs["dead"] < 0.3  # a name that does not resolve fails at once
    assert 0.6 <= secs["slow"] < 1.0 and loop_web.hits[("slow.test", "/")] == 2  # slow twice
    assert secs["busy"] < 0.3 and loop_web.hits[("busy.test", "/")] == 2  # the quicker answer counts
    assert secs["hang"] >= 1.0  # timed out, not timed again
    assert loop_web.peak["shared.test"] == 2 and all(0.1 <= secs[f"shared{i}"] < 0.5 for i in range(6))
    order = [s.site_id for s in longest_first(sites, {}, times)]
    assert order == ["hang", "slow", "fast", "busy", "dead", *(f"shared{i}" for i in range(6))]


def test_home_pages_not_timed_by_the_deadline_count_as_timed_out(monkeypatch):
    monkeypatch.setattr(schedule, "HOME_TIMEOUT_S", 1.0)
    monkeypatch.setattr(schedule, "ANSWER_DEADLINE_S", 2.5)
    sites = [_site(f"hang{i}", f"http://hang.test/{i}/") for i in range(5)]  # 2 at a time: 3 waves of 1 s
    times, wall = _timed(LoopWeb(), sites, per_host=2)
    assert wall < 2.9 and all(a.seconds >= 1.0 for a in times.values()) and len(times) == 5


def test_a_run_that_does_not_reach_the_sites_times_no_home_page(tmp_path, monkeypatch):
    monkeypatch.setattr(schedule, "answer_times", lambda *a, **k: pytest.fail("home pages timed"))
    sites = [_site(s) for s in ("a", "b")]
    assert [s.site_id for s in schedule.crawl_order(sites, FileStore(tmp_path), 2018, None)] == ["a", "b"]


def test_last_years_times_come_from_its_crawl_health_summary(tmp_path):
    store = FileStore(tmp_path)
    assert previous_seconds(store, 2018) == {}
    store.put_json(health_key(2017), {"year": 2017, "sites": 2, "failed": [], "seconds": {"a": 12.5, "b": 240}})
    assert previous_seconds(store, 2018) == {"a": 12.5, "b": 240.0}
    assert previous_seconds(store, 2019) == {}  # 2018 was not crawled


def test_the_run_plan_puts_last_years_slowest_sites_in_the_first_batch(tmp_path):
    from govweb import config, inventory, pipeline

    store = FileStore(tmp_path)
    source = config.inventory_dir() / "demo_2018.csv"
    pipeline.stage_inventory(store, source, 2018)
    ids = [s.site_id for s in inventory.active(inventory.load(source))]
    run = RunSettings(year=2018, as_of=date(2018, 10, 15), mode="rescore", batch_size=4)  # reaches no site
    assert pipeline.plan_batches(store, run)[0] == ids[:4]  # no 2017 crawl: inventory order
    store.put_json(health_key(2017), {"seconds": {ids[-1]: 300.0, ids[-2]: 200.0, ids[0]: 1.0, ids[1]: 2.0}})
    plan = pipeline.plan_batches(store, run)
    assert plan[0][:2] == [ids[-1], ids[-2]] and sorted(sum(plan, [])) == sorted(ids)
    assert plan[-1][-2:] == [ids[1], ids[0]]  # the quickest last


def test_home_pages_are_timed_with_the_crawls_per_host_delay():
    loop_web = LoopWeb()
    for i in range(3):
        loop_web.add("county.test", f"/{i}/", html("<p>首页</p>"))
    sites = [_site(f"c{i}", f"http://county.test/{i}/") for i in range(3)]

    async def main():
        runner = await loop_web.start()
        policy = NetworkPolicy.from_args([f"*.test=127.0.0.1:{loop_web.port}"], allow_private=True)
        try:
            t0 = time.monotonic()
            times = await schedule._answer_times(sites, policy, HostGate(4, delay_s=0.4))
            return times, time.monotonic() - t0
        finally:
            await runner.cleanup()

    times, wall = asyncio.run(main())
    assert wall >= 0.8 and all(a.seconds < 0.3 for a in times.values())  # starts 0.4 s apart; waits not timed


def test_a_slow_home_page_is_timed_again_at_once_not_after_every_other_site(monkeypatch):
    """The second timing of a slow answer starts when the first one is in: it does not wait for a hanging
    site's timeout (the old second round started after the whole first round: 1.0 + 2 x 0.6 s)."""
    monkeypatch.setattr(schedule, "HOME_TIMEOUT_S", 1.0)
    loop_web = LoopWeb()
    loop_web.add("slow.test", "/", html("<p>首页</p>", delay_s=0.6))
    sites = [_site("hang", "http://hang.test/"), _site("slow", "http://slow.test/")]
    times, wall = _timed(loop_web, sites, per_host=2)
    assert loop_web.hits[("slow.test", "/")] == 2 and 0.6 <= times["slow"].seconds < 1.0
    assert times["hang"].seconds >= 1.0
    assert wall < 1.5


def test_a_home_page_declaring_a_very_large_body_is_crawled_first(monkeypatch):
    """The timing's HEAD reads the declared length: a home page of many megabytes (the browser loads it twice
    and shoots it) starts first even when it answers as fast as the others."""
    monkeypatch.setattr(schedule, "HEAVY_HOME_BYTES", 20_000)
    loop_web = LoopWeb()
    loop_web.add("small.test", "/", html("<p>首页</p>"))
    loop_web.add("large.test", "/", html("<p>首页</p>" + "<p>政务公开 通知公告</p>" * 4000))  # ~100 KB
    sites = [_site("small", "http://small.test/"), _site("large", "http://large.test/")]
    times, _ = _timed(loop_web, sites, per_host=2)
    assert times["large"].length > 5 * 20_000 and times["small"].length < 1000
    assert times["large"].typical_crawls() > 5 and times["small"].typical_crawls() == 1.0
    assert [s.site_id for s in longest_first(sites, {}, times)] == ["large", "small"]
    assert HomeAnswer(0.05, None).typical_crawls() == 1.0  # no declared length: a typical site
