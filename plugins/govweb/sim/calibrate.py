"""Calibrate a scenario's profiles so that a correct evaluation reproduces published rankings.

Published tables give, per ranking group, ranks with ties and a "most improved" list. We turn them
into site profiles:

1. Levels. Every ranked site gets a level (0 = best) such that tied sites share a level and each
   rank is strictly worse than the one above, in every group the site is ranked in (成都 is 2nd of
   the sub-provincial cities and 1st of the capitals). Unranked sites go below every ranked one.
2. A defect ladder. Starting from a clean site, repeatedly add the defect increment that costs the
   fewest points under the framework (but some), so ladder[k] is a *superset* of ladder[k-1] and
   scores strictly lower. Level k gets ladder[k]. Because the sets are nested, the order holds under
   any framework that charges for the defects used, not only the one calibrated against; ties hold
   under every framework, since tied sites carry identical defects.
3. Most improved. Their previous-year profile adds further increments on top, largest for the first
   listed, so their year-over-year deltas are the largest in the group and in the published order.

The ground truth (govweb.sim.truth) supplies the findings a correct evaluation would make, and the
project's own scoring engine (govweb.scoring) scores them: calibration and evaluation cannot drift.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from govweb import scoring
from govweb.frameworks.manual import ManualInputs
from govweb.models import Site
from govweb.sim import catalogue, truth
from govweb.sim.content import generate
from govweb.sim.world import SimSite, default_as_of


class CalibrationError(ValueError):
    pass


@dataclass(frozen=True)
class Increment:
    check_id: str
    step: object  # True for a flag; 1 for a count

    def apply(self, defects: dict) -> dict:
        out = dict(defects)
        if self.step is True:
            out[self.check_id] = True
        else:
            out[self.check_id] = out.get(self.check_id, 0) + self.step
        return out


def candidates(fw: scoring.Framework) -> list[Increment]:
    """Increments on the checks the framework scores (checks of veto leaves excluded: a veto removes
    the site from the tables altogether)."""
    vetoing = {c for ref in fw.leaves() if ref.leaf.veto for c in ref.leaf.check_ids}
    out = []
    for cid in fw.check_ids():
        kind = catalogue.BY_ID.get(cid)
        if cid in vetoing or kind is None or kind.kind is float:
            continue
        out.append(Increment(cid, True if kind.kind is bool else 1))
    return sorted(set(out), key=lambda i: i.check_id)


class Scorer:
    """Scores a defect set the way a correct evaluation would (truth -> findings -> framework)."""

    def __init__(self, fw: scoring.Framework, site: Site, year: int, cases: tuple[str, ...] = ()):
        self.fw, self.site, self.year = fw, site, year
        self.thresholds = scoring.load_thresholds()
        self.checks = scoring.check_ids(fw)
        self.manual = ManualInputs(innovation={site.site_id: cases} if cases else {})
        self._cache: dict[tuple, float] = {}

    def __call__(self, defects: dict) -> float:
        key = tuple(sorted(defects.items()))
        if key not in self._cache:
            sim = SimSite(self.site, "calibration.gov.test", defects=dict(defects))
            rows = truth.site_rows(generate(sim, self.year, default_as_of(self.year)), self.thresholds)
            findings = pd.DataFrame([{"site_id": r["site_id"], "check_id": r["check_id"],
                                      "passed": not r["defect"], "value": r["expected_value"],
                                      "status": r["status"]}
                                     for r in rows if r["check_id"] in self.checks])
            inv = pd.DataFrame([{"site_id": self.site.site_id, "name": self.site.name}])
            self._cache[key] = float(scoring.score(findings, inv, self.fw, self.year, self.manual)["total"].iloc[0])
        return self._cache[key]


def _costs(score: Scorer, incs: list[Increment], current: dict) -> list[tuple[float, str, Increment]]:
    """(points lost, check ID, increment) of every increment that still costs points on top of `current`."""
    here = score(current)
    costs = [(here - score(inc.apply(current)), inc.check_id, inc) for inc in incs
             if inc.step is not True or not current.get(inc.check_id)]
    return [c for c in costs if c[0] > 0]


def ladder(fw: scoring.Framework, site: Site, year: int) -> list[dict]:
    """ladder[k]: nested defect sets with strictly decreasing scores under `fw`, as long as the
    framework can tell them apart (cheapest increment first, so the ladder is as long as possible)."""
    score = Scorer(fw, site, year)
    steps, current = [{}], {}
    incs = candidates(fw)
    while True:
        costs = _costs(score, incs, current)
        if not costs:
            return steps
        current = min(costs, key=lambda c: (c[0], c[1]))[2].apply(current)
        steps.append(current)


def levels(groups: dict, members: dict[str, set[str]]) -> dict[str, int]:
    """Level (0 = best) of every site the published tables constrain: tied sites share a level,
    each rank is strictly below the one above, and a group's unranked members are below its last
    rank — in every group at once (成都 is 2nd of the sub-provincial cities and 1st of the capitals)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    below: list[tuple[str, str]] = []  # (upper, lower): lower strictly worse
    constrained = {s["site_id"] for g in groups.values() for r in g["top"] for s in r["sites"]}
    for name, g in groups.items():
        tiers = [[s["site_id"] for s in r["sites"]] for r in sorted(g["top"], key=lambda r: r["rank"])]
        for tier in tiers:
            for sid in tier[1:]:
                parent[find(sid)] = find(tier[0])
        below += [(up[0], lo[0]) for up, lo in zip(tiers, tiers[1:], strict=False)]
        ranked = {sid for tier in tiers for sid in tier}
        below += [(tiers[-1][0], sid) for sid in sorted(members.get(name, set()) - ranked) if sid in constrained]
    level: dict[str, int] = {}

    def depth(node: str, path: tuple = ()) -> int:
        if node in path:
            raise CalibrationError(f"published ranks contradict each other around site {node}")
        if node not in level:
            ups = {find(u) for u, lo in below if find(lo) == node}
            level[node] = max((depth(u, (*path, node)) + 1 for u in ups), default=0)
        return level[node]

    sites = {s["site_id"] for g in groups.values() for r in g["top"] for s in r["sites"]}
    return {sid: depth(find(sid)) for sid in sorted(sites)}


def bonuses(fw: scoring.Framework, template: Site, year: int, cases: Mapping[str, tuple[str, ...]]) -> dict[str, float]:
    """Points each site's innovation cases add under `fw` (scored by the engine, not re-derived here)."""
    clean = Scorer(fw, template, year)({})
    return {sid: Scorer(fw, template, year, names)({}) - clean for sid, names in sorted(cases.items()) if names}


def floor(fw: scoring.Framework, score: Scorer, target: float, used: set[str]) -> dict:
    """The defects every unranked site carries so it scores at most `target`: increments on checks the
    ranked sites' rungs do not use, so those checks keep clean examples (the ranked sites) and every other
    check keeps the seeded mix of clean and defective sites. Counted defects (broken links, missing key-area
    columns…) come first, the costliest first: they are what real portals most often carry, and a few of
    them leave every flag (search, platform link, identity codes) to the seeded mix."""
    current: dict = {}
    incs = [inc for inc in candidates(fw) if inc.check_id not in used]
    while score(current) > target + 1e-9:
        costs = _costs(score, incs, current)
        if not costs:
            raise CalibrationError(f"no defects outside {sorted(used)} bring a site down to {target}")
        current = max(costs, key=lambda c: (c[2].step is not True, c[0], c[1]))[2].apply(current)
    return current


def _rung(scores: list[float], target: float, exact: bool) -> int | None:
    """The first rung scoring exactly `target` (or, not exact, at most `target`)."""
    return next((i for i, v in enumerate(scores) if (abs(v - target) < 1e-9 if exact else v <= target + 1e-9)),
                None)


def profiles(published: dict, sites: list[Site], fw: scoring.Framework, year: int, min_improvement: float = 4.0,
             cases: Mapping[str, tuple[str, ...]] | None = None) -> dict:
    """What a scenario profile needs to reproduce `published` in `year` under `fw`: the explicit
    profiles of the ranked and most-improved sites, their previous-year profiles, and the floor of
    defects every other site carries (so it ranks below the published tables).

    A site with innovation cases (`cases`: site_id -> case names, the year's bonus, the same in the
    previous year) carries the rung whose score plus its bonus equals its level's score, so ties and
    order hold on the totals; one below the tables gets a rung low enough that its bonus keeps it there."""
    groups = published["groups"]
    members: dict[str, set[str]] = defaultdict(set)
    for s in sites:
        for g in s.groups:
            members[g].add(s.site_id)
    lv = levels(groups, members)
    bottom = max(lv.values()) + 1
    steps = ladder(fw, sites[0], year)
    score, score_before = Scorer(fw, sites[0], year), Scorer(fw, sites[0], year - 1)
    if len(steps) <= bottom:
        raise CalibrationError(f"framework {fw.id} tells apart {len(steps)} levels; the published tables "
                               f"need {bottom + 1}")
    scores = [score(st) for st in steps]
    bonus = bonuses(fw, sites[0], year, cases or {})
    rung_of: dict[str, int] = {}
    for sid in sorted(set(lv) | set(bonus)):
        level = lv.get(sid, bottom)
        target = scores[level] - bonus.get(sid, 0.0)
        rung = _rung(scores, target, exact=sid in lv)
        if rung is None:
            raise CalibrationError(f"site {sid}: no rung scores {target} (level {level} minus its innovation bonus "
                                   f"{bonus.get(sid, 0.0)}); the framework's ladder is {scores}")
        rung_of[sid] = rung
    explicit = {sid: {"seeded_defects": False, "defects": dict(steps[rung])} for sid, rung in rung_of.items()}
    previous: dict[str, dict] = {}
    for name, g in groups.items():
        need = 0.0
        for m in reversed(g.get("most_improved") or []):  # last listed needs the smallest jump
            sid = m["site_id"]
            base = rung_of.get(sid, bottom)
            explicit.setdefault(sid, {"seeded_defects": False, "defects": dict(steps[base])})
            for rung in range(base + 1, len(steps)):
                # the previous year's web is scored as it was then (e.g. no abolished agency names before 2018)
                delta = score(steps[base]) - score_before(steps[rung])
                if delta > need and delta >= min_improvement:
                    break
            else:
                raise CalibrationError(f"{name}: no rung gives {m['name']} a bigger improvement than {need}")
            previous[sid] = {"defects": dict(steps[rung])}
            need = delta
    used = {c for r in rung_of.values() for c in steps[r]}
    return {"levels": lv, "bottom": bottom, "floor": floor(fw, score, scores[bottom], used), "sites": explicit,
            "previous_year": previous, "ladder_scores": scores, "bonus": bonus}
