"""Archive mode: a past year crawled from the simulated web's Wayback-compatible archive, as it was."""

from __future__ import annotations

from datetime import date

import pytest

from govweb import evidence, pipeline
from govweb.capture import Capture
from govweb.sim import server, world
from tests.conftest import DEMO_INVENTORY

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    store = evidence.FileStore(tmp_path_factory.mktemp("archive"))
    w2018 = world.load("demo_2018", 2018)
    with server.SimServer(w2018, loader=lambda y: world.load("demo_2018", y)) as srv:
        run = pipeline.RunSettings(year=2017, as_of=date(2017, 10, 15), mode="archive", host_map=(srv.host_map,),
                                   allow_private=True)
        pipeline.stage_inventory(store, DEMO_INVENTORY, 2017)
        result = pipeline.crawl(store, run, ["1100000088", "2200000007"])
    return store, result


def test_captures_record_the_mode_and_the_snapshots_of_their_year(archived):
    store, result = archived
    assert set(result.values()) <= {"ok", "partial"}
    cap = Capture.from_json(store.get("evidence/2017/1100000088/capture.json"))
    assert cap.mode == "archive" and cap.snapshots
    assert all(ts.startswith("2017") for ts in cap.snapshots.values())
    assert cap.home.url == "http://www.beijing.gov.test/" and cap.home.snapshot.startswith("2017")


def test_the_site_model_reads_original_urls(archived):
    store, _ = archived
    cap = Capture.from_json(store.get("evidence/2017/2200000007/capture.json"))
    assert len(cap.columns) >= 6 and all("archive.gov.test" not in c.url for c in cap.columns)
    assert all(p.via in ("archive", "browser") for p in cap.pages if p.kind != "search")
    html = store.get_text(cap.home.html_key)
    assert "/web/2017" not in html and "archive.gov.test" not in html and "/col/" in html
    # probes of today's host are not taken for a past year: they are recorded as not attempted
    assert not cap.probes.https.attempted and "archive mode" in cap.probes.https.error


def test_a_site_without_snapshot_fails_with_the_reason(tmp_path):
    store = evidence.FileStore(tmp_path)
    w = world.load("demo_2018", 2018)
    with server.SimServer(w, loader=lambda y: world.load("demo_2018", y)) as srv:
        run = pipeline.RunSettings(year=2009, as_of=date(2009, 10, 15), mode="archive",
                                   host_map=(srv.host_map,), allow_private=True, max_failed_share=1.0)
        pipeline.stage_inventory(store, DEMO_INVENTORY, 2009)
        result = pipeline.crawl(store, run, ["1100000088"])  # "missing" is not a network failure: no raise
    cap = Capture.from_json(store.get("evidence/2009/1100000088/capture.json"))
    assert result == {"1100000088": "failed:missing"} and cap.failure_reason == "missing"
    assert "no snapshot" in cap.error
