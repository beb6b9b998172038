"""Precision/recall bookkeeping of the accuracy benchmark: abstaining (not_measured) never helps."""

import pandas as pd

from govweb.bench import accuracy


def frame(rows):
    return pd.DataFrame([{"site_id": s, "check_id": c, "status": st, "value": v, "detail": ""}
                         for s, c, st, v in rows])


def test_counts_and_rates():
    truth = [{"site_id": s, "check_id": "x.y", "defect": d, "expected_value": v}
             for s, d, v in [("a", True, "2"), ("b", True, "1"), ("c", False, "0"), ("d", False, ""),
                             ("e", True, "3"), ("f", False, "0")]]
    findings = frame([("a", "x.y", "fail", "2"), ("b", "x.y", "pass", "0"), ("c", "x.y", "fail", "1"),
                      ("d", "x.y", "not_applicable", ""), ("e", "x.y", "not_measured", ""),
                      ("f", "x.y", "not_measured", "")])
    acc = accuracy.compare(findings, truth)["x.y"]
    assert (acc.tp, acc.fn, acc.fp, acc.tn, acc.not_measured, acc.value_agree) == (1, 2, 2, 1, 2, 1)
    assert acc.precision == 1 / 3 and acc.recall == 1 / 3
    assert any(e.startswith("e: got not_measured") for e in acc.errors)


def test_sites_outside_the_selection_are_ignored_and_missing_findings_count_as_unmeasured():
    truth = [{"site_id": "a", "check_id": "x.y", "defect": True, "expected_value": "1"},
             {"site_id": "z", "check_id": "x.y", "defect": True, "expected_value": "1"}]
    acc = accuracy.compare(frame([("z", "x.y", "fail", "1")]), truth, sites={"a"})["x.y"]
    assert (acc.tp, acc.fn, acc.not_measured) == (0, 1, 1)


def test_bars():
    good = accuracy.CheckAccuracy("a.b", tp=20, tn=20)
    bad = accuracy.CheckAccuracy("c.d", tp=9, fn=1, tn=10)
    assert accuracy.below_bars({"a.b": good}) == []
    problems = accuracy.below_bars({"a.b": good, "c.d": bad})
    assert problems[0].startswith("c.d: precision 1.000 recall 0.900") and problems[1].startswith("overall")
    assert "overall" in accuracy.render({"a.b": good})
