"""Crawl order: the sites that took longest last year start first."""

from __future__ import annotations

from govweb.crawl.schedule import health_key, longest_first, previous_seconds
from govweb.evidence import FileStore
from govweb.models import Site


def _site(sid: str) -> Site:
    return Site(site_id=sid, name=sid, url=f"http://{sid}.test/", level="county", groups=("county",),
                region="east", province="北京")


def test_slowest_last_year_first_unknown_sites_count_as_typical_ties_keep_inventory_order():
    sites = [_site(s) for s in ("a", "b", "c", "d", "e")]
    seconds = {"a": 20.0, "b": 260.0, "c": 20.0, "e": 5.0}  # d is new this year: typical = median 20
    assert [s.site_id for s in longest_first(sites, seconds)] == ["b", "a", "c", "d", "e"]


def test_without_last_years_times_the_inventory_order_stays():
    sites = [_site(s) for s in ("b", "a")]
    assert [s.site_id for s in longest_first(sites, {})] == ["b", "a"]


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
    assert pipeline.plan_batches(store, 2018, 4)[0] == ids[:4]  # no 2017 crawl: inventory order
    store.put_json(health_key(2017), {"seconds": {ids[-1]: 300.0, ids[-2]: 200.0, ids[0]: 1.0, ids[1]: 2.0}})
    plan = pipeline.plan_batches(store, 2018, 4)
    assert plan[0][:2] == [ids[-1], ids[-2]] and sorted(sum(plan, [])) == sorted(ids)
    assert plan[-1][-2:] == [ids[1], ids[0]]  # the quickest last
