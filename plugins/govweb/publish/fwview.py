"""The frameworks as the report reads them: one plain tree per framework (dimension -> indicator -> leaf)
whatever shape it was loaded in.

`govweb.frameworks` gives typed `Framework` trees and a `FrameworkPlan` (a ranking framework per level plus
frameworks scored alongside, e.g. inspection_2019); the report also accepts a walking-skeleton framework dict
(dimensions -> indicators bound to one check each), where each indicator is its own leaf.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govweb.models import LEVELS

LEVEL_TITLES = {"ministry": "国务院部门", "province": "省级政府", "city": "地市级政府", "county": "县级政府"}
SOURCE_TITLES = {"auto": "自动检测", "manual": "专家评分", "innovation": "创新加分"}


@dataclass(frozen=True)
class Leaf:
    id: str
    title: str
    max: float
    source: str  # auto | manual | innovation
    check_ids: tuple[str, ...]
    veto: bool
    rule: str
    dimension_id: str
    dimension_title: str
    indicator_id: str
    indicator_title: str


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    max: float
    leaves: tuple[Leaf, ...]


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    max: float
    indicators: tuple[Indicator, ...]

    @property
    def leaves(self) -> list[Leaf]:
        return [leaf for ind in self.indicators for leaf in ind.leaves]


@dataclass(frozen=True)
class FrameworkView:
    id: str
    title: str
    kind: str  # performance | inspection
    max_total: float
    pass_mark: float
    dimensions: tuple[Dimension, ...]
    notes: str = ""
    _leaves: dict[str, Leaf] = field(default_factory=dict, compare=False, repr=False)

    def leaves(self) -> list[Leaf]:
        return [leaf for d in self.dimensions for leaf in d.leaves]

    def leaf(self, leaf_id: str) -> Leaf | None:
        if not self._leaves:
            self._leaves.update({lf.id: lf for lf in self.leaves()})
        return self._leaves.get(leaf_id)

    def counts(self) -> dict[str, int]:
        sources = [lf.source for lf in self.leaves()]
        return {"total": len(sources), "auto": sources.count("auto"), "manual": sources.count("manual"),
                "innovation": sources.count("innovation"), "dimensions": len(self.dimensions),
                "indicators": sum(len(d.indicators) for d in self.dimensions)}

    def dimension_of_check(self) -> dict[str, Dimension]:
        out: dict[str, Dimension] = {}
        for d in self.dimensions:
            for leaf in d.leaves:
                for c in leaf.check_ids:
                    out.setdefault(c, d)
        return out

    def leaves_of_check(self) -> dict[str, list[Leaf]]:
        out: dict[str, list[Leaf]] = {}
        for leaf in self.leaves():
            for c in leaf.check_ids:
                out.setdefault(c, []).append(leaf)
        return out


@dataclass(frozen=True)
class FrameworkSet:
    """The frameworks of a run: which one ranks each inventory level, which are scored alongside."""
    id: str
    title: str
    frameworks: tuple[FrameworkView, ...]
    ranking: dict[str, str]  # level -> framework id
    alongside: tuple[str, ...] = ()

    def get(self, framework_id: str) -> FrameworkView | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)

    def ranking_for(self, level: str) -> FrameworkView | None:
        fid = self.ranking.get(level)
        return self.get(fid) if fid else (self.performance()[0] if self.performance() else None)

    def performance(self) -> list[FrameworkView]:
        ids = list(dict.fromkeys(self.ranking.values()))
        return [f for f in self.frameworks if f.id in ids] or [f for f in self.frameworks if f.kind != "inspection"]

    def inspection(self) -> FrameworkView | None:
        return next((f for f in self.frameworks if f.kind == "inspection"), None)

    def levels_of(self, framework_id: str) -> list[str]:
        return [lvl for lvl in LEVELS if self.ranking.get(lvl) == framework_id]


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _legacy_rule(ind: dict) -> str:
    top = _num(ind.get("max"))
    if ind.get("rule") == "per_unit":
        return f"每处问题扣{_num(ind.get('per_unit')):g}分，最多扣{top:g}分"
    return f"检测通过得{top:g}分，未通过不得分"


def _from_dict(fw: dict) -> FrameworkView:
    dims = []
    for d in fw.get("dimensions", []):
        indicators = []
        for ind in d.get("indicators", []):
            leaf = Leaf(id=str(ind["id"]), title=str(ind.get("title", ind["id"])), max=_num(ind.get("max")),
                        source="auto" if ind.get("check") else "manual",
                        check_ids=(str(ind["check"]),) if ind.get("check") else (), veto=bool(ind.get("veto")),
                        rule=str(ind.get("rule_text") or _legacy_rule(ind)), dimension_id=str(d["id"]),
                        dimension_title=str(d.get("title", d["id"])), indicator_id=str(ind["id"]),
                        indicator_title=str(ind.get("title", ind["id"])))
            indicators.append(Indicator(leaf.id, leaf.title, leaf.max, (leaf,)))
        dims.append(Dimension(str(d["id"]), str(d.get("title", d["id"])),
                              sum(i.max for i in indicators), tuple(indicators)))
    return FrameworkView(id=str(fw.get("id", "")), title=str(fw.get("title", "")),
                         kind=str(fw.get("kind", "performance")), max_total=_num(fw.get("max_total")),
                         pass_mark=_num(fw.get("pass_mark", 60)), dimensions=tuple(dims),
                         notes=str(fw.get("notes", "")))


def _from_tree(fw: Any) -> FrameworkView:
    dims = []
    for d in fw.dimensions:
        indicators = []
        for ind in d.children:
            leaves = tuple(Leaf(
                id=lf.id, title=lf.title, max=_num(lf.max), source=lf.source or "auto",
                check_ids=tuple(lf.check_ids), veto=bool(lf.veto), rule=lf.rule_text or "",
                dimension_id=d.id, dimension_title=d.title, indicator_id=ind.id, indicator_title=ind.title,
            ) for lf in ind.children)
            indicators.append(Indicator(ind.id, ind.title, _num(ind.max), leaves))
        dims.append(Dimension(d.id, d.title, _num(d.max), tuple(indicators)))
    return FrameworkView(id=fw.id, title=fw.title, kind=fw.kind, max_total=_num(fw.max_total),
                         pass_mark=_num(fw.pass_mark), dimensions=tuple(dims), notes=fw.notes or "")


def view(fw: Any) -> FrameworkView:
    if isinstance(fw, FrameworkView):
        return fw
    if isinstance(fw, dict):
        return _from_dict(fw)
    return _from_tree(fw)


def framework_set(spec: Any, title: str = "") -> FrameworkSet:
    """A FrameworkSet from a FrameworkPlan, one Framework tree, a framework dict, or a list of them."""
    if isinstance(spec, FrameworkSet):
        return spec
    if hasattr(spec, "ranking") and hasattr(spec, "alongside"):  # govweb.frameworks.FrameworkPlan
        views = tuple(view(f) for f in spec.frameworks())
        return FrameworkSet(id=spec.id, title=title or " / ".join(v.title for v in views if v.kind != "inspection"),
                            frameworks=views, ranking={lvl: f.id for lvl, f in spec.ranking.items()},
                            alongside=tuple(f.id for f in spec.alongside))
    items = list(spec) if isinstance(spec, list | tuple) else [spec]
    views = tuple(view(f) for f in items)
    perf = [v for v in views if v.kind != "inspection"]
    ranking = {lvl: perf[0].id for lvl in LEVELS} if perf else {}
    return FrameworkSet(id=views[0].id if views else "", title=title or (perf[0].title if perf else ""),
                        frameworks=views, ranking=ranking,
                        alongside=tuple(v.id for v in views if v.id not in ranking.values()))


def load(name: str) -> FrameworkSet:
    """The run's framework setting: a framework plan of govweb.frameworks, else a skeleton framework file."""
    import importlib

    try:
        plans = importlib.import_module("govweb.frameworks.plan")
    except ImportError:  # pragma: no cover - before the frameworks package exists
        plans = None
    if plans is not None and plans.path(name).is_file():
        return framework_set(plans.plan(name))
    from govweb import scoring

    return framework_set(scoring.load(name))
