"""Group rankings: rounding, dense ranks with ties, vetoes, several groups, progress (DESIGN §8)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from govweb.models import INVENTORY_COLUMNS, RANKING_COLUMNS, SCORE_COLUMNS
from govweb.ranking import most_improved, rank, round_total, split_groups, top


def inventory(*rows: tuple[str, str]) -> pd.DataFrame:
    """rows: (site_id, groups)."""
    return pd.DataFrame([{
        "site_id": s, "name": f"site {s}", "url": f"https://{s}.gov.test/", "level": "city",
        "groups": g, "region": "east", "province": "P", "parent_id": "", "active": True,
    } for s, g in rows], columns=list(INVENTORY_COLUMNS))


def scores(*rows: tuple) -> pd.DataFrame:
    """rows: (site_id, total) or (site_id, total, veto)."""
    return pd.DataFrame([{
        "site_id": r[0], "name": f"网站{r[0]}", "year": 2018, "framework": "performance_2018_local",
        "total": r[1], "max_total": 100.0, "veto": r[2] if len(r) > 2 else False,
        "veto_reasons": "x" if len(r) > 2 and r[2] else "", "grade": "pass", "indicators": "{}",
    } for r in rows], columns=list(SCORE_COLUMNS))


def in_group(result: pd.DataFrame, group: str) -> pd.DataFrame:
    return result[result["group"] == group].reset_index(drop=True)


@pytest.mark.parametrize(("value", "expected"), [
    (84.25, "84.3"), (84.35, "84.4"), (84.24, "84.2"), (90.04, "90.0"), (89.96, "90.0"),
    (0.05, "0.1"), (100.0, "100.0"), (59.95, "60.0"),
])
def test_round_total_is_half_up_on_the_repr(value, expected):
    assert round_total(value) == Decimal(expected)


def test_split_groups_drops_blanks():
    assert split_groups("province; provincial_capital;;") == ["province", "provincial_capital"]
    assert split_groups(None) == []
    assert split_groups(float("nan")) == []


def test_columns_dtypes_and_dense_ranks_with_ties():
    inv = inventory(*[(s, "prefecture_city") for s in "abcdef"])
    sc = scores(("a", 95.0), ("b", 90.04), ("c", 89.96), ("d", 88.0), ("e", 70.0), ("f", 88.0))
    result = rank(sc, inv, 2018)

    assert tuple(result.columns) == RANKING_COLUMNS
    assert str(result["rank"].dtype) == "Int64"
    assert result["site_id"].tolist() == ["a", "b", "c", "d", "f", "e"]
    assert result["rank"].tolist() == [1, 2, 2, 3, 3, 4]
    assert result["total"].tolist() == [95.0, 90.0, 90.0, 88.0, 88.0, 70.0]
    assert result["tie"].tolist() == [False, True, True, True, True, False]
    assert (result["year"] == 2018).all()
    assert result["name"].tolist()[0] == "网站a"
    assert list(result.index) == list(range(6))


def test_half_up_rounding_decides_ties():
    inv = inventory(("a", "county"), ("b", "county"))
    result = rank(scores(("a", 84.25), ("b", 84.3)), inv, 2018)
    assert result["total"].tolist() == [84.3, 84.3]
    assert result["rank"].tolist() == [1, 1]
    assert result["tie"].all()


def test_vetoed_sites_have_no_rank_and_come_last():
    inv = inventory(("a", "county"), ("b", "county"), ("c", "county"), ("d", "county"))
    sc = scores(("a", 99.0, True), ("b", 80.0), ("c", 85.0), ("d", 85.0, True))
    result = rank(sc, inv, 2018)

    assert result["site_id"].tolist() == ["c", "b", "a", "d"]
    assert result["vetoed"].tolist() == [False, False, True, True]
    assert result["rank"].iloc[:2].tolist() == [1, 2]
    assert result["rank"].iloc[2:].isna().all()
    # c and d share 85.0, but d is vetoed: no tie for c, and vetoed rows never tie.
    assert result["tie"].tolist() == [False, False, False, False]


def test_site_ranks_in_every_group_it_lists_in_models_group_order():
    inv = inventory(("cap", "provincial_capital;prefecture_city"), ("x", "prefecture_city"),
                    ("prov", "province"))
    sc = scores(("cap", 80.0), ("x", 85.0), ("prov", 70.0))
    result = rank(sc, inv, 2018)

    assert result["group"].tolist() == ["province", "provincial_capital", "prefecture_city", "prefecture_city"]
    assert in_group(result, "provincial_capital")["rank"].tolist() == [1]
    pref = in_group(result, "prefecture_city")
    assert pref["site_id"].tolist() == ["x", "cap"]
    assert pref["rank"].tolist() == [1, 2]


def test_delta_against_previous_rounded_totals():
    inv = inventory(("a", "county"), ("b", "county"), ("new", "county"))
    previous = scores(("a", 80.04), ("b", 90.0), ("gone", 50.0))
    result = rank(scores(("a", 84.25), ("b", 85.0), ("new", 60.0)), inv, 2018, previous_scores=previous)
    delta = dict(zip(result["site_id"], result["delta"], strict=True))

    assert delta["a"] == pytest.approx(4.3)  # 84.3 - 80.0, from rounded totals
    assert float(delta["a"]) == 4.3  # exact: computed in Decimal, no float noise
    assert delta["b"] == -5.0
    assert pd.isna(delta["new"])
    assert str(result["delta"].dtype) == "Float64"
    assert "gone" not in set(result["site_id"])


def test_without_previous_scores_every_delta_is_na():
    result = rank(scores(("a", 10.0)), inventory(("a", "county")), 2018)
    assert result["delta"].isna().all()


def test_deterministic_order_regardless_of_input_order():
    inv = inventory(*[(s, "county") for s in "abcd"])
    sc = scores(("d", 80.0), ("b", 80.0), ("a", 90.0), ("c", 80.0, True))
    first = rank(sc, inv, 2018)
    second = rank(sc.iloc[::-1].reset_index(drop=True), inv.iloc[::-1].reset_index(drop=True), 2018)
    pd.testing.assert_frame_equal(first, second)
    assert first["site_id"].tolist() == ["a", "b", "d", "c"]


def test_sites_without_inventory_groups_are_not_ranked_and_empty_input_is_typed():
    result = rank(scores(("a", 10.0), ("orphan", 99.0)), inventory(("a", "county")), 2018)
    assert result["site_id"].tolist() == ["a"]
    empty = rank(scores(), inventory(), 2018)
    assert tuple(empty.columns) == RANKING_COLUMNS and len(empty) == 0
    assert str(empty["rank"].dtype) == "Int64"


def test_duplicate_site_in_scores_is_refused():
    with pytest.raises(ValueError, match="site_id"):
        rank(scores(("a", 10.0), ("a", 20.0)), inventory(("a", "county")), 2018)


def test_top_keeps_ties_past_n_and_excludes_vetoed():
    inv = inventory(*[(s, "county") for s in "abcdef"])
    sc = scores(("a", 99.0, True), ("b", 90.0), ("c", 80.0), ("d", 80.0), ("e", 70.0), ("f", 60.0))
    rankings = rank(sc, inv, 2018)

    assert top(rankings, "county", n=2)["site_id"].tolist() == ["b", "c", "d"]
    assert top(rankings, "county", n=1)["site_id"].tolist() == ["b"]
    assert "a" not in set(top(rankings, "county")["site_id"])
    assert top(rankings, "province").empty


def test_most_improved_positive_deltas_only_ties_by_site_id_non_vetoed():
    inv = inventory(*[(s, "county") for s in "abcdef"])
    previous = scores(("a", 50.0), ("b", 60.0), ("c", 60.0), ("d", 70.0), ("e", 80.0), ("f", 10.0))
    current = scores(("a", 55.0), ("b", 70.0), ("c", 70.0), ("d", 69.0), ("e", 81.0), ("f", 99.0, True))
    rankings = rank(current, inv, 2018, previous_scores=previous)

    best = most_improved(rankings, "county", k=3)
    assert best["site_id"].tolist() == ["b", "c", "a"]
    assert best["delta"].tolist() == [10.0, 10.0, 5.0]
    assert most_improved(rankings, "county", k=10)["site_id"].tolist() == ["b", "c", "a", "e"]
    assert most_improved(rank(current, inv, 2018), "county").empty


# --- several frameworks in one scores table -----------------------------------------------------------

def _with_framework(frame: pd.DataFrame, framework: str) -> pd.DataFrame:
    return frame.assign(framework=framework)


def test_each_site_ranks_on_its_levels_framework_only():
    inv = pd.concat([inventory(("m1", "ministry"), ("m2", "ministry")).assign(level="ministry"),
                     inventory(("c1", "prefecture_city"), ("c2", "prefecture_city"))])
    sc = pd.concat([
        _with_framework(scores(("m1", 70.0), ("m2", 80.0)), "perf_ministry"),
        _with_framework(scores(("c1", 90.0), ("c2", 60.0)), "perf_local"),
        # the inspection rows say the opposite order and one veto: they must not count
        _with_framework(scores(("m1", 99.0), ("m2", 10.0, True), ("c1", 10.0, True), ("c2", 99.0)), "inspection"),
    ])
    ranking_for = {"ministry": "perf_ministry", "province": "perf_local", "city": "perf_local", "county": "perf_local"}
    result = rank(sc, inv, 2018, ranking_for=ranking_for)
    assert in_group(result, "ministry")["site_id"].tolist() == ["m2", "m1"]
    city = in_group(result, "prefecture_city")
    assert city["site_id"].tolist() == ["c1", "c2"] and city["total"].tolist() == [90.0, 60.0]
    assert not result["vetoed"].any()
    with pytest.raises(ValueError, match="more than one row"):  # without ranking_for the table is ambiguous
        rank(sc, inv, 2018)


def test_delta_compares_with_the_previous_row_of_the_same_framework():
    inv = inventory(("a", "county"))
    now = pd.concat([_with_framework(scores(("a", 80.0)), "perf"), _with_framework(scores(("a", 50.0)), "insp")])
    before = pd.concat([_with_framework(scores(("a", 75.0)), "perf"), _with_framework(scores(("a", 95.0)), "insp")])
    result = rank(now, inv, 2018, before, ranking_for={"city": "perf"})
    assert result["delta"].tolist() == [5.0]
