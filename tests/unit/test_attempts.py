"""A forced re-crawl against a dead web never replaces an ok capture; every attempt is kept."""

from __future__ import annotations

from govweb import attempts
from govweb.capture import Capture
from govweb.evidence import FileStore, capture_key


def cap(status: str, started: str, pages: int = 0, reason: str = "") -> Capture:
    return Capture(site_id="1100000088", url="http://www.beijing.gov.test/", year=2018, as_of="2018-10-15",
                   status=status, started=started, failure_reason=reason,
                   pages=[{"url": f"http://www.beijing.gov.test/{i}", "kind": "other"} for i in range(pages)])


def current(store) -> Capture:
    return Capture.from_json(store.get(capture_key(2018, "1100000088")))


def test_a_failed_recrawl_keeps_the_ok_capture_current(tmp_path):
    store = FileStore(tmp_path)
    first = attempts.save(store, cap("ok", "2018-10-15T01:00:00+00:00", pages=32))
    assert first.became_current
    second = attempts.save(store, cap("failed", "2018-10-16T01:00:00+00:00", reason="refused"))
    assert not second.became_current and "kept the current ok capture" in second.reason
    assert current(store).status == "ok" and len(current(store).pages) == 32
    assert len(attempts.history(store, 2018, "1100000088")) == 2
    assert Capture.from_json(store.get(second.attempt_key)).failure_reason == "refused"


def test_an_equal_or_better_attempt_becomes_current(tmp_path):
    store = FileStore(tmp_path)
    attempts.save(store, cap("partial", "2018-10-15T01:00:00+00:00", pages=3))
    assert attempts.save(store, cap("ok", "2018-10-16T01:00:00+00:00", pages=30)).became_current
    assert attempts.save(store, cap("ok", "2018-10-17T01:00:00+00:00", pages=31)).became_current
    assert len(current(store).pages) == 31
    assert len(attempts.history(store, 2018, "1100000088")) == 3


def test_rejudging_under_other_rules_keeps_the_earlier_results(tmp_path, monkeypatch):
    from datetime import date

    from govweb import pipeline

    store = FileStore(tmp_path)
    run = pipeline.RunSettings(year=2018, as_of=date(2018, 10, 15), mode="rescore")
    prefix = pipeline.results_prefix(2018, run.framework)
    pipeline.keep_previous_version(store, run)
    store.put_text(f"{prefix}/findings.csv", "old findings")
    first = store.get_json(f"{prefix}/version.json")["version"]
    pipeline.keep_previous_version(store, run)  # same rules: nothing moves
    assert not list(store.list(f"{prefix}/versions/"))
    monkeypatch.setattr(pipeline, "rules_version", lambda fw, year=None: {"version": "new-rules"})
    pipeline.keep_previous_version(store, run)
    assert store.get_text(f"{prefix}/versions/{first}/findings.csv") == "old findings"
    assert store.get_json(f"{prefix}/version.json") == {"version": "new-rules"}


def test_the_rules_version_covers_the_set_its_trees_and_the_years_manual_inputs():
    from govweb import pipeline

    files = pipeline.rules_version("performance_2018", 2018)
    for key in ("framework", "framework:performance_2018_local", "framework:performance_2018_ministry",
                "framework:inspection_2019", "catalogue", "manual:expert_scores.csv", "manual:innovation_cases.yaml"):
        assert key in files, key
    assert "manual:expert_scores.csv" not in pipeline.rules_version("performance_2018")
