"""Resolve what a run's `framework` setting names: one tree, or a set file.

A set file (include/checks/frameworks/{id}.yaml with a `ranking` key) names a ranking tree per inventory
level and trees scored alongside for every site:

    id: performance_2018
    title: ...
    ranking: {ministry: performance_2018_ministry, province: performance_2018_local, city: ..., county: ...}
    alongside: [inspection_2019]
"""

from __future__ import annotations

from pathlib import Path

import yaml

from govweb import config
from govweb.catalogue import Catalogue
from govweb.frameworks.loader import parse
from govweb.frameworks.models import Framework, FrameworkError, FrameworkPlan
from govweb.models import LEVELS

SET_KEYS = {"id", "title", "ranking", "alongside", "notes"}


def frameworks_dir() -> Path:
    return config.checks_dir() / "frameworks"


def path(name: str) -> Path:
    return frameworks_dir() / f"{name}.yaml"


def available() -> list[str]:
    return sorted(p.stem for p in frameworks_dir().glob("*.yaml"))


def _catalogue(cat: Catalogue | None) -> Catalogue:
    if cat is not None:
        return cat
    from govweb import catalogue

    return catalogue.default()


def _raw(name: str) -> tuple[Path, object]:
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        raise FrameworkError(f"framework name {name!r} is not a name; available: {', '.join(available())}")
    p = path(name)
    if not p.is_file():
        raise FrameworkError(f"framework {name!r} not found at {p}; available: {', '.join(available())}")
    try:
        return p, yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError(f"framework {p} is not valid YAML: {exc}") from None


def is_set(name: str) -> bool:
    _, raw = _raw(name)
    return isinstance(raw, dict) and "ranking" in raw


def load(name: str, cat: Catalogue | None = None) -> Framework:
    """One framework tree (include/checks/frameworks/{name}.yaml), validated as a whole."""
    p, raw = _raw(name)
    if isinstance(raw, dict) and "ranking" in raw:
        raise FrameworkError(f"{p} is a framework set (ranking per level), not one tree; use frameworks.plan()")
    return parse(raw, str(p), _catalogue(cat), expected_id=name)


def plan(name: str, cat: Catalogue | None = None) -> FrameworkPlan:
    """The run's plan: a single tree applies to every site; a set picks the ranking tree by inventory level
    and scores its alongside trees for every site."""
    cat = _catalogue(cat)
    p, raw = _raw(name)
    if not (isinstance(raw, dict) and "ranking" in raw):
        fw = load(name, cat)
        return FrameworkPlan.single(fw)
    problems: list[str] = [f"unknown field {k!r}" for k in sorted(set(raw) - SET_KEYS)]
    if raw.get("id") != name:
        problems.append(f"id {raw.get('id')!r} differs from the file name {name!r}")
    ranking, alongside = raw.get("ranking"), raw.get("alongside", [])
    if not isinstance(ranking, dict):
        problems.append("ranking must map each inventory level to a framework name")
        ranking = {}
    problems += [f"ranking: level {lvl!r} missing" for lvl in LEVELS if lvl not in ranking]
    problems += [f"ranking: {lvl!r} is not an inventory level ({', '.join(LEVELS)})" for lvl in ranking
                 if lvl not in LEVELS]
    if not isinstance(alongside, list) or not all(isinstance(a, str) for a in alongside):
        problems.append("alongside must be a list of framework names")
        alongside = []
    loaded: dict[str, Framework] = {}
    for fname in dict.fromkeys([*(ranking.get(lvl) for lvl in LEVELS if lvl in ranking), *alongside]):
        try:
            loaded[fname] = load(fname, cat)
        except FrameworkError as exc:
            problems.append(str(exc))
    dup = set(alongside) & {ranking.get(lvl) for lvl in LEVELS}
    if dup:
        problems.append(f"alongside repeats ranking framework(s) {', '.join(sorted(dup))}")
    if problems:
        raise FrameworkError(f"framework set {p} is invalid:\n  " + "\n  ".join(problems))
    return FrameworkPlan(id=name, ranking={lvl: loaded[ranking[lvl]] for lvl in LEVELS},
                         alongside=tuple(loaded[a] for a in alongside))
