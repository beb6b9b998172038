"""availability.homepage: failure rate of the stored probes against the 5% line."""

from __future__ import annotations

import pytest

from govweb.capture import AvailabilityProbe, Probe, Probes
from govweb.checks import availability
from govweb.evidence import FileStore
from tests.capturekit import capture, evidence, store_page

URL = "http://www.x.gov.cn/"


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def probes(n: int, failed: int, *, day0: int = 8) -> list[Probe]:
    out = []
    for i in range(n):
        bad = i < failed
        out.append(Probe(url=URL, time=f"2018-10-{day0 + i % 7:02d}T{i % 24:02d}:00:00Z", status=None if bad else 200,
                         ok=not bad, error="timeout" if bad else ""))
    return out


def ev_with(store, avail: AvailabilityProbe):
    home = store_page(store, URL, "<p>首页</p>", kind="home")
    return evidence(capture([home], probes=Probes(availability=avail)), store)


def log(n, failed, **kw):
    return AvailabilityProbe(attempted=True, source="probe_log", window_start="2018-10-08",
                             window_end="2018-10-14", probes=probes(n, failed), **kw)


def test_rate_just_below_the_line_passes(store):
    v = availability.homepage(ev_with(store, log(1000, 49)))
    assert v.status == "pass" and v.value == pytest.approx(0.049)
    assert "1000次" in v.detail and "2018-10-08至2018-10-14" in v.detail


def test_rate_on_the_line_fails(store):
    v = availability.homepage(ev_with(store, log(1000, 50)))
    assert v.status == "fail" and v.value == pytest.approx(0.05)
    assert "超时50次" in v.detail


def test_twenty_probes_one_failure_is_five_percent(store):
    assert availability.homepage(ev_with(store, log(140, 7))).status == "fail"


def test_in_run_probes_say_so(store):
    avail = AvailabilityProbe(attempted=True, source="in_run", probes=probes(5, 0))
    v = availability.homepage(ev_with(store, avail))
    assert (v.status, v.value) == ("pass", 0.0)
    assert "本次评估期间对首页探测5次" in v.detail


def test_probes_outside_the_window_are_ignored(store):
    avail = log(140, 0)
    avail.probes += [Probe(url=URL, time="2018-09-01T00:00:00Z", ok=False, error="timeout")] * 50
    assert availability.homepage(ev_with(store, avail)).value == 0.0


def test_few_probes_in_the_log_are_flagged(store):
    assert "少于每日20次" in availability.homepage(ev_with(store, log(30, 0))).detail


def test_not_attempted_or_empty(store):
    assert availability.homepage(ev_with(store, AvailabilityProbe())).status == "not_measured"
    assert availability.homepage(ev_with(store, AvailabilityProbe(attempted=True, source="in_run"))).status \
        == "not_measured"
