"""One test per rule type: the pure function, then the same rule read from a framework through the engine."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from govweb.frameworks import Band, rules
from tests.unit.frameworks.fwkit import score_one, tree

# --- binary ---------------------------------------------------------------------------------------

def test_binary_function():
    assert rules.binary(D(3), True) == D(3)
    assert rules.binary(D(3), False) == 0


@pytest.mark.parametrize(("statuses", "expected"), [
    (("pass", "pass"), 2.0), (("pass", "fail"), 0.0), (("fail", "fail"), 0.0), (("pass", "not_applicable"), 2.0),
])
def test_binary_needs_every_bound_check(statuses, expected):
    fw = tree({"id": "b", "title": "标识", "max": 2, "checks": ["identity.icp", "identity.psb"], "rule": "binary"})
    _, leaves = score_one(fw, {"identity.icp": (statuses[0], ""), "identity.psb": (statuses[1], "")})
    assert leaves["b"]["score"] == expected and leaves["b"]["status"] == "scored"


# --- per_unit -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("units", "floor", "expected"), [
    (0, 0, "4"), (1, 0, "3.5"), (3, 0, "2.5"), (8, 0, "0"), (20, 0, "0"), (20, 1, "1"), (-2, 0, "4"),
])
def test_per_unit_function(units, floor, expected):
    assert rules.per_unit(D(4), D("0.5"), D(units), D(floor)) == D(expected)


@pytest.mark.parametrize(("status", "value", "expected"), [
    ("pass", "0", 3.0), ("fail", "1", 2.0), ("fail", "2", 1.0), ("fail", "7", 0.5), ("fail", "", 0.5),
    ("fail", "lots", 0.5),
])
def test_per_unit_counts_the_finding_value_down_to_the_floor(status, value, expected):
    fw = tree({"id": "links", "title": "链接", "max": 3, "check": "links.broken_home", "rule": "per_unit",
               "per_unit": 1, "floor": 0.5})
    _, leaves = score_one(fw, {"links.broken_home": (status, value)})
    assert leaves["links"]["score"] == expected
    assert leaves["links"]["value"] == f"links.broken_home={value}"


def test_per_unit_on_a_flag_check_counts_a_failure_as_one_unit():
    fw = tree({"id": "f", "title": "搜索", "max": 2, "check": "search.present", "rule": "per_unit", "per_unit": 0.5})
    assert score_one(fw, {"search.present": ("fail", "false")})[1]["f"]["score"] == 1.5
    assert score_one(fw, {"search.present": ("pass", "true")})[1]["f"]["score"] == 2.0


# --- bands ----------------------------------------------------------------------------------------

BANDS = (Band(upto=D(3), score=D(4)), Band(upto=D(7), score=D(3)), Band(upto=D(14), score=D(1)))


@pytest.mark.parametrize(("value", "expected"), [
    ("0", "4"), ("3", "4"), ("3.5", "3"), ("7", "3"), ("14", "1"), ("15", "0"), (None, "0"),
])
def test_bands_function(value, expected):
    assert rules.bands(None if value is None else D(value), BANDS) == D(expected)


def test_bands_last_band_without_upto_takes_every_larger_value():
    assert rules.bands(D(999), (*BANDS, Band(score=D("0.5")))) == D("0.5")


@pytest.mark.parametrize(("status", "value", "expected"), [
    ("pass", "2", 4.0), ("pass", "10", 1.0), ("fail", "40", 0.0), ("fail", "", 0.0),
])
def test_bands_read_the_check_value(status, value, expected):
    fw = tree({"id": "age", "title": "更新", "max": 4, "check": "freshness.homepage", "rule": "bands",
               "bands": [{"upto": 3, "score": 4}, {"upto": 7, "score": 3}, {"upto": 14, "score": 1}]})
    assert score_one(fw, {"freshness.homepage": (status, value)})[1]["age"]["score"] == expected


# --- share ----------------------------------------------------------------------------------------

def test_share_function():
    assert rules.share(D(3), 2, 3) == D(2)
    assert rules.share(D(3), 0, 0) == 0


@pytest.mark.parametrize(("failed", "expected"), [
    ((), 4.0), (("identity.icp",), 3.0), (("identity.icp", "identity.psb", "identity.site_code"), 1.0),
    (("identity.icp", "identity.psb", "identity.site_code", "identity.conac_badge"), 0.0),
])
def test_share_of_bound_checks_passed(failed, expected):
    checks = ["identity.site_code", "identity.icp", "identity.psb", "identity.conac_badge"]
    fw = tree({"id": "marks", "title": "标识", "max": 4, "checks": checks, "rule": "share"})
    got = {c: ("fail" if c in failed else "pass", "") for c in checks}
    assert score_one(fw, got)[1]["marks"]["score"] == expected


def test_share_rounds_the_leaf_to_cents_half_up():
    checks = ["identity.site_code", "identity.icp", "identity.psb"]
    fw = tree({"id": "marks", "title": "标识", "max": 1, "checks": checks, "rule": "share"})
    row, leaves = score_one(fw, {"identity.site_code": ("pass", ""), "identity.icp": ("pass", ""),
                                 "identity.psb": ("fail", "")})
    assert leaves["marks"]["score"] == 0.67  # 2/3 of 1 point
    assert row["total"] == 0.7


# --- deduct ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("units", "cap", "expected"), [
    (0, None, "5"), (2, None, "3"), (9, None, "0"), (9, "2", "3"), (1, "2", "4"), (3, "8", "2"),
])
def test_deduct_function(units, cap, expected):
    assert rules.deduct(D(5), D(1), D(units), None if cap is None else D(cap)) == D(expected)


@pytest.mark.parametrize(("status", "value", "expected"), [
    ("pass", "0", 6.0), ("fail", "1", 4.0), ("fail", "2", 2.0), ("fail", "9", 2.0), ("fail", "", 2.0),
])
def test_deduct_takes_points_off_per_defect_up_to_the_cap(status, value, expected):
    fw = tree({"id": "typos", "title": "错别字", "max": 6, "check": "content.typos", "rule": "deduct",
               "per_unit": 2, "cap": 4}, kind="inspection")
    assert score_one(fw, {"content.typos": (status, value)})[1]["typos"]["score"] == expected


# --- veto -----------------------------------------------------------------------------------------

def test_veto_function_scores_nothing():
    assert rules.veto() == 0


@pytest.mark.parametrize(("status", "vetoed"), [
    ("pass", False), ("fail", True), ("not_measured", True), ("not_applicable", False),
])
def test_veto_rule_fires_on_a_failed_or_unmeasured_check(status, vetoed):
    fw = tree({"id": "v", "title": "首页不更新", "max": 0, "check": "freshness.homepage", "rule": "veto"},
              {"id": "x", "title": "其他", "max": 1, "check": "search.present", "rule": "binary"}, kind="inspection")
    row, leaves = score_one(fw, {"freshness.homepage": (status, "30"), "search.present": ("pass", "true")})
    assert bool(row["veto"]) is vetoed
    assert row["veto_reasons"] == ("v" if vetoed else "")
    assert leaves["v"]["score"] == 0.0 and (leaves["v"]["status"] == "veto") is vetoed
    assert row["grade"] == ("fail" if vetoed else "pass")


@pytest.mark.parametrize(("value", "vetoed"), [("4", False), ("5", True), ("12", True)])
def test_veto_at_a_catalogue_threshold(value, vetoed):
    from tests.unit.frameworks.fwkit import CAT

    limit = int(CAT["columns.empty"].threshold("veto_empty"))
    fw = tree({"id": "e", "title": "空白栏目", "max": 3, "check": "columns.empty", "rule": "per_unit", "per_unit": 1,
               "veto": True, "veto_at": "veto_empty"})
    row, _ = score_one(fw, {"columns.empty": ("fail", value)})
    assert bool(row["veto"]) is (int(value) >= limit) is vetoed


# --- several bindings in one leaf ---------------------------------------------------------------------

def test_bindings_carry_their_points_and_add_up():
    fw = tree({"id": "links", "title": "链接", "max": 5, "bindings": [
        {"check": "links.broken_home", "rule": "per_unit", "per_unit": 1, "points": 3},
        {"check": "links.broken_inner", "rule": "binary", "points": 2}]})
    _, leaves = score_one(fw, {"links.broken_home": ("fail", "2"), "links.broken_inner": ("pass", "0")})
    assert leaves["links"]["score"] == 3.0  # 1 of 3 + 2 of 2
    assert leaves["links"]["check_ids"] == "links.broken_home;links.broken_inner"


# --- rule texts follow the params ---------------------------------------------------------------------

@pytest.mark.parametrize("step", ["0.5", "1.5"])
def test_rule_text_states_the_params(step):
    fw = tree({"id": "t", "title": "错别字", "max": 3, "check": "content.typos", "rule": "per_unit",
               "per_unit": float(step), "floor": 1})
    text = fw.leaf("t").rule_text
    assert f"扣{step}分" in text and "最低1分" in text and "满分3分" in text
    _, leaves = score_one(fw, {"content.typos": ("fail", "1")})
    assert leaves["t"]["rule"] == text
