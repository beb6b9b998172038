"""The probe log: append/read per UTC day, windows, and the summary's veto/warning thresholds."""

from datetime import UTC, date, datetime, timedelta

import pytest

from govweb import catalogue
from govweb.capture import Probe
from govweb.evidence import FileStore
from govweb.watch import probelog

DAY0 = date(2018, 10, 8)


def probes_for(site_id: str, days: int, per_day: int, failing: set[int], start: date = DAY0) -> list[Probe]:
    """`per_day` probes a day for `days` days; probe number n (0-based, overall) fails when n in failing."""
    out, n = [], 0
    for d in range(days):
        t0 = datetime.combine(start + timedelta(days=d), datetime.min.time(), UTC)
        for i in range(per_day):
            ok = n not in failing
            out.append(Probe(site_id=site_id, url=f"http://{site_id}.gov.test/", time=(t0 + timedelta(
                minutes=30 * i)).isoformat(timespec="seconds"), method="HEAD", status=200 if ok else 503,
                ok=ok, error="" if ok else "http_error", elapsed_ms=5))
            n += 1
    return out


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def test_append_writes_one_object_per_day_and_reads_back_typed(store):
    probes = probes_for("a", 2, 3, {1})
    keys = probelog.append(store, probes, batch="round1")
    assert keys == ["probes/2018-10-08/round1.jsonl", "probes/2018-10-09/round1.jsonl"]
    back = probelog.read(store, keys[0])
    assert [p.time for p in back] == [p.time for p in probes[:3]] and not back[1].ok
    assert isinstance(back[0], Probe)


def test_window_is_inclusive_and_per_site(store):
    probelog.append(store, probes_for("a", 7, 2, set()) + probes_for("b", 7, 2, set()))
    got = probelog.window(store, "a", DAY0 + timedelta(days=1), DAY0 + timedelta(days=3))
    assert len(got) == 6 and {p.site_id for p in got} == {"a"}
    assert got == sorted(got, key=lambda p: p.time)
    assert set(probelog.windows(store, DAY0, DAY0 + timedelta(days=6))) == {"a", "b"}


@pytest.mark.parametrize(("failures", "veto", "warn"), [(0, False, False), (4, False, False), (5, False, True),
                                                        (7, True, True), (8, True, True)])
def test_summary_thresholds_from_the_catalogue(failures, veto, warn):
    # 140 probes (20 a day for 7 days): 4 = 2.9% (no warning), 5 = 3.6% (warning), 7 = 5.0% (veto)
    probes = probes_for("a", 7, 20, set(range(0, 140, 140 // failures)[:failures]) if failures else set())
    s = probelog.summary(probes, site_id="a", start=DAY0, end=DAY0 + timedelta(days=6), cat=catalogue.default())
    assert (s.probes, s.failures) == (140, failures)
    assert (s.veto, s.warn) == (veto, warn)
    assert s.enough and s.min_per_day == 20 and s.short_days == []
    if failures:
        assert s.reasons == {"HTTP 503": failures}


def test_summary_flags_days_with_too_few_probes():
    probes = probes_for("a", 3, 20, set()) + probes_for("a", 1, 19, set(), start=DAY0 + timedelta(days=3))
    s = probelog.summary(probes, site_id="a", start=DAY0, end=DAY0 + timedelta(days=4))
    assert not s.enough and s.short_days == ["2018-10-11", "2018-10-12"]


def test_availability_reads_the_window_before_as_of(store):
    probelog.append(store, probes_for("a", 9, 2, set(), start=DAY0 - timedelta(days=1)))
    av = probelog.availability(store, "a", date(2018, 10, 15))
    assert (av.source, av.window_start, av.window_end) == ("probe_log", "2018-10-08", "2018-10-14")
    assert av.attempted and len(av.probes) == 14
    assert all("2018-10-08" <= p.time[:10] <= "2018-10-14" for p in av.probes)
    empty = probelog.availability(store, "nobody", date(2018, 10, 15))
    assert not empty.attempted and empty.probes == []
