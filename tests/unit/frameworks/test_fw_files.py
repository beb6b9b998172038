"""The project's frameworks as data (include/checks/frameworks/): leaf counts, automation share, the seven
dimensions, per-unit leaves on count checks, the set file and plan resolution by level."""

from __future__ import annotations

import pytest
import yaml

from govweb import config, frameworks, settings
from govweb.frameworks import FrameworkError
from govweb.models import LEVELS
from tests.unit.frameworks.fwkit import CAT

DIMENSIONS = ["信息发布", "解读回应", "办事服务", "互动交流", "管理保障", "功能推广", "优秀创新案例"]  # issue 8


def raw(name: str) -> dict:
    return yaml.safe_load((config.checks_dir() / "frameworks" / f"{name}.yaml").read_text(encoding="utf-8"))


def raw_leaves(name: str) -> list[dict]:
    return [lf for d in raw(name)["dimensions"] for i in d["indicators"] for lf in i["leaves"]]


@pytest.mark.parametrize(("name", "count"), [("performance_2018_local", 47), ("performance_2018_ministry", 44)])
def test_performance_leaf_counts_and_automation_share(name, count):
    leaves = raw_leaves(name)
    automated = [lf for lf in leaves if lf.get("source", "auto") == "auto"]
    assert len(leaves) == count
    assert len(automated) / len(leaves) >= 0.7
    assert all(lf.get("check") or lf.get("checks") or lf.get("bindings") for lf in automated)
    fw = frameworks.load(name)
    assert fw.counts().total == count and fw.counts().automated == len(automated)
    assert fw.kind == "performance" and fw.max_total == 100


@pytest.mark.parametrize("name", ["performance_2018_local", "performance_2018_ministry"])
def test_the_seven_dimensions_and_an_innovation_bonus_leaf(name):
    fw = frameworks.load(name)
    assert [d.title for d in fw.dimensions] == DIMENSIONS
    innovation = [r.leaf for r in fw.leaves() if r.leaf.source == "innovation"]
    assert len(innovation) == 1 and innovation[0].per_case > 0
    assert [r.dimension.title for r in fw.leaves() if r.leaf.source == "innovation"] == ["优秀创新案例"]


@pytest.mark.parametrize("name", ["performance_2018_local", "performance_2018_ministry", "inspection_2019"])
def test_the_yaml_says_the_weights_are_ours(name):
    assert "本项目自定" in frameworks.load(name).notes


@pytest.mark.parametrize("name", ["performance_2018_local", "performance_2018_ministry", "inspection_2019"])
def test_count_checks_lose_points_per_unit(name):
    """Every binding on a count check charges per defect, so the framework tells many quality levels apart."""
    for ref in frameworks.load(name).leaves():
        for b in ref.leaf.bindings:
            if len(b.checks) == 1 and CAT[b.checks[0]].value == "count" and b.rule not in ("veto", "share"):
                assert b.rule in ("per_unit", "deduct"), (name, ref.leaf.id)
                if name.startswith("performance"):  # a small step: a few defects do not empty the leaf
                    assert b.per_unit * 2 <= b.points, (name, ref.leaf.id)


def test_a_check_feeds_several_leaves_with_different_rules():
    fw = frameworks.load("performance_2018_local")
    rules_of: dict[str, set[str]] = {}
    for ref in fw.leaves():
        for b in ref.leaf.bindings:
            for c in b.checks:
                rules_of.setdefault(c, set()).add(b.rule)
    assert any(len(r) > 1 for r in rules_of.values())


def test_inspection_vetoes_and_deductions():
    fw = frameworks.load("inspection_2019")
    assert fw.kind == "inspection" and fw.max_total == 100 and fw.pass_mark == 60
    vetoes = [r.leaf for r in fw.leaves() if r.leaf.veto]
    bound = {c for lf in vetoes for c in lf.check_ids}
    assert bound == {"availability.homepage", "freshness.homepage", "freshness.columns", "columns.empty",
                     "interaction.backlog", "interaction.channel", "services.guide_elements"}
    assert [lf.source for lf in vetoes].count("manual") == 1
    assert all(lf.max == 0 for lf in vetoes)
    others = [r.leaf for r in fw.leaves() if not r.leaf.veto]
    assert others and all(b.rule == "deduct" for lf in others for b in lf.bindings)
    assert sum(lf.max for lf in others) == 100
    thresholds = {lf.veto_at for lf in vetoes if lf.veto_at}
    assert thresholds == {"veto_stale", "veto_empty", "veto_guides"}  # named, the numbers stay in the catalogue


def test_the_set_ranks_each_level_on_its_framework_and_scores_the_inspection_alongside():
    plan = frameworks.plan("performance_2018")
    assert plan.ranking_for("ministry").id == "performance_2018_ministry"
    assert {plan.ranking_for(lvl).id for lvl in ("province", "city", "county")} == {"performance_2018_local"}
    assert [fw.id for fw in plan.alongside] == ["inspection_2019"]
    assert sorted(fw.id for fw in plan.frameworks()) == ["inspection_2019", "performance_2018_local",
                                                         "performance_2018_ministry"]
    with pytest.raises(FrameworkError, match="level 'township'"):
        plan.ranking_for("township")


def test_a_single_tree_is_a_plan_for_every_level():
    plan = frameworks.plan("inspection_2019")
    assert plan.id == "inspection_2019" and plan.alongside == ()
    assert {plan.ranking_for(lvl).id for lvl in LEVELS} == {"inspection_2019"}


def test_the_set_is_the_default_run_setting():
    assert settings.BY_NAME["framework"].default == "performance_2018"
    assert frameworks.is_set("performance_2018")


def test_unknown_names_list_the_available_frameworks():
    with pytest.raises(FrameworkError) as err:
        frameworks.plan("performance_1999")
    assert "performance_2018_local" in str(err.value) and "inspection_2019" in str(err.value)
    with pytest.raises(FrameworkError, match="is a framework set"):
        frameworks.load("performance_2018")


def test_a_bad_set_reports_every_problem(tmp_path, monkeypatch):
    include = tmp_path / "include"
    (include / "checks" / "frameworks").mkdir(parents=True)
    src = config.checks_dir()
    for f in src.iterdir():
        if f.is_file():
            (include / "checks" / f.name).write_bytes(f.read_bytes())
    (include / "checks" / "dictionaries").symlink_to(src / "dictionaries")
    (include / "checks" / "frameworks" / "s.yaml").write_text(
        "id: s\ntitle: t\nranking: {ministry: nope, city: inspection_2019, town: x}\nalongside: [gone]\n",
        encoding="utf-8")
    (include / "checks" / "frameworks" / "inspection_2019.yaml").write_bytes(
        (src / "frameworks" / "inspection_2019.yaml").read_bytes())
    monkeypatch.setenv("GOVWEB_INCLUDE", str(include))
    with pytest.raises(FrameworkError) as err:
        frameworks.plan("s")
    text = str(err.value)
    for needle in ("level 'province' missing", "level 'county' missing", "'town' is not an inventory level",
                   "'nope' not found", "'gone' not found", "s.yaml"):
        assert needle in text, needle


def test_the_old_flat_framework_file_is_gone():
    assert not (config.checks_dir() / "performance_2018_local.yaml").exists()


@pytest.mark.parametrize("name", ["performance_2018_local", "performance_2018_ministry", "inspection_2019"])
def test_the_readme_states_the_leaf_counts(name):
    readme = (config.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    counts = frameworks.load(name).counts()
    assert int(cells[2]) == counts.total and int(cells[3].split()[0]) == counts.automated
    assert int(cells[4]) == counts.manual and int(cells[5]) == counts.innovation
    manual = [r.leaf.id for r in frameworks.load(name).leaves() if r.leaf.source == "manual"]
    assert all(f"(`{lid}`" in readme for lid in manual)  # each manual leaf is listed with why it is manual
