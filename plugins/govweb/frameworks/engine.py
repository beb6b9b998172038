"""The scoring engine: a framework plan applied to findings and manual inputs.

Per site: its inventory level picks the ranking framework; every alongside framework scores it too.
Per leaf, the stated rule for finding statuses (shown in the leaf's rule text and status):
- a bound check not measured (or with no finding): the leaf scores 0, status not_measured, and it counts
  as failing for the leaf's veto (never a silent full mark for a site that could not be crawled);
- every bound check not applicable: full marks, status not_applicable (the element does not exist and
  another leaf charges for it); partly not applicable: those checks count as passed / no defect;
- a manual leaf without an expert score: 0, status manual_missing (a manual veto item does not fire).
All arithmetic in Decimal: leaf scores to 0.01, totals to 0.1, both ROUND_HALF_UP, so the same findings
and inputs give the same tables byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pandas as pd

from govweb.catalogue import Catalogue
from govweb.frameworks import rules
from govweb.frameworks.manual import ManualInputs
from govweb.frameworks.models import Binding, Framework, FrameworkPlan, LeafRef, Node
from govweb.models import INDICATOR_SCORE_COLUMNS, SCORE_COLUMNS

ZERO, ONE = Decimal(0), Decimal(1)
CENT, TENTH = Decimal("0.01"), Decimal("0.1")


def not_measured_text(leaf: Node) -> str:
    return "未测得：得0分（不因无法采集而得分）" + ("，计入否决" if leaf.veto else "")


def not_applicable_text(leaf: Node) -> str:
    if leaf.max == 0:
        return "不适用：不否决"
    return "不适用：得满分（该要素不存在，由其他指标扣分）"


@dataclass(frozen=True)
class Observed:
    """One finding as the engine reads it: status and the value typed by the catalogue's value type."""
    status: str                       # pass|fail|not_applicable|not_measured
    value: Decimal | bool | str | None
    raw: str


def typed_value(text: str, value_type: str) -> Decimal | bool | str | None:
    """A finding's stored text as the catalogue's value type (count/days/rate: Decimal, flag: bool)."""
    text = "" if text is None else str(text).strip()
    if not text:
        return None
    if value_type == "flag":
        return {"true": True, "false": False}.get(text.lower())
    if value_type in ("count", "days", "rate"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return text


def _status(row: Mapping) -> str:
    status = row.get("status")
    if isinstance(status, str) and status:
        return status
    return "pass" if row.get("passed") is True else "fail"  # a table written before findings had a status


def observe(findings: pd.DataFrame, cat: Catalogue) -> dict[str, dict[str, Observed]]:
    """{site_id: {check_id: Observed}} from a findings table."""
    out: dict[str, dict[str, Observed]] = {}
    types = {cid: spec.value for cid, spec in cat.checks.items()}
    for row in findings.to_dict("records"):
        value = row.get("value")
        raw = "" if value is None or (isinstance(value, float) and value != value) else str(value)  # NaN: empty
        out.setdefault(str(row["site_id"]), {})[str(row["check_id"])] = Observed(
            _status(row), typed_value(raw, types.get(str(row["check_id"]), "text")), raw)
    return out


def _units(o: Observed, value_type: str) -> Decimal | None:
    """Defects a finding counts: 0 when passed or not applicable; a failed count check its count (at least
    1); a failed flag/text/days/rate check 1; None when a failed count check has no usable value."""
    if o.status in ("pass", "not_applicable"):
        return ZERO
    if value_type != "count":
        return ONE
    return max(ONE, o.value) if isinstance(o.value, Decimal) else None


def binding_score(b: Binding, got: list[Observed], value_types: Mapping[str, str]) -> Decimal:
    """One binding's points from findings already known to be measured."""
    if all(o.status == "not_applicable" for o in got):
        return b.points
    ok = [o.status in ("pass", "not_applicable") for o in got]
    if b.rule == "binary":
        return rules.binary(b.points, all(ok))
    if b.rule == "share":
        return rules.share(b.points, sum(ok), len(ok))
    if b.rule == "bands":
        (o,) = got
        return rules.bands(o.value if isinstance(o.value, Decimal) else None, b.bands)
    if b.rule == "veto":
        return rules.veto()
    units = [_units(o, value_types.get(c, "text")) for c, o in zip(b.checks, got, strict=True)]
    if any(u is None for u in units):  # failed without a usable count: the rule's lowest score
        return b.floor if b.rule == "per_unit" else rules.deduct(b.points, b.points, ONE, b.cap)
    if b.rule == "per_unit":
        return rules.per_unit(b.points, b.per_unit, sum(units, ZERO), b.floor)
    return rules.deduct(b.points, b.per_unit, sum(units, ZERO), b.cap)


@dataclass
class LeafResult:
    score: Decimal
    status: str
    rule: str
    value: str
    vetoed: bool = False


def _veto_fires(leaf: Node, got: list[Observed], cat: Catalogue) -> bool:
    if any(o.status == "not_measured" for o in got):
        return True
    if leaf.veto_at:
        (cid,) = leaf.check_ids
        (o,) = got
        if o.status == "not_applicable":
            return False
        limit = Decimal(str(cat[cid].threshold(leaf.veto_at)))
        if isinstance(o.value, Decimal):
            return o.value >= limit
        return o.status == "fail"  # failed without a usable value
    return any(o.status == "fail" for o in got)


@dataclass(frozen=True)
class Context:
    """What every leaf of a run reads besides the site's findings."""
    cat: Catalogue
    manual: ManualInputs
    value_types: Mapping[str, str]

    @classmethod
    def of(cls, cat: Catalogue, manual: ManualInputs) -> Context:
        return cls(cat, manual, {cid: spec.value for cid, spec in cat.checks.items()})


def auto_leaf(leaf: Node, found: Mapping[str, Observed], ctx: Context) -> LeafResult:
    missing = Observed("not_measured", None, "")
    got = {cid: found.get(cid, missing) for cid in leaf.check_ids}
    value = ";".join(f"{cid}={o.raw}" for cid, o in got.items())
    vetoed = leaf.veto and _veto_fires(leaf, list(got.values()), ctx.cat)
    if any(o.status == "not_measured" for o in got.values()):
        return LeafResult(ZERO, "veto" if vetoed else "not_measured", not_measured_text(leaf), value, vetoed)
    if all(o.status == "not_applicable" for o in got.values()):
        return LeafResult(leaf.max, "not_applicable", not_applicable_text(leaf), value)
    total = sum((binding_score(b, [got[c] for c in b.checks], ctx.value_types) for b in leaf.bindings), ZERO)
    score = min(leaf.max, max(ZERO, total)).quantize(CENT, rounding=ROUND_HALF_UP)
    return LeafResult(score, "veto" if vetoed else "scored", leaf.rule_text, value, vetoed)


def manual_leaf(fw: Framework, leaf: Node, site_id: str, manual: ManualInputs) -> LeafResult:
    got = manual.expert.get((fw.id, site_id, leaf.id))
    if got is None:
        return LeafResult(ZERO, "manual_missing", leaf.rule_text, "")
    if leaf.veto and leaf.max == 0:
        vetoed = got < ONE
        return LeafResult(ZERO, "veto" if vetoed else "manual", leaf.rule_text, rules.fmt(got), vetoed)
    return LeafResult(min(leaf.max, got).quantize(CENT, rounding=ROUND_HALF_UP), "manual", leaf.rule_text,
                      rules.fmt(got))


def innovation_leaf(leaf: Node, site_id: str, manual: ManualInputs) -> LeafResult:
    cases = manual.innovation.get(site_id, ())
    score = min(leaf.max, (leaf.per_case or ZERO) * len(cases))
    return LeafResult(score.quantize(CENT, rounding=ROUND_HALF_UP), "innovation", leaf.rule_text, ";".join(cases))


def leaf_result(fw: Framework, ref: LeafRef, site_id: str, found: Mapping[str, Observed], ctx: Context
                ) -> LeafResult:
    if ref.leaf.source == "manual":
        return manual_leaf(fw, ref.leaf, site_id, ctx.manual)
    if ref.leaf.source == "innovation":
        return innovation_leaf(ref.leaf, site_id, ctx.manual)
    return auto_leaf(ref.leaf, found, ctx)


def _num(d: Decimal) -> float:
    return float(d)


@dataclass
class ScoreTables:
    scores: pd.DataFrame
    indicators: pd.DataFrame
    dims: list[str] = field(default_factory=list)


def score_site(fw: Framework, site: Mapping, year: int, found: Mapping[str, Observed], ctx: Context
               ) -> tuple[dict, list[dict]]:
    """The site's scores row on `fw` and its indicator rows (one per leaf, in framework order)."""
    leaves: dict[str, float] = {}
    dims: dict[str, Decimal] = {d.id: ZERO for d in fw.dimensions}
    vetoes: list[str] = []
    rows = []
    for ref in fw.leaves():
        r = leaf_result(fw, ref, site["site_id"], found, ctx)
        leaves[ref.leaf.id] = _num(r.score)
        dims[ref.dimension.id] += r.score
        if r.vetoed:
            vetoes.append(ref.leaf.id)
        rows.append({"site_id": site["site_id"], "year": year, "framework": fw.id, "dimension_id": ref.dimension.id,
                     "indicator_id": ref.indicator.id, "leaf_id": ref.leaf.id, "score": _num(r.score),
                     "max": _num(ref.leaf.max), "source": ref.leaf.source, "status": r.status, "rule": r.rule,
                     "check_ids": ";".join(ref.leaf.check_ids), "value": r.value})
    total = sum(dims.values(), ZERO).quantize(TENTH, rounding=ROUND_HALF_UP)
    veto = bool(vetoes)
    row = {"site_id": site["site_id"], "name": site["name"], "year": year, "framework": fw.id,
           "total": _num(total), "max_total": _num(fw.max_total), "veto": veto, "veto_reasons": ";".join(vetoes),
           "grade": "pass" if not veto and total >= fw.pass_mark else "fail",
           "indicators": json.dumps(leaves, ensure_ascii=False, sort_keys=True),
           **{f"dim:{d}": _num(v) for d, v in dims.items()}}
    return row, rows


def score(findings: pd.DataFrame, inventory: pd.DataFrame, plan: FrameworkPlan | Framework, year: int,
          manual: ManualInputs | None = None, cat: Catalogue | None = None) -> ScoreTables:
    """Scores (one row per site and framework) and indicator scores (one row per site, framework, leaf).
    A site without a level is scored on the plan's first framework (a single tree: that tree)."""
    if cat is None:
        from govweb import catalogue

        cat = catalogue.default()
    if isinstance(plan, Framework):
        plan = FrameworkPlan.single(plan)
    ctx = Context.of(cat, manual or ManualInputs())
    observed = observe(findings, cat)
    dim_cols: dict[str, None] = {}
    for fw in plan.frameworks():
        dim_cols.update({f"dim:{d.id}": None for d in fw.dimensions})
    score_rows, leaf_rows = [], []
    sites = inventory.sort_values("site_id", kind="stable").to_dict("records")
    for site in sites:
        level = site.get("level") if isinstance(site.get("level"), str) and site.get("level") else None
        ranking = plan.ranking_for(level) if level else plan.frameworks()[0]
        for fw in (ranking, *plan.alongside):
            row, rows = score_site(fw, site, year, observed.get(str(site["site_id"]), {}), ctx)
            score_rows.append(row)
            leaf_rows += rows
    scores = pd.DataFrame(score_rows, columns=[*SCORE_COLUMNS, *dim_cols])
    indicators = pd.DataFrame(leaf_rows, columns=list(INDICATOR_SCORE_COLUMNS))
    return ScoreTables(scores, indicators, list(dim_cols))
