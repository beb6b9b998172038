"""Framework tree validation: every kind of bad framework gives its message, with the file and the path in
the tree, and several problems are reported together."""

from __future__ import annotations

import copy

import pytest

from govweb.frameworks import FrameworkError
from govweb.frameworks.loader import parse, read
from tests.unit.frameworks.fwkit import CAT, leaf, raw

GOOD = raw(leaf("a", 2, check="identity.icp", rule="binary"),
           leaf("b", 3, check="links.broken_home", rule="per_unit", per_unit=0.5),
           leaf("m", 1, source="manual"))


def problems(fw: dict) -> str:
    with pytest.raises(FrameworkError) as err:
        parse(fw, "bad.yaml", CAT)
    assert "bad.yaml" in str(err.value)
    return str(err.value)


def with_leaf(index: int, **changes) -> dict:
    fw = copy.deepcopy(GOOD)
    target = fw["dimensions"][0]["indicators"][0]["leaves"][index]
    for k, v in changes.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = v
    return fw


def test_the_good_tree_loads():
    fw = parse(GOOD, "good.yaml", CAT)
    assert [r.leaf.id for r in fw.leaves()] == ["a", "b", "m"]
    assert fw.counts() == (3, 2, 1, 0)


@pytest.mark.parametrize(("fw", "needles"), [
    (with_leaf(0, max=5), ["dimensions[0] d > indicators[0] i", "add up to 9", "its max is 6"]),
    (with_leaf(0, check="identity.fax"), ["leaves[0] a", "'identity.fax'", "not in the check catalogue"]),
    (with_leaf(0, rule="weighted"), ["leaves[0] a", "'weighted'", "unknown"]),
    (with_leaf(1, per_unit=None), ["leaves[1] b", "missing 'per_unit'"]),
    (with_leaf(1, per_unit=0), ["leaves[1] b", "per_unit must be positive"]),
    (with_leaf(1, per_unit="0.5"), ["leaves[1] b", "per_unit must be a number"]),
    (with_leaf(1, floor=3), ["leaves[1] b", "floor 3"]),
    (with_leaf(0, per_unit=1), ["leaves[0] a", "'per_unit' is not a parameter of rule binary"]),
    (with_leaf(1, id="a"), ["leaves[1] a", "duplicate id 'a'"]),
    (with_leaf(0, check=None, rule=None), ["leaves[0] a", "a leaf with no binding"]),
    (with_leaf(2, check="search.present", rule="binary"), ["leaves[2] m", "a manual leaf has no check bindings"]),
    (with_leaf(0, title=None), ["leaves[0] a", "missing 'title'"]),
    (with_leaf(0, max="2"), ["leaves[0] a", "max must be a number"]),
    (with_leaf(0, source="robot"), ["leaves[0] a", "source 'robot' unknown"]),
    (with_leaf(0, colour="red"), ["leaves[0] a", "unknown field 'colour'"]),
    (with_leaf(0, veto_at="veto_empty"), ["leaves[0] a", "veto_at needs veto: true"]),
    (with_leaf(1, veto=True, veto_at="veto_stale"),
     ["leaves[1] b", "'veto_stale' is not a threshold of links.broken_home"]),
    (with_leaf(0, max=0, rule="binary"), ["max 0 is only for veto items"]),
    (with_leaf(0, rule="veto"), ["leaves[0] a", "veto", "max must be 0"]),
    (with_leaf(1, rule="bands", per_unit=None), ["leaves[1] b", "rule bands needs 'bands'"]),
    (with_leaf(1, rule="bands", per_unit=None, bands=[{"upto": 5, "score": 1}, {"upto": 2, "score": 2}]),
     ["leaves[1] b > bands[1]", "increasing order"]),
    (with_leaf(1, rule="bands", per_unit=None, bands=[{"upto": 5, "score": 9}]), ["bands[0]", "exceeds"]),
    (with_leaf(0, rule="bands", bands=[{"upto": 1, "score": 1}]), ["rule bands cannot read check identity.icp"]),
    (with_leaf(0, checks=["identity.icp", "identity.psb"], check=None, rule="bands", bands=[{"score": 1}]),
     ["bind exactly one check"]),
    (with_leaf(2, source="innovation"), ["leaves[2] m", "missing 'per_case'"]),
    (with_leaf(0, leaves=[]), ["leaves[0] a", "unknown field 'leaves'", "3 levels"]),
    (with_leaf(1, check=None, rule=None, per_unit=None, bindings=[
        {"check": "links.broken_home", "rule": "per_unit", "per_unit": 1, "points": 2},
        {"check": "links.broken_inner", "rule": "binary", "points": 2}]),
     ["leaves[1] b", "binding points add up to 4, but the leaf's max is 3"]),
    (with_leaf(0, checks=["identity.icp", "identity.psb"], check=None, veto=True, veto_at="x"),
     ["veto_at needs exactly one bound check"]),
])
def test_each_problem_is_named_with_its_path(fw, needles):
    text = problems(fw)
    for needle in needles:
        assert needle in text, (needle, text)


def test_an_indicator_without_leaves_is_a_level_error():
    fw = copy.deepcopy(GOOD)
    ind = fw["dimensions"][0]["indicators"][0]
    ind.pop("leaves")
    ind.update({"check": "identity.icp", "rule": "binary"})
    text = problems(fw)
    assert "indicators[0] i" in text and "missing 'leaves'" in text and "unknown field 'check'" in text


def test_top_level_problems():
    fw = {**copy.deepcopy(GOOD), "kind": "audit", "pass_mark": 99, "max_total": 5}
    del fw["title"]
    text = problems(fw)
    for needle in ("missing 'title'", "kind 'audit' unknown", "pass_mark 99 exceeds max_total 5",
                   "dimensions add up to 6, but max_total is 5"):
        assert needle in text


def test_several_problems_are_reported_together():
    fw = with_leaf(0, check="identity.fax", max=4)
    fw["dimensions"][0]["indicators"][0]["leaves"][1]["rule"] = "nope"
    fw["dimensions"][0]["indicators"][0]["leaves"][2]["id"] = "a"
    text = problems(fw)
    assert "identity.fax" in text and "'nope'" in text and "duplicate id 'a'" in text and "add up to" in text
    assert text.count("\n  ") >= 4  # one line per problem


def test_read_checks_the_id_against_the_file_name(tmp_path):
    import yaml

    path = tmp_path / "other_name.yaml"
    path.write_text(yaml.safe_dump(GOOD, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError, match="differs from the file name 'other_name'") as err:
        read(path, CAT)
    assert str(path) in str(err.value)


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML") as err:
        read(path, CAT)
    assert str(path) in str(err.value)
