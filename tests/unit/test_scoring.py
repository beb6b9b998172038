"""Framework loading/validation and the scoring engine (rules, vetoes, dimension totals, determinism)."""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest

from govweb import scoring
from govweb.models import FINDING_COLUMNS, INVENTORY_COLUMNS, SCORE_COLUMNS
from govweb.scoring import FrameworkError

CHECKS = {"freshness.homepage", "identity.site_code", "identity.icp", "links.broken_home", "search.present"}

FW = {
    "id": "test_fw", "title": "测试框架", "max_total": 100, "pass_mark": 60,
    "dimensions": [
        {"id": "publishing", "title": "信息发布", "indicators": [
            {"id": "homepage_updates", "title": "首页更新", "check": "freshness.homepage", "max": 30,
             "rule": "binary", "veto": True},
        ]},
        {"id": "management", "title": "管理保障", "indicators": [
            {"id": "site_code", "title": "网站标识码", "check": "identity.site_code", "max": 10, "rule": "binary"},
            {"id": "icp", "title": "ICP", "check": "identity.icp", "max": 10, "rule": "binary"},
            {"id": "home_links", "title": "链接", "check": "links.broken_home", "max": 30, "rule": "per_unit",
             "per_unit": 8},
        ]},
        {"id": "function", "title": "功能推广", "indicators": [
            {"id": "site_search", "title": "搜索", "check": "search.present", "max": 20, "rule": "binary"},
        ]},
    ],
}
ALL_PASS = {"freshness.homepage": (True, "3"), "identity.site_code": (True, "x"), "identity.icp": (True, "y"),
            "links.broken_home": (True, "0"), "search.present": (True, "true")}


def fw(**changes) -> dict:
    return scoring.validate(copy.deepcopy({**FW, **changes}), "test", CHECKS)


def inventory(*site_ids: str) -> pd.DataFrame:
    return pd.DataFrame([{
        "site_id": s, "name": f"网站{s}", "url": f"http://s{s}.gov.test/", "level": "city", "groups": "county",
        "region": "east", "province": "P", "parent_id": "", "active": True,
    } for s in site_ids], columns=list(INVENTORY_COLUMNS))


def findings(per_site: dict[str, dict[str, tuple[bool, str]]]) -> pd.DataFrame:
    rows = [{"site_id": s, "year": 2018, "check_id": c, "passed": p, "value": v, "detail": "", "evidence": ""}
            for s, checks in per_site.items() for c, (p, v) in checks.items()]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def one(checks: dict[str, tuple[bool, str]], framework: dict | None = None) -> dict:
    out = scoring.score(findings({"A": checks}), inventory("A"), framework or fw(), 2018)
    assert len(out) == 1
    return out.iloc[0].to_dict()


def indicators(row: dict) -> dict:
    return json.loads(row["indicators"])


# --- loading and validation ---------------------------------------------------------------------

def test_load_demo_framework_validates():
    f = scoring.load("performance_2018_local")
    leaves = [i for d in f["dimensions"] for i in d["indicators"]]
    assert sum(i["max"] for i in leaves) == f["max_total"] == 100
    assert all("veto" in i for i in leaves)
    assert scoring.check_ids(f) == sorted(CHECKS)


def test_load_unknown_framework_lists_available():
    with pytest.raises(FrameworkError, match="performance_2018_local"):
        scoring.load("no_such_framework")


def test_validate_sets_veto_default():
    assert fw()["dimensions"][1]["indicators"][0]["veto"] is False


def _broken(indicator_changes: dict, where: int = 1) -> dict:
    f = copy.deepcopy(FW)
    f["dimensions"][1]["indicators"][where].update(indicator_changes)
    return f


@pytest.mark.parametrize(("framework", "needles"), [
    (_broken({"check": "content.nope"}), ["icp", "content.nope", "not in the check catalogue"]),
    (_broken({"rule": "weighted"}), ["icp", "weighted", "unknown"]),
    (_broken({"per_unit": None}, where=2), ["home_links", "per_unit"]),
    (_broken({"per_unit": 0}, where=2), ["home_links", "per_unit"]),
    (_broken({"rule": "per_unit"}), ["icp", "per_unit"]),
    (_broken({"max": 15}), ["sum to 105", "max_total is 100"]),
    (_broken({"max": -10, "check": "identity.icp"}), ["icp", "max must be a positive number"]),
    (_broken({"id": "site_code"}), ["site_code", "duplicate indicator id"]),
])
def test_validate_names_the_problem(framework, needles):
    with pytest.raises(FrameworkError) as err:
        scoring.validate(framework, "fw.yaml", CHECKS)
    for needle in needles:
        assert needle in str(err.value)
    assert "fw.yaml" in str(err.value)


def test_validate_missing_keys_are_all_reported():
    f = copy.deepcopy(FW)
    del f["pass_mark"]
    del f["dimensions"][0]["indicators"][0]["title"]
    with pytest.raises(FrameworkError) as err:
        scoring.validate(f, "x", CHECKS)
    assert "'pass_mark'" in str(err.value) and "homepage_updates" in str(err.value) and "'title'" in str(err.value)


def test_validate_without_known_checks_skips_the_check_lookup():
    f = copy.deepcopy(FW)
    f["dimensions"][0]["indicators"][0]["check"] = "anything.goes"
    assert scoring.validate(f, "x", set())["id"] == "test_fw"


# --- rules --------------------------------------------------------------------------------------

def test_binary_full_or_zero():
    row = one(ALL_PASS)
    assert row["total"] == 100.0 and row["grade"] == "pass" and not row["veto"]
    row = one({**ALL_PASS, "identity.icp": (False, "")})
    assert indicators(row)["icp"] == 0.0 and indicators(row)["site_code"] == 10.0 and row["total"] == 90.0


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 30.0), ("", 30.0), ("1", 22.0), ("2", 14.0), ("3", 6.0), ("4", 0.0), ("9", 0.0),
])
def test_per_unit_deduction_floored_at_zero(value, expected):
    row = one({**ALL_PASS, "links.broken_home": (value in ("", "0"), value)})
    assert indicators(row)["home_links"] == expected
    assert row["dim:management"] == 20.0 + expected


def test_per_unit_non_numeric_value_falls_back_to_passed():
    assert indicators(one({**ALL_PASS, "links.broken_home": (True, "n/a")}))["home_links"] == 30.0
    assert indicators(one({**ALL_PASS, "links.broken_home": (False, "n/a")}))["home_links"] == 0.0


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_per_unit_score_stays_within_zero_and_max(value):
    assert 0.0 <= indicators(one({**ALL_PASS, "links.broken_home": (False, value)}))["home_links"] <= 30.0


def test_missing_finding_scores_zero():
    checks = {k: v for k, v in ALL_PASS.items() if k != "search.present"}
    row = one(checks)
    assert indicators(row)["site_search"] == 0.0 and row["total"] == 80.0 and not row["veto"]


# --- vetoes and grades --------------------------------------------------------------------------

def test_veto_when_veto_check_failed():
    row = one({**ALL_PASS, "freshness.homepage": (False, "40")})
    assert bool(row["veto"])
    assert row["veto_reasons"] == "homepage_updates" and row["grade"] == "fail" and row["total"] == 70.0


def test_veto_when_veto_finding_missing():
    row = one({k: v for k, v in ALL_PASS.items() if k != "freshness.homepage"})
    assert bool(row["veto"]) and row["veto_reasons"] == "homepage_updates" and row["grade"] == "fail"


def test_several_vetoes_are_listed_in_framework_order():
    f = copy.deepcopy(FW)
    f["dimensions"][2]["indicators"][0]["veto"] = True
    row = one({**ALL_PASS, "freshness.homepage": (False, "40"), "search.present": (False, "false")},
              scoring.validate(f, "x", CHECKS))
    assert row["veto_reasons"] == "homepage_updates;site_search"


@pytest.mark.parametrize(("failed", "total", "grade"), [
    ((), 100.0, "pass"),
    (("identity.icp", "identity.site_code", "search.present"), 60.0, "pass"),   # exactly the pass mark
    (("identity.icp", "identity.site_code", "search.present", "links.broken_home"), 30.0, "fail"),
])
def test_grade_against_pass_mark(failed, total, grade):
    checks = {k: ((False, "4") if k in failed else v) for k, v in ALL_PASS.items()}
    row = one(checks)
    assert row["total"] == total and row["grade"] == grade


def test_pass_mark_is_read_from_the_framework():
    row = one({**ALL_PASS, "search.present": (False, "false")}, fw(pass_mark=85))
    assert row["total"] == 80.0 and row["grade"] == "fail"


# --- output table -------------------------------------------------------------------------------

SITES = {
    "B": {**ALL_PASS, "identity.icp": (False, ""), "links.broken_home": (False, "2")},
    "A": ALL_PASS,
    "C": {**ALL_PASS, "freshness.homepage": (False, "30")},
}


def test_one_row_per_inventory_site_sorted_with_subtotals_and_column_order():
    out = scoring.score(findings(SITES), inventory("C", "A", "B", "D"), fw(), 2018)
    assert list(out.columns) == [*SCORE_COLUMNS, "dim:publishing", "dim:management", "dim:function"]
    assert list(out["site_id"]) == ["A", "B", "C", "D"]
    b = out.set_index("site_id").loc["B"]
    assert (b["dim:publishing"], b["dim:management"], b["dim:function"], b["total"]) == (30.0, 24.0, 20.0, 74.0)
    d = out.set_index("site_id").loc["D"]  # no findings at all
    assert d["total"] == 0.0 and d["veto_reasons"] == "homepage_updates" and d["grade"] == "fail"
    for _, r in out.iterrows():
        assert r["total"] == r["dim:publishing"] + r["dim:management"] + r["dim:function"]
        assert r["year"] == 2018 and r["framework"] == "test_fw" and r["max_total"] == 100.0
        assert r["name"] == f"网站{r['site_id']}"


def test_findings_of_sites_outside_the_inventory_are_ignored():
    out = scoring.score(findings(SITES), inventory("A"), fw(), 2018)
    assert list(out["site_id"]) == ["A"]


def test_empty_inventory_gives_empty_table_with_columns():
    out = scoring.score(findings(SITES), inventory(), fw(), 2018)
    assert out.empty and list(out.columns) == [*SCORE_COLUMNS, "dim:publishing", "dim:management", "dim:function"]


def test_indicators_column_is_sorted_key_json():
    row = one({**ALL_PASS, "links.broken_home": (False, "1")})
    text = row["indicators"]
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed) == ["home_links", "homepage_updates", "icp", "site_code", "site_search"]
    assert text == json.dumps(parsed, sort_keys=True, ensure_ascii=False)
    assert parsed["home_links"] == 22.0


def test_two_runs_give_byte_identical_csv(tmp_path):
    paths = []
    for k in range(2):
        # Different row order in the input must not change the output.
        fnd = findings(SITES)
        fnd = fnd.iloc[::-1] if k else fnd
        out = scoring.score(fnd.reset_index(drop=True), inventory("B", "C", "A"), fw(), 2018)
        paths.append(tmp_path / f"scores{k}.csv")
        out.to_csv(paths[-1], index=False)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert b"74.0" in paths[0].read_bytes()


def test_fractional_weights_sum_exactly():
    f = copy.deepcopy(FW)
    f["max_total"] = 0.3
    f["pass_mark"] = 0.2
    f["dimensions"] = [{"id": "d", "title": "d", "indicators": [
        {"id": "a", "title": "a", "check": "identity.icp", "max": 0.1, "rule": "binary"},
        {"id": "b", "title": "b", "check": "identity.site_code", "max": 0.2, "rule": "binary"},
    ]}]
    row = one(ALL_PASS, scoring.validate(f, "x", CHECKS))
    assert row["total"] == 0.3 and row["grade"] == "pass"
