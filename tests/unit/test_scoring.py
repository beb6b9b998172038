"""The scoring engine: finding statuses per leaf, the result tables, plans by level, determinism."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest

from govweb import evidence, frameworks, pipeline, scoring
from govweb.frameworks.manual import ManualInputs
from govweb.models import INDICATOR_SCORE_COLUMNS, SCORE_COLUMNS
from tests.unit.frameworks.fwkit import ALL_PASS, findings, inventory, score_one, tree

FW = tree(
    {"id": "home", "title": "首页更新", "max": 30, "check": "freshness.homepage", "rule": "binary", "veto": True},
    {"id": "links", "title": "链接", "max": 30, "check": "links.broken_home", "rule": "per_unit", "per_unit": 8},
    {"id": "search", "title": "搜索", "max": 20, "check": "search.present", "rule": "binary"},
    {"id": "expert", "title": "专家", "max": 10, "source": "manual"},
    {"id": "bonus", "title": "创新", "max": 10, "source": "innovation", "per_case": 5},
    pass_mark=60,
)


# --- statuses -------------------------------------------------------------------------------------

def test_not_applicable_earns_the_full_leaf_and_says_so():
    row, leaves = score_one(FW, {**ALL_PASS, "search.present": ("not_applicable", "")})
    assert leaves["search"]["score"] == 20.0 and leaves["search"]["status"] == "not_applicable"
    assert "不适用" in leaves["search"]["rule"]


def test_not_measured_earns_nothing_and_vetoes_a_veto_leaf():
    row, leaves = score_one(FW, {**ALL_PASS, "search.present": ("not_measured", ""),
                                 "freshness.homepage": ("not_measured", "")})
    assert leaves["search"]["score"] == 0.0 and leaves["search"]["status"] == "not_measured"
    assert "未测得" in leaves["search"]["rule"]
    assert leaves["home"]["score"] == 0.0 and leaves["home"]["status"] == "veto"
    assert bool(row["veto"]) and row["veto_reasons"] == "home" and row["grade"] == "fail"


def test_a_missing_finding_is_not_measured():
    checks = {k: v for k, v in ALL_PASS.items() if k != "links.broken_home"}
    _, leaves = score_one(FW, checks)
    assert leaves["links"]["score"] == 0.0 and leaves["links"]["status"] == "not_measured"


def test_manual_and_innovation_statuses():
    _, leaves = score_one(FW, ALL_PASS)
    assert (leaves["expert"]["score"], leaves["expert"]["status"]) == (0.0, "manual_missing")
    assert (leaves["bonus"]["score"], leaves["bonus"]["status"]) == (0.0, "innovation")
    given = ManualInputs({("t", "A", "expert"): Decimal("7.5")}, {"A": ("案例一", "案例二", "案例三")})
    row, leaves = score_one(FW, ALL_PASS, given)
    assert (leaves["expert"]["score"], leaves["expert"]["status"]) == (7.5, "manual")
    assert leaves["bonus"]["score"] == 10.0 and leaves["bonus"]["value"] == "案例一;案例二;案例三"  # capped at max
    assert row["total"] == 97.5


def test_statuses_come_from_the_models_list():
    _, leaves = score_one(FW, {"search.present": ("not_applicable", "")})
    assert {r["status"] for r in leaves.values()} <= set(frameworks.LEAF_STATUSES)


# --- tables ---------------------------------------------------------------------------------------

SITES = {
    "B": {**ALL_PASS, "links.broken_home": ("fail", "2")},
    "A": ALL_PASS,
    "C": {**ALL_PASS, "freshness.homepage": ("fail", "30")},
}


def test_one_row_per_site_with_dimension_subtotals_and_one_indicator_row_per_leaf():
    out = scoring.score_tables(findings(SITES), inventory("C", "A", "B", "D"), FW, 2018)
    assert list(out.scores.columns) == [*SCORE_COLUMNS, "dim:d"]
    assert list(out.indicators.columns) == list(INDICATOR_SCORE_COLUMNS)
    assert list(out.scores["site_id"]) == ["A", "B", "C", "D"]
    assert len(out.indicators) == 4 * 5
    by = out.scores.set_index("site_id")
    assert by.loc["B", "total"] == 30 + (30 - 16) + 20 and by.loc["B", "dim:d"] == by.loc["B", "total"]
    assert by.loc["D", "total"] == 0.0 and bool(by.loc["D", "veto"])  # no findings at all
    assert json.loads(by.loc["B", "indicators"])["links"] == 14.0
    for _, r in out.scores.iterrows():
        leaves = out.indicators[out.indicators["site_id"] == r["site_id"]]
        assert r["total"] == pytest.approx(leaves["score"].sum())


def test_a_plan_scores_each_site_on_its_levels_framework_plus_the_alongside_ones():
    plan = frameworks.plan("performance_2018")
    inv = pd.concat([inventory("M", level="ministry"), inventory("P", level="province"),
                     inventory("K", level="county")])
    out = scoring.score_tables(findings({s: ALL_PASS for s in "MPK"}), inv, plan, 2018)
    got = {(r["site_id"], r["framework"]) for r in out.scores.to_dict("records")}
    assert got == {("M", "performance_2018_ministry"), ("M", "inspection_2019"), ("P", "performance_2018_local"),
                   ("P", "inspection_2019"), ("K", "performance_2018_local"), ("K", "inspection_2019")}
    per = out.indicators.groupby(["site_id", "framework"]).size().to_dict()
    assert per[("M", "performance_2018_ministry")] == 44 and per[("P", "performance_2018_local")] == 47
    assert per[("K", "inspection_2019")] == sum(1 for _ in frameworks.load("inspection_2019").leaves())
    # several frameworks in one table: the union of dimension columns, empty where a framework lacks one
    inspection = out.scores[out.scores["framework"] == "inspection_2019"].iloc[0]
    assert "dim:veto" in out.scores and "dim:publishing" in out.scores
    assert pd.isna(inspection["dim:publishing"]) and not pd.isna(inspection["dim:veto"])


def test_the_same_findings_give_byte_identical_tables_through_the_store(tmp_path):
    plan = frameworks.plan("performance_2018")
    inv = pd.concat([inventory("A", "B", level="city"), inventory("M", level="ministry")])
    fnd = findings({"A": ALL_PASS, "B": SITES["B"], "M": {**ALL_PASS, "content.typos": ("fail", "3")}})
    store = evidence.FileStore(tmp_path)
    blobs = []
    for k in range(2):
        rows = fnd.iloc[::-1].reset_index(drop=True) if k else fnd  # input order must not matter
        out = scoring.score_tables(rows, inv.iloc[::-1] if k else inv, plan, 2018)
        pipeline.write_table(store, f"r{k}/scores.csv", out.scores)
        pipeline.write_table(store, f"r{k}/indicator_scores.csv", out.indicators)
        blobs.append((store.get(f"r{k}/scores.csv"), store.get(f"r{k}/indicator_scores.csv")))
    assert blobs[0] == blobs[1]
    back = pipeline.read_table(store, "r0/indicator_scores.csv")
    assert back["score"].dtype == float and back["year"].dtype == int
    scores = pipeline.read_table(store, "r0/scores.csv")
    assert scores["dim:publishing"].isna().sum() == 3  # the inspection rows


def test_totals_round_half_up_to_one_decimal():
    fw = tree({"id": "s", "title": "比例", "max": 0.5, "checks": ["identity.icp", "identity.psb"], "rule": "share"},
              {"id": "b", "title": "其他", "max": 0.2, "check": "search.present", "rule": "binary"})
    row, leaves = score_one(fw, {"identity.icp": ("pass", ""), "identity.psb": ("fail", ""),
                                 "search.present": ("fail", "")})
    assert leaves["s"]["score"] == 0.25 and row["total"] == 0.3  # 0.25 -> 0.3, not banker's 0.2


def test_load_thresholds_come_from_the_catalogue():
    assert scoring.load_thresholds()["freshness.homepage"]["max_age_days"] == 14


def test_check_ids_of_a_plan_cover_every_framework():
    plan = frameworks.plan("performance_2018")
    assert set(scoring.check_ids(plan)) == {c for fw in plan.frameworks() for c in fw.check_ids()}
