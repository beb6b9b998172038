"""Judging many sites in worker processes gives the findings one process gives, in the sites' order."""

from __future__ import annotations

from datetime import date

from govweb import catalogue
from govweb.capture import Capture, Page, failed_capture
from govweb.checks import runner
from govweb.checks import sites as judging
from govweb.evidence import FileStore, capture_key
from govweb.pipeline import load_capture

SITE_IDS = ["s5", "s1", "s4", "s2", "s3"]  # not sorted: the findings must follow this order


def _store(tmp_path) -> FileStore:
    store = FileStore(tmp_path)
    for i, sid in enumerate(SITE_IDS):
        if i % 2:
            cap = failed_capture(sid, f"http://{sid}.test/", 2018, "2018-10-15", "dns", "no such host")
        else:
            home = Page(url=f"http://{sid}.test/", final_url=f"http://{sid}.test/", kind="home", status=200,
                        title=f"{sid}人民政府")
            cap = Capture(site_id=sid, url=f"http://{sid}.test/", year=2018, as_of="2018-10-15", pages=[home])
        store.put(capture_key(2018, sid), cap.to_json_bytes(), "application/json")
    return store


def test_findings_from_two_processes_are_those_of_one_in_the_sites_order(tmp_path, monkeypatch):
    store = _store(tmp_path)
    monkeypatch.setattr(judging, "MIN_SITES_PER_PROCESS", 1)
    monkeypatch.setattr(judging, "CHUNK", 2)
    job = judging.JudgeJob(store, 2018, date(2018, 10, 15), tuple(catalogue.default().ids))
    todo = [judging.SiteToJudge(sid) for sid in SITE_IDS]
    one = judging.judge_sites(job, todo, load_capture, processes=1)
    two = judging.judge_sites(job, todo, load_capture, processes=2)
    assert [f.site_id for f in one][:: len(job.check_ids)] == SITE_IDS
    assert runner.to_frame(two).to_csv(index=False) == runner.to_frame(one).to_csv(index=False)
    assert [(f.site_id, f.check_id, f.status) for f in two] == [(f.site_id, f.check_id, f.status) for f in one]
    failed = [f for f in one if f.site_id == "s1"]
    assert failed and all(f.status == "not_measured" and "网站未能采集" in f.detail for f in failed)


def test_probe_log_probes_replace_the_in_run_ones_for_the_sites_that_have_them(tmp_path):
    from govweb.capture import Probe

    store = _store(tmp_path)
    probe = Probe(site_id="s5", url="http://s5.test/", time="2018-10-10T08:00:00+00:00", method="HEAD", status=200,
                  elapsed_ms=12, ok=True)
    job = judging.JudgeJob(store, 2018, date(2018, 10, 15), ("availability.homepage",),
                           ("2018-10-08", "2018-10-14"))
    found = judging.judge_sites(job, [judging.SiteToJudge("s5", probes=(probe,)), judging.SiteToJudge("s4")],
                                load_capture, processes=1)
    by_site = {f.site_id: f for f in found}
    assert by_site["s5"].status == "pass" and by_site["s5"].detail.startswith("探测日志2018-10-08至2018-10-14共1次探测")
    assert by_site["s4"].status == "not_measured"  # no probe log and no in-run probes
