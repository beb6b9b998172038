"""The 2018 scenario reproduces the published tables when evaluated correctly (the oracle's findings
through the real scoring and ranking code), at full scale: 937 sites, 2017 then 2018."""

import pytest
import yaml

from govweb import config, inventory, ranking, scoring
from govweb.frameworks import manual
from govweb.sim import oracle, world

PLAN = "performance_2018"  # what a run scores by default: ministries and local sites on their own trees


@pytest.fixture(scope="module")
def published():
    return yaml.safe_load((config.inventory_dir() / "published_2018.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rankings_2018():
    plan = scoring.plan(PLAN)
    scores = {}
    for year in (2017, 2018):
        w = world.load("scenario_2018", year)
        assert len(w.sites) == 937
        sites = list(w.sites.values())
        inv = inventory.to_frame(s.site for s in sites)
        # the year's expert sheet and innovation cases, as the score stage reads them
        inputs = manual.load(year, plan, {s.site.site_id: manual.SiteInfo(s.site.name, s.site.level) for s in sites})
        scores[year] = scoring.score(oracle.findings(w, scoring.check_ids(plan)), inv, plan, year, inputs)
    ranking_for = {level: fw.id for level, fw in plan.ranking.items()}
    return ranking.rank(scores[2018], inv, 2018, scores[2017], ranking_for)


def test_top_tables_match_the_published_ones_with_their_ties(published, rankings_2018):
    got = oracle.published_tables(rankings_2018, list(published["groups"]))
    for group, want in published["groups"].items():
        expected = [[t["rank"], sorted(s["site_id"] for s in t["sites"])] for t in want["top"]]
        assert got[group]["top"][: len(expected)] == expected, group
        # Nothing else may sneak into the published ranks.
        assert all(rank > expected[-1][0] for rank, _ in got[group]["top"][len(expected):]), group


def test_most_improved_lists_match_in_order(published, rankings_2018):
    got = oracle.published_tables(rankings_2018, list(published["groups"]))
    for group, want in published["groups"].items():
        listed = [m["site_id"] for m in want.get("most_improved") or []]
        assert got[group]["most_improved"][: len(listed)] == listed, group
        # ...and each was clearly worse a year before (at least 4 points).
        deltas = rankings_2018.set_index(["group", "site_id"])["delta"]
        assert all(deltas[(group, sid)] >= 4 for sid in listed), group


def test_profiles_file_is_current(tmp_path):
    """The committed profiles are exactly what the calibration script produces."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("b", config.REPO_ROOT / "scripts" / "build_scenario_2018_profiles.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    committed = (config.inventory_dir() / "scenario_2018_sim.yaml").read_text(encoding="utf-8")
    assert mod.build(mod.CALIBRATED) == committed
