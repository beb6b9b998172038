"""The Great Expectations gate on scores and findings (DESIGN §5 validate_results)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from govweb.models import FINDING_COLUMNS, INVENTORY_COLUMNS, SCORE_COLUMNS
from govweb.quality import (
    QualityGateError,
    QualityResult,
    check_findings,
    check_indicator_scores,
    check_scores,
    gate,
)

CHECKS = ["identity.icp", "security.https"]


def inventory(*site_ids: str, inactive: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame([{
        "site_id": s, "name": f"site {s}", "url": f"https://{s}.gov.test/", "level": "county",
        "groups": "county", "region": "west", "province": "P", "parent_id": "", "active": s not in inactive,
    } for s in site_ids], columns=list(INVENTORY_COLUMNS))


def scores(*rows: tuple[str, float]) -> pd.DataFrame:
    frame = pd.DataFrame([{
        "site_id": s, "name": f"网站{s}", "year": 2018, "framework": "inspection_2019", "total": t,
        "max_total": 100.0, "veto": False, "veto_reasons": "", "grade": "pass" if t >= 60 else "fail",
        "indicators": "{}",
    } for s, t in rows], columns=list(SCORE_COLUMNS))
    frame["dim:info"] = 1.0  # dimension subtotals are allowed extra columns
    return frame


def findings(site_ids: list[str], checks: list[str] = CHECKS) -> pd.DataFrame:
    return pd.DataFrame([{
        "site_id": s, "year": 2018, "check_id": c, "passed": (i + j) % 2 == 0, "value": "",
        "detail": "", "evidence": f"evidence/2018/{s}/capture.json", "status": "pass" if (i + j) % 2 == 0 else "fail",
    } for i, s in enumerate(site_ids) for j, c in enumerate(checks)], columns=list(FINDING_COLUMNS))


@pytest.fixture(scope="module")
def inv() -> pd.DataFrame:
    return inventory("a", "b", "c", "z", inactive=("z",))


def test_good_scores_pass_the_gate(inv):
    result = check_scores(scores(("a", 90.0), ("b", 0.0), ("c", 100.0)), inv)
    assert result.success, result.failures
    assert result.failures == []
    assert result.suite == "govweb.scores"
    assert result.evaluated >= 10
    assert gate(result) is result


def test_duplicate_site_id_fails(inv):
    result = check_scores(scores(("a", 90.0), ("b", 80.0), ("b", 70.0)), inv)
    assert not result.success
    joined = "\n".join(result.failures)
    assert "expect_column_values_to_be_unique(column=site_id)" in joined
    assert "'b'" in joined
    with pytest.raises(QualityGateError, match=r"to_be_unique\(column=site_id\)"):
        gate(result)


def test_total_above_max_total_fails(inv):
    result = check_scores(scores(("a", 90.0), ("b", 100.5), ("c", 10.0)), inv)
    assert not result.success
    assert any("a_to_be_greater_than_b" in f and "100.5" in f for f in result.failures), result.failures
    with pytest.raises(QualityGateError, match="max_total"):
        gate(result)


def test_negative_total_and_bad_grade_and_veto_fail(inv):
    frame = scores(("a", -1.0), ("b", 80.0), ("c", 70.0))
    frame["grade"] = frame["grade"].astype(object)
    frame.loc[1, "grade"] = "excellent"
    frame["veto"] = frame["veto"].astype(object)
    frame.loc[2, "veto"] = "maybe"
    failures = "\n".join(check_scores(frame, inv).failures)
    assert "expect_column_values_to_be_between(column=total)" in failures and "-1.0" in failures
    assert "column=grade" in failures and "excellent" in failures
    assert "column=veto" in failures and "maybe" in failures


def test_missing_site_fails_and_names_it(inv):
    result = check_scores(scores(("a", 90.0), ("b", 80.0)), inv)
    assert not result.success
    with pytest.raises(QualityGateError) as raised:
        gate(result)
    message = str(raised.value)
    assert "expect_column_distinct_values_to_equal_set(column=site_id)" in message
    assert "'c'" in message
    assert "expected 3 rows, observed 2" in message


def test_inactive_or_unknown_site_in_scores_fails(inv):
    result = check_scores(scores(("a", 90.0), ("b", 80.0), ("z", 70.0)), inv)
    assert not result.success
    assert any("'z'" in f for f in result.failures), result.failures


def test_missing_column_is_reported_not_raised(inv):
    result = check_scores(scores(("a", 90.0), ("b", 80.0), ("c", 70.0)).drop(columns=["grade"]), inv)
    assert not result.success
    assert any("missing columns ['grade']" in f for f in result.failures), result.failures


def test_good_findings_pass():
    result = check_findings(findings(["a", "b"]), CHECKS, ["a", "b"])
    assert result.success, result.failures
    assert result.suite == "govweb.findings"
    gate(result)


def test_findings_missing_pair_fails_and_names_it():
    frame = findings(["a", "b"])
    frame = frame[~((frame["site_id"] == "b") & (frame["check_id"] == "security.https"))]
    result = check_findings(frame.reset_index(drop=True), CHECKS, ["a", "b"])
    assert not result.success
    with pytest.raises(QualityGateError, match=r"expected 4 rows, observed 3.*b/security\.https"):
        gate(result)


def test_findings_duplicate_pair_unknown_check_and_non_boolean_passed_fail():
    frame = findings(["a"])
    extra = frame.iloc[[0]].assign(passed="yes")
    frame = pd.concat([frame.astype({"passed": object}), extra], ignore_index=True)
    frame.loc[1, "check_id"] = "made.up"
    failures = "\n".join(check_findings(frame, CHECKS, ["a"]).failures)
    assert "expect_compound_columns_to_be_unique(column_list=site_id,check_id)" in failures
    assert "made.up" in failures
    assert "column=passed" in failures and "'yes'" in failures


def test_findings_for_a_site_that_was_not_judged_fail():
    result = check_findings(findings(["a"]), CHECKS, ["a", "b"])
    assert not result.success
    assert any("distinct_values" in f and "'b'" in f for f in result.failures), result.failures


def test_to_json_is_deterministic_and_sorted(inv):
    bad = scores(("a", 190.0), ("a", 80.0))
    first, second = check_scores(bad, inv), check_scores(bad, inv)
    assert first.to_json() == second.to_json()
    data = json.loads(first.to_json())
    assert list(data) == sorted(data)
    assert data["success"] is False and data["suite"] == "govweb.scores"
    assert data["failures"] == sorted(data["failures"]) and len(data["failures"]) >= 3
    assert json.loads(QualityResult(True, "s").to_json()) == {
        "evaluated": 0, "failures": [], "success": True, "suite": "s"}


def test_gate_message_lists_every_failure():
    result = QualityResult(False, "govweb.scores", ["first problem", "second problem"])
    with pytest.raises(QualityGateError) as raised:
        gate(result)
    assert "first problem" in str(raised.value) and "second problem" in str(raised.value)
    assert "2 failing" in str(raised.value)


def test_importing_quality_does_not_import_great_expectations():
    code = "import sys, govweb.quality; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_passed_is_empty_exactly_when_the_finding_was_not_judged():
    frame = findings(["a", "b"])
    frame["passed"] = frame["passed"].astype(object)
    frame.loc[0, ["passed", "status"]] = [None, "not_measured"]
    frame.loc[1, ["passed", "status"]] = [None, "not_applicable"]
    assert check_findings(frame, CHECKS, ["a", "b"]).success
    frame.loc[2, ["passed", "status"]] = [None, "fail"]  # a judged finding without passed
    frame.loc[3, "status"] = "skipped"  # an unknown status
    result = check_findings(frame, CHECKS, ["a", "b"])
    assert not result.success
    assert any("passed" in f for f in result.failures) and any("status" in f for f in result.failures)


# --- scores and indicator scores of a framework plan (ranking framework + alongside) ---------------------

@pytest.fixture(scope="module")
def planned():
    from govweb import frameworks, scoring
    from tests.unit.frameworks.fwkit import ALL_PASS
    from tests.unit.frameworks.fwkit import findings as fw_findings

    plan = frameworks.plan("performance_2018")
    inv = pd.concat([inventory("a", "b"), inventory("m").assign(level="ministry")]).reset_index(drop=True)
    tables = scoring.score_tables(fw_findings({"a": ALL_PASS, "m": ALL_PASS}), inv, plan, 2018)
    return plan, inv, tables


def test_plan_tables_pass_the_gate(planned):
    plan, inv, tables = planned
    assert check_scores(tables.scores, inv, plan).success
    result = check_indicator_scores(tables.indicators, inv, plan)
    assert result.success, result.failures
    assert result.suite == "govweb.indicator_scores"


def test_a_missing_alongside_row_fails_the_scores_gate(planned):
    plan, inv, tables = planned
    bad = tables.scores[~((tables.scores["site_id"] == "b") & (tables.scores["framework"] == "inspection_2019"))]
    failures = "\n".join(check_scores(bad, inv, plan).failures)
    assert "expect_table_row_count_to_equal" in failures


def test_bad_indicator_tables_are_caught(planned):
    plan, inv, tables = planned
    bad = tables.indicators.copy()
    bad.loc[0, "score"] = bad.loc[0, "max"] + 1
    bad.loc[1, "status"] = "guessed"
    bad = pd.concat([bad, bad.iloc[[2]]])
    failures = "\n".join(check_indicator_scores(bad, inv, plan).failures)
    for needle in ("expect_column_pair_values_a_to_be_greater_than_b", "column=status", "guessed",
                   "expect_compound_columns_to_be_unique", "expect_table_row_count_to_equal"):
        assert needle in failures, needle
    with pytest.raises(QualityGateError):
        gate(check_indicator_scores(bad, inv, plan))
