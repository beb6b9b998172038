"""inspection_2019 on the project's file: one test per single veto, the deductions from 100 and the pass mark."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govweb import frameworks
from govweb.frameworks.manual import ManualInputs
from tests.unit.frameworks.fwkit import ALL_PASS, CAT, score_one

FW = frameworks.load("inspection_2019")
VETO_OF = {r.leaf.id: r.leaf for r in FW.leaves() if r.leaf.veto}


def test_a_clean_site_keeps_100_and_passes():
    row, leaves = score_one(FW, ALL_PASS)
    assert row["total"] == 100.0 and row["grade"] == "pass" and not row["veto"]
    assert {r["status"] for r in leaves.values()} == {"scored", "manual_missing"}


@pytest.mark.parametrize(("check", "value"), [
    ("availability.homepage", "0.3"),     # probe failure rate over the catalogue's limit
    ("freshness.homepage", "40"),         # not updated for more than two weeks
    ("freshness.homepage", ""),           # no dated item at all
    ("interaction.backlog", "120"),       # a letter unanswered for more than three months
    ("interaction.channel", "false"),     # no working channel at all
])
def test_a_failed_veto_check_vetoes(check, value):
    leaf = next(lf for lf in VETO_OF.values() if check in lf.check_ids)
    row, leaves = score_one(FW, {**ALL_PASS, check: ("fail", value)})
    assert bool(row["veto"]) and row["veto_reasons"] == leaf.id and row["grade"] == "fail"
    assert leaves[leaf.id]["status"] == "veto"
    # a veto item deducts nothing (the grade is what it changes); a deduction item on the same check still does
    also = sum(r.leaf.max for r in FW.leaves() if not r.leaf.veto and check in r.leaf.check_ids)
    assert leaves[leaf.id]["score"] == 0.0 and row["total"] == float(FW.max_total - also)


@pytest.mark.parametrize(("check", "threshold"), [
    ("freshness.columns", "veto_stale"), ("columns.empty", "veto_empty"),
    ("services.guide_elements", "veto_guides"),
])
def test_count_vetoes_fire_at_the_catalogue_threshold(check, threshold):
    limit = int(CAT[check].threshold(threshold))
    leaf = next(lf for lf in VETO_OF.values() if lf.check_ids == (check,))
    below, _ = score_one(FW, {**ALL_PASS, check: ("fail", str(limit - 1))})
    assert not below["veto"] and below["total"] < 100.0  # below the veto line: deducted, not vetoed
    at, leaves = score_one(FW, {**ALL_PASS, check: ("fail", str(limit))})
    assert bool(at["veto"]) and at["veto_reasons"] == leaf.id and at["grade"] == "fail"


def test_the_manual_veto_item_follows_the_expert():
    (leaf,) = [lf for lf in VETO_OF.values() if lf.source == "manual"]
    found = ManualInputs({("inspection_2019", "A", leaf.id): Decimal(0)})
    cleared = ManualInputs({("inspection_2019", "A", leaf.id): Decimal(1)})
    row, leaves = score_one(FW, ALL_PASS, found)
    assert bool(row["veto"]) and row["veto_reasons"] == leaf.id and leaves[leaf.id]["status"] == "veto"
    row, leaves = score_one(FW, ALL_PASS, cleared)
    assert not row["veto"] and leaves[leaf.id]["status"] == "manual"
    row, leaves = score_one(FW, ALL_PASS)
    assert not row["veto"] and leaves[leaf.id]["status"] == "manual_missing"


def test_an_uncrawled_site_is_vetoed_and_fails():
    row, leaves = score_one(FW, {})
    assert bool(row["veto"]) and row["total"] == 0.0 and row["grade"] == "fail"
    assert {r["status"] for r in leaves.values()} <= {"not_measured", "veto", "manual_missing"}


def test_deductions_below_60_fail_without_a_veto():
    failing = {cid: ("fail", "99" if spec.value == "count" else "false")
               for cid, spec in CAT.checks.items() if not any(cid in lf.check_ids for lf in VETO_OF.values())}
    row, _ = score_one(FW, {**ALL_PASS, **failing})
    assert not row["veto"] and row["total"] < 60 and row["grade"] == "fail"
    deducted = sum(lf.max for lf in (r.leaf for r in FW.leaves()) if set(lf.check_ids) & set(failing))
    assert row["total"] == float(FW.max_total - deducted)  # every failed item loses its whole allowance here
