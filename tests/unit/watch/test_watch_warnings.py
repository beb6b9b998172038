"""Early warnings: catalogue thresholds on probe rates and on the detectors' values; the daily digest."""

from datetime import date, timedelta

import pytest

from govweb import catalogue
from govweb.capture import Capture
from govweb.checks.registry import Verdict
from govweb.evidence import FileStore, capture_key
from govweb.models import Site
from govweb.watch import callbacks, probelog, warnings
from tests.unit.watch.test_watch_probelog import probes_for

DAY = date(2018, 10, 14)
START = DAY - timedelta(days=6)


def site(sid: str, name: str = "") -> Site:
    return Site(sid, name or f"站点{sid}", f"http://{sid}.gov.test/", "county", ("county",), "east", "浙江")


def fake_judge(values: dict[str, object]):
    def judge(check_id, ev):
        if check_id not in values:
            raise KeyError(f"no detector registered for check {check_id!r}")
        v = values[check_id]
        return Verdict("fail", v, f"测得 {v}", [ev.key]) if v is not None else Verdict.not_measured("缺少证据")
    return judge


@pytest.fixture
def store(tmp_path):
    return FileStore(tmp_path)


def store_capture(store, sid: str, year: int = 2018):
    cap = Capture(site_id=sid, url=f"http://{sid}.gov.test/", year=year, as_of=f"{year}-10-01")
    store.put(capture_key(year, sid), cap.to_json_bytes(), "application/json")


@pytest.mark.parametrize(("values", "rules"), [
    ({"freshness.homepage": 9, "columns.empty": 2, "freshness.columns": 6}, []),
    ({"freshness.homepage": 10, "columns.empty": 3, "freshness.columns": 7},
     ["columns.empty", "freshness.columns", "freshness.homepage"]),
    ({"freshness.homepage": "40", "columns.empty": 0, "freshness.columns": None}, ["freshness.homepage"]),
])
def test_capture_rules_use_the_catalogue_warning_lines(store, values, rules):
    store_capture(store, "a")
    d = warnings.digest(store, [site("a")], DAY, catalogue.default(), judge=fake_judge(values))
    assert sorted(w.rule for w in d.warnings) == rules
    for w in d.warnings:
        assert w.site_id == "a" and w.name == "站点a" and w.evidence == [capture_key(2018, "a")]
        assert w.value == float(values[w.rule]) and "预警线" in w.detail and w.title
    if values["freshness.columns"] is None:
        assert any("freshness.columns" in s for s in d.skipped)


def test_missing_detector_or_capture_is_skipped_not_fatal(store):
    store_capture(store, "a", year=2017)  # the latest capture may be last year's
    d = warnings.digest(store, [site("a"), site("b")], DAY, judge=fake_judge({"freshness.homepage": 30}))
    assert [w.rule for w in d.warnings] == ["freshness.homepage"]
    assert "b: no capture" in d.skipped and any("columns.empty" in s for s in d.skipped)


def test_probe_rate_warning_over_seven_days(store):
    # 20 a day for 7 days = 140 probes: 5 failures (3.6%) warn, 4 (2.9%) do not; 8 (5.7%) also veto
    probelog.append(store, probes_for("a", 7, 20, {3, 40, 77, 100, 130}, start=START)
                    + probes_for("b", 7, 20, {1, 2, 3, 4}, start=START)
                    + probes_for("c", 7, 20, set(range(0, 140, 17)), start=START))
    d = warnings.digest(store, [site("a"), site("b"), site("c")], DAY, judge=fake_judge({}))
    got = {w.site_id: w for w in d.warnings}
    assert set(got) == {"a", "c"}
    assert got["a"].rule == "availability.homepage" and got["a"].value == pytest.approx(5 / 140, abs=1e-4)
    assert "接近否决线" in got["a"].detail and "已达否决线" in got["c"].detail
    assert "HTTP 503 5 次" in got["a"].detail
    assert got["a"].evidence and all(k.startswith("probes/2018-10-") for k in got["a"].evidence)


def test_digest_groups_warnings_by_site_in_one_alert(store):
    store_capture(store, "a")
    store_capture(store, "b")
    d = warnings.digest(store, [site("a", "甲县"), site("b", "乙县")], DAY,
                        judge=fake_judge({"freshness.homepage": 12, "columns.empty": 4, "freshness.columns": 1}))
    assert {k: [w.rule for w in v] for k, v in d.by_site().items()} == {
        "a": ["columns.empty", "freshness.homepage"], "b": ["columns.empty", "freshness.homepage"]}
    alert = callbacks.digest_alert(d)
    assert alert.kind == "early_warnings" and "2 个网站 4 条预警" in alert.title
    text = alert.text()
    assert "a 甲县：空白栏目；首页信息更新" in text and "b 乙县" in text
    assert len(alert.table.rows) == 4
    key = warnings.save(store, d)
    assert warnings.Digest.model_validate_json(store.get(key)) == d
