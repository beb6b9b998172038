"""Typed framework trees (DESIGN §7): dimension (一级) -> indicator (二级) -> leaf (三级).

A leaf is automated (`source: auto`, bound to check IDs through one or more rules), manual (an expert
score from the year's sheet) or innovation (bonus points per innovation case of the year). Everything a
scorer needs is typed here; no number is parsed from a string at scoring time except a finding's
`value`, typed by the catalogue's value type.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict

from govweb.models import LEAF_STATUSES, LEVELS  # noqa: F401  (LEAF_STATUSES re-exported: statuses of indicator_scores.csv)

Kind = Literal["performance", "inspection"]
Source = Literal["auto", "manual", "innovation"]
RuleName = Literal["binary", "per_unit", "bands", "share", "deduct", "veto"]
RULES: tuple[str, ...] = ("binary", "per_unit", "bands", "share", "deduct", "veto")
SOURCES: tuple[str, ...] = ("auto", "manual", "innovation")
KINDS: tuple[str, ...] = ("performance", "inspection")
SOURCE_TITLES = {"auto": "自动检测", "manual": "专家评分", "innovation": "创新加分"}  # as the report names them


class FrameworkError(ValueError):
    """A framework, a framework set, an expert sheet or an innovation-case file is invalid."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Band(_Frozen):
    """A value at most `upto` (inclusive) scores `score`; the last band may omit `upto` (any larger value)."""
    upto: Decimal | None = None
    score: Decimal


class Binding(_Frozen):
    """One rule over one or more check IDs. `points` is the part of the leaf's maximum this binding
    carries (the leaf's whole maximum when it has a single binding)."""
    checks: tuple[str, ...]
    rule: RuleName
    points: Decimal
    per_unit: Decimal | None = None     # per_unit, deduct: points lost per unit (a failed flag is one unit)
    floor: Decimal = Decimal(0)         # per_unit: lowest score
    cap: Decimal | None = None          # deduct: most points lost (default: `points`)
    bands: tuple[Band, ...] = ()        # bands: ordered by `upto`


class Node(_Frozen):
    """A dimension, an indicator or a leaf. Leaves have no children and carry source, bindings, veto
    and the Chinese rule text shown on the scorecard."""
    id: str
    title: str
    max: Decimal
    children: tuple[Node, ...] = ()
    source: Source | None = None
    bindings: tuple[Binding, ...] = ()
    veto: bool = False
    # Veto condition: None = the bound check fails (or is not measured); a name = the bound check's
    # catalogue threshold, vetoing when the check's value reaches it (e.g. freshness.columns veto_stale).
    veto_at: str | None = None
    per_case: Decimal | None = None     # innovation leaves: points per innovation case, up to max
    rule_text: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def check_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for b in self.bindings for c in b.checks))

    def leaf_nodes(self) -> tuple[Node, ...]:
        """The leaves under this node (itself when it is one), in tree order."""
        return (self,) if self.is_leaf else tuple(lf for c in self.children for lf in c.leaf_nodes())

    @property
    def input_max(self) -> Decimal:
        """Highest expert score a manual leaf accepts: its max, or 1 for a zero-point veto item
        (1 = 核查通过, 0 = 单项否决)."""
        return Decimal(1) if self.veto and self.max == 0 else self.max


class LeafRef(NamedTuple):
    dimension: Node
    indicator: Node
    leaf: Node


class LeafCounts(NamedTuple):
    total: int
    automated: int
    manual: int
    innovation: int


class Framework(_Frozen):
    id: str
    title: str
    kind: Kind
    max_total: Decimal
    pass_mark: Decimal
    notes: str
    dimensions: tuple[Node, ...]
    source: str = ""                    # the file it was loaded from

    def leaves(self) -> Iterator[LeafRef]:
        for dim in self.dimensions:
            for ind in dim.children:
                for leaf in ind.children:
                    yield LeafRef(dim, ind, leaf)

    def leaf(self, leaf_id: str) -> Node | None:
        ref = self.leaf_ref(leaf_id)
        return ref.leaf if ref else None

    def leaf_ref(self, leaf_id: str) -> LeafRef | None:
        return next((r for r in self.leaves() if r.leaf.id == leaf_id), None)

    def indicator_count(self) -> int:
        return sum(len(d.children) for d in self.dimensions)

    def counts(self) -> LeafCounts:
        sources = [r.leaf.source for r in self.leaves()]
        return LeafCounts(len(sources), sources.count("auto"), sources.count("manual"), sources.count("innovation"))

    def check_ids(self) -> tuple[str, ...]:
        return tuple(sorted({c for r in self.leaves() for c in r.leaf.check_ids}))


class FrameworkPlan(_Frozen):
    """What a run's `framework` setting names: one tree for every site, or a set (a ranking tree per
    inventory level plus trees scored alongside for every site)."""
    id: str
    ranking: dict[str, Framework]       # level -> ranking framework (every level of models.LEVELS)
    alongside: tuple[Framework, ...] = ()

    @classmethod
    def single(cls, fw: Framework) -> FrameworkPlan:
        """One tree ranking every inventory level, nothing scored alongside."""
        return cls(id=fw.id, ranking={lvl: fw for lvl in LEVELS})

    def ranking_for(self, level: str) -> Framework:
        try:
            return self.ranking[level]
        except KeyError:
            raise FrameworkError(f"framework plan {self.id!r} has no ranking framework for level {level!r} "
                                 f"(levels: {', '.join(self.ranking)})") from None

    def frameworks(self) -> tuple[Framework, ...]:
        """Every distinct framework of the plan: ranking ones first (by level order), then alongside."""
        seen: dict[str, Framework] = {}
        for fw in (*self.ranking.values(), *self.alongside):
            seen.setdefault(fw.id, fw)
        return tuple(seen.values())

    def ranking_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(fw.id for fw in self.ranking.values()))

    def performance(self) -> tuple[Framework, ...]:
        """The ranking frameworks, each once, in level order."""
        return tuple({fw.id: fw for fw in self.ranking.values()}.values())

    def inspection(self) -> Framework | None:
        return next((fw for fw in self.frameworks() if fw.kind == "inspection"), None)

    def get(self, framework_id: str) -> Framework | None:
        return next((fw for fw in self.frameworks() if fw.id == framework_id), None)

    def levels_of(self, framework_id: str) -> list[str]:
        """The inventory levels ranked on this framework (none for one scored alongside)."""
        return [lvl for lvl, fw in self.ranking.items() if fw.id == framework_id]
