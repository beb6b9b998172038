"""The crawl takes no in-run availability probes of a site whose probe log already covers the judged window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from govweb import catalogue, pipeline
from govweb.capture import Probe
from govweb.evidence import FileStore
from govweb.watch import probelog

AS_OF = date(2018, 10, 15)


def _log_week(store, site_ids, per_day):
    start, end = probelog.judged_window(AS_OF)
    day = start
    while day <= end:
        for i in range(per_day):
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=30 * i)
            probelog.append(store, [Probe(site_id=s, url=f"http://{s}.gov.test/", time=at.isoformat(), method="HEAD",
                                          status=200, ok=True) for s in site_ids])
        day += timedelta(days=1)


def _run(mode="sim"):
    return pipeline.RunSettings(year=2018, as_of=AS_OF, mode=mode, host_map=("*.gov.test=127.0.0.1:1",),
                                allow_private=True)


def test_full_week_for_every_site_covers(tmp_path):
    store = FileStore(tmp_path)
    need = int(catalogue.default()["availability.homepage"].threshold("min_probes_per_day"))
    _log_week(store, ["a", "b"], need)
    assert pipeline._probe_log_covers(store, _run(), catalogue.default(), ["a", "b"]) == {"a", "b"}
    # a site the log never probed is probed during the crawl, the others are not; a past-year archive run
    # probes nothing from the log
    assert pipeline._probe_log_covers(store, _run(), catalogue.default(), ["a", "b", "c"]) == {"a", "b"}
    assert pipeline._probe_log_covers(store, _run("archive"), catalogue.default(), ["a"]) == frozenset()


def test_too_few_probes_a_day_do_not_cover(tmp_path):
    store = FileStore(tmp_path)
    need = int(catalogue.default()["availability.homepage"].threshold("min_probes_per_day"))
    _log_week(store, ["a"], need - 1)
    assert pipeline._probe_log_covers(store, _run(), catalogue.default(), ["a"]) == frozenset()
