"""Read a framework tree from YAML and validate all of it, reporting every problem at once.

File layout (include/checks/frameworks/{id}.yaml):

    id, title, kind (performance|inspection), max_total, pass_mark, notes
    dimensions:            一级指标: id, title, max, indicators
      indicators:          二级指标: id, title, max, leaves
        leaves:            三级指标: id, title, max, and
          source: auto     (default when bound) check|checks + rule + params, or bindings: [...]
          source: manual   an expert score from the year's sheet; optional `criteria` (what the expert judges)
          source: innovation  per_case: points per innovation case of the site, up to max
          veto: true       the leaf also vetoes the site; veto_at: a catalogue threshold name of the bound check

Rule params: per_unit (per_unit, floor), deduct (per_unit, cap), bands (bands: [{upto, score}, ...]),
share, binary, veto (points 0). Several bindings in one leaf each carry `points`, adding up to the leaf's max.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from govweb.catalogue import Catalogue
from govweb.frameworks import rules
from govweb.frameworks.models import KINDS, RULES, SOURCES, Band, Binding, Framework, FrameworkError, Node

TOP_KEYS = {"id", "title", "kind", "max_total", "pass_mark", "notes", "dimensions"}
BRANCH_KEYS = {"id", "title", "max"}
LEAF_KEYS = {"id", "title", "max", "source", "check", "checks", "rule", "points", "per_unit", "floor", "cap",
             "bands", "bindings", "veto", "veto_at", "per_case", "criteria"}
BINDING_KEYS = {"check", "checks", "rule", "points", "per_unit", "floor", "cap", "bands"}
RULE_PARAMS = {"binary": set(), "per_unit": {"per_unit", "floor"}, "deduct": {"per_unit", "cap"},
               "bands": {"bands"}, "share": set(), "veto": set()}
# Value types a rule reads a number from. per_unit and deduct count a count check's value as units and
# any other failed check as one unit.
RULE_VALUE_TYPES = {"bands": {"count", "days", "rate"}}
LEVEL_NAMES = ("dimensions", "indicators", "leaves")
# The stated rule for the two finding statuses that are neither pass nor fail, per kind of leaf.
STATUS_RULE = "；不适用得满分（该要素不存在，由其他指标扣分）；未测得得0分"
STATUS_RULE_DEDUCT = "；不适用不扣分；未测得扣除本项全部分值"
STATUS_RULE_VETO = "；不适用不否决；未测得计入否决"


class _Problems(list):
    def add(self, where: str, what: str) -> None:
        self.append(f"{where}: {what}" if where else what)


def number(raw: Any, where: str, field: str, problems: _Problems, *, minimum: Decimal | None = Decimal(0),
           positive: bool = False, required: bool = True) -> Decimal | None:
    """A YAML number as a Decimal (strings and booleans are refused: values are typed in the file)."""
    if raw is None:
        if required:
            problems.add(where, f"missing {field!r}")
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        problems.add(where, f"{field} must be a number, got {raw!r}")
        return None
    value = Decimal(str(raw))
    if positive and value <= 0:
        problems.add(where, f"{field} must be positive, got {raw!r}")
    elif minimum is not None and value < minimum:
        problems.add(where, f"{field} must be at least {minimum}, got {raw!r}")
    return value


def _text(raw: Any, where: str, field: str, problems: _Problems) -> str:
    if not isinstance(raw, str) or not raw.strip():
        problems.add(where, f"missing {field!r}" if raw in (None, "") else f"{field} must be text, got {raw!r}")
        return ""
    return raw.strip()


def _checks_of(raw: dict, where: str, problems: _Problems) -> tuple[str, ...]:
    if "check" in raw and "checks" in raw:
        problems.add(where, "give either 'check' or 'checks', not both")
    got = raw.get("checks", raw.get("check"))
    if isinstance(got, str):
        got = [got]
    if not isinstance(got, list) or not got or not all(isinstance(c, str) and c for c in got):
        problems.add(where, f"check IDs must be a check ID or a list of them, got {got!r}")
        return ()
    if len(set(got)) != len(got):
        problems.add(where, "a check ID is bound twice")
    return tuple(got)


def _bands(raw: Any, where: str, points: Decimal | None, problems: _Problems) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "rule bands needs 'bands': a list of {upto, score}")
        return ()
    out: list[Band] = []
    for i, b in enumerate(raw):
        at = f"{where} > bands[{i}]"
        if not isinstance(b, dict) or set(b) - {"upto", "score"}:
            problems.add(at, "a band is {upto: number, score: number} (upto may be omitted in the last band)")
            continue
        upto = number(b.get("upto"), at, "upto", problems, minimum=None, required=i < len(raw) - 1)
        score = number(b.get("score"), at, "score", problems)
        if score is not None and points is not None and score > points:
            problems.add(at, f"score {score} exceeds the binding's {points} points")
        if out and upto is not None and out[-1].upto is not None and upto <= out[-1].upto:
            problems.add(at, f"bands must be in increasing order of upto ({upto} after {out[-1].upto})")
        if score is not None:
            out.append(Band(upto=upto, score=score))
    return tuple(out)


def _binding(raw: dict, where: str, points: Decimal | None, cat: Catalogue, problems: _Problems) -> Binding | None:
    checks = _checks_of(raw, where, problems)
    for cid in checks:
        if cid not in cat.checks:
            problems.add(where, f"check ID {cid!r} is not in the check catalogue ({cat.source})")
    rule = raw.get("rule")
    if rule not in RULES:
        problems.add(where, f"rule {rule!r} unknown; use one of {', '.join(RULES)}")
        return None
    params = {k for k in raw if k in BINDING_KEYS - {"check", "checks", "rule", "points"}}
    for extra in sorted(params - RULE_PARAMS[rule]):
        problems.add(where, f"{extra!r} is not a parameter of rule {rule} (it takes: "
                            f"{', '.join(sorted(RULE_PARAMS[rule])) or 'none'})")
    allowed = RULE_VALUE_TYPES.get(rule)
    for cid in checks:
        if allowed and cid in cat.checks and cat[cid].value not in allowed:
            problems.add(where, f"rule {rule} cannot read check {cid} (value type {cat[cid].value}; "
                                f"it reads {', '.join(sorted(allowed))})")
    if rule == "bands" and len(checks) > 1:
        problems.add(where, "rule bands reads one check's value: bind exactly one check")
    if rule == "veto" and points not in (None, Decimal(0)):
        problems.add(where, f"a veto binding scores nothing: its points/max must be 0, got {points}")
    if rule != "veto" and points is not None and points <= 0:
        problems.add(where, f"rule {rule} needs positive points, got {points}")
    step = floor = cap = None
    if rule in ("per_unit", "deduct"):
        step = number(raw.get("per_unit"), where, "per_unit", problems, positive=True)
    if rule == "per_unit":
        floor = number(raw.get("floor", 0), where, "floor", problems)
        if floor is not None and points is not None and floor >= points:
            problems.add(where, f"floor {floor} must be below the binding's {points} points")
    if rule == "deduct" and "cap" in raw:
        cap = number(raw.get("cap"), where, "cap", problems, positive=True)
    band_list = _bands(raw.get("bands"), where, points, problems) if rule == "bands" else ()
    if points is None or not checks:
        return None
    return Binding(checks=checks, rule=rule, points=points, per_unit=step, floor=floor or Decimal(0), cap=cap,
                   bands=band_list)


def _bindings(raw: dict, where: str, top: Decimal | None, cat: Catalogue, problems: _Problems) -> list[Binding]:
    """An automated leaf's bindings: one given by the leaf's own fields, or a `bindings` list whose points add
    up to the leaf's max."""
    if "bindings" not in raw:
        pts = top if "points" not in raw else number(raw.get("points"), where, "points", problems)
        if pts is not None and top is not None and pts != top:
            problems.add(where, f"points {pts} differ from max {top} (one binding carries the whole leaf)")
        got = _binding(raw, where, pts, cat, problems)
        return [got] if got is not None else []
    if any(k in raw for k in BINDING_KEYS):
        problems.add(where, "give either 'bindings' or one binding's fields (check, rule, ...), not both")
    items = raw["bindings"] if isinstance(raw["bindings"], list) else []
    if not items:
        problems.add(where, "'bindings' must be a non-empty list")
    out: list[Binding] = []
    for i, b in enumerate(items):
        at = f"{where} > bindings[{i}]"
        if not isinstance(b, dict):
            problems.add(at, "a binding is a mapping {check, rule, points, ...}")
            continue
        for extra in sorted(set(b) - BINDING_KEYS):
            problems.add(at, f"unknown field {extra!r}")
        pts = number(b.get("points"), at, "points", problems) if len(items) > 1 else \
            number(b.get("points", raw.get("max")), at, "points", problems, required=False)
        if (got := _binding(b, at, pts, cat, problems)) is not None:
            out.append(got)
    total = sum((b.points for b in out), Decimal(0))
    if len(items) > 1 and top is not None and len(out) == len(items) and total != top:
        problems.add(where, f"binding points add up to {total}, but the leaf's max is {top}")
    return out


def _leaf(raw: dict, where: str, cat: Catalogue, problems: _Problems) -> Node | None:
    for extra in sorted(set(raw) - LEAF_KEYS):
        problems.add(where, f"unknown field {extra!r}" + (" (a leaf has no children: the tree has 3 levels)"
                                                          if extra in LEVEL_NAMES else ""))
    lid, title = _text(raw.get("id"), where, "id", problems), _text(raw.get("title"), where, "title", problems)
    top = number(raw.get("max"), where, "max", problems)
    bound = any(k in raw for k in ("check", "checks", "bindings", "rule"))
    source = raw.get("source", "auto" if bound else None)
    veto = raw.get("veto", False)
    if not isinstance(veto, bool):
        problems.add(where, f"veto must be true or false, got {veto!r}")
        veto = False
    if source not in SOURCES:
        problems.add(where, "a leaf with no binding: bind check IDs (check + rule) or declare source: manual"
                     if source is None else f"source {source!r} unknown; use one of {', '.join(SOURCES)}")
        return None
    bindings: list[Binding] = _bindings(raw, where, top, cat, problems) if source == "auto" else []
    if source != "auto" and any(k in raw for k in BINDING_KEYS | {"bindings"}):
        problems.add(where, f"a {source} leaf has no check bindings (remove check/rule/params or use source: auto)")
    per_case = None
    if source == "innovation":
        per_case = number(raw.get("per_case"), where, "per_case", problems, positive=True)
    elif "per_case" in raw:
        problems.add(where, "per_case belongs to innovation leaves")
    is_veto_rule = any(b.rule == "veto" for b in bindings)
    veto = veto or is_veto_rule
    veto_at = raw.get("veto_at")
    if veto_at is not None:
        checks = {c for b in bindings for c in b.checks}
        if not veto:
            problems.add(where, "veto_at needs veto: true")
        if len(checks) != 1:
            problems.add(where, "veto_at needs exactly one bound check")
        elif (cid := next(iter(checks))) in cat.checks and veto_at not in cat[cid].thresholds:
            problems.add(where, f"veto_at {veto_at!r} is not a threshold of {cid} in the catalogue "
                                f"(known: {', '.join(sorted(cat[cid].thresholds)) or 'none'})")
    if top is not None and top == 0 and not veto:
        problems.add(where, "max 0 is only for veto items")
    if source == "manual" and veto and top not in (None, Decimal(0)):
        problems.add(where, "a manual veto item has max 0 (the expert enters 1 = 核查通过, 0 = 单项否决)")
    criteria = raw.get("criteria", "")
    if not isinstance(criteria, str):
        problems.add(where, f"criteria must be text, got {criteria!r}")
        criteria = ""
    if not lid or not title or top is None:
        return None
    text = _rule_text(source, bindings, top, per_case, veto, veto_at, criteria, cat)
    return Node(id=lid, title=title, max=top, source=source, bindings=tuple(bindings), veto=veto,
                veto_at=veto_at, per_case=per_case, rule_text=text)


def _rule_text(source, bindings, top, per_case, veto, veto_at, criteria, cat: Catalogue) -> str:
    """The leaf's rule in Chinese, generated from its typed params (so the text never disagrees with them)."""
    if source == "manual":
        head = "专家核查（1 = 核查通过，0 = 单项否决）" if veto and top == 0 else f"专家评分（0–{rules.fmt(top)}分）"
        tail = "；未核查不否决（记为缺少专家评分）" if veto and top == 0 else "；未评分得0分"
        return head + (f"：{criteria}" if criteria else "") + tail
    if source == "innovation":
        return f"优秀创新案例每个加{rules.fmt(per_case)}分，最多{rules.fmt(top)}分"
    title = {cid: spec.title for cid, spec in cat.checks.items()}
    unit = {cid: rules.UNITS.get(spec.value, "") for cid, spec in cat.checks.items()}
    counted = {cid: spec.value == "count" for cid, spec in cat.checks.items()}
    parts = [rules.text(b, [title.get(c, c) for c in b.checks], unit.get(b.checks[0], ""),
                        all(counted.get(c, False) for c in b.checks)) for b in bindings if b.rule != "veto"]
    if veto:
        checks = [c for b in bindings for c in b.checks]
        if veto_at and len(checks) == 1 and checks[0] in cat.checks and veto_at in cat[checks[0]].thresholds:
            limit = Decimal(str(cat[checks[0]].threshold(veto_at)))
            parts.append(f"{title[checks[0]]}达到{rules.fmt(limit)}{unit[checks[0]]}即单项否决")
        else:
            parts.append("、".join(title.get(c, c) for c in checks) + "不达标即单项否决")
    if all(b.rule == "veto" for b in bindings):
        return "；".join(parts) + STATUS_RULE_VETO
    if all(b.rule == "deduct" for b in bindings):
        return "；".join(parts) + STATUS_RULE_DEDUCT + ("，且计入否决" if veto else "")
    return "；".join(parts) + STATUS_RULE + ("，且计入否决" if veto else "")


def _branch(raw: Any, where: str, level: int, cat: Catalogue, problems: _Problems, ids: dict[str, str]) -> Node | None:
    if not isinstance(raw, dict):
        problems.add(where, "expected a mapping")
        return None
    nid = raw.get("id")
    if isinstance(nid, str) and nid:
        if nid in ids:
            problems.add(where, f"duplicate id {nid!r} (also at {ids[nid]})")
        else:
            ids[nid] = where
    if level == 2:
        return _leaf(raw, where, cat, problems)
    key = LEVEL_NAMES[level + 1]
    for extra in sorted(set(raw) - BRANCH_KEYS - {key}):
        problems.add(where, f"unknown field {extra!r}" + (
            f" (level {level + 1} nodes hold {key}; the tree has 3 levels: dimensions > indicators > leaves)"
            if extra in LEAF_KEYS or extra in LEVEL_NAMES else ""))
    nid, title = _text(raw.get("id"), where, "id", problems), _text(raw.get("title"), where, "title", problems)
    top = number(raw.get("max"), where, "max", problems)
    items = raw.get(key)
    if not isinstance(items, list) or not items:
        problems.add(where, f"missing {key!r}: a level {level + 1} node needs a non-empty list of {key} "
                            "(the tree has 3 levels: dimensions > indicators > leaves)")
        items = []
    children = []
    for i, child in enumerate(items):
        label = child.get("id", "?") if isinstance(child, dict) else "?"
        node = _branch(child, f"{where} > {key}[{i}] {label}", level + 1, cat, problems, ids)
        if node is not None:
            children.append(node)
    if top is not None and len(children) == len(items) and items and sum(c.max for c in children) != top:
        problems.add(where, f"maxima of its {key} add up to {sum(c.max for c in children)}, but its max is {top}")
    if not nid or not title or top is None:
        return None
    return Node(id=nid, title=title, max=top, children=tuple(children))


def parse(raw: Any, source: str, cat: Catalogue, expected_id: str | None = None) -> Framework:
    """Validate a framework mapping (as read from YAML); FrameworkError lists every problem."""
    problems = _Problems()
    if not isinstance(raw, dict):
        raise FrameworkError(f"framework {source} is invalid:\n  the file is not a YAML mapping")
    for extra in sorted(set(raw) - TOP_KEYS):
        problems.add("", f"unknown field {extra!r}")
    fid = _text(raw.get("id"), "", "id", problems)
    if fid and expected_id and fid != expected_id:
        problems.add("", f"id {fid!r} differs from the file name {expected_id!r}")
    title = _text(raw.get("title"), "", "title", problems)
    notes = _text(raw.get("notes"), "", "notes", problems)
    kind = raw.get("kind")
    if kind not in KINDS:
        problems.add("", f"kind {kind!r} unknown; use one of {', '.join(KINDS)}")
    max_total = number(raw.get("max_total"), "", "max_total", problems, positive=True)
    pass_mark = number(raw.get("pass_mark"), "", "pass_mark", problems)
    if max_total is not None and pass_mark is not None and pass_mark > max_total:
        problems.add("", f"pass_mark {pass_mark} exceeds max_total {max_total}")
    items = raw.get("dimensions")
    if not isinstance(items, list) or not items:
        problems.add("", "missing 'dimensions': a non-empty list of first-level dimensions")
        items = []
    ids: dict[str, str] = {}
    dims = []
    for i, d in enumerate(items):
        label = d.get("id", "?") if isinstance(d, dict) else "?"
        node = _branch(d, f"dimensions[{i}] {label}", 0, cat, problems, ids)
        if node is not None:
            dims.append(node)
    if max_total is not None and len(dims) == len(items) and items and sum(d.max for d in dims) != max_total:
        problems.add("", f"maxima of the dimensions add up to {sum(d.max for d in dims)}, but max_total is {max_total}")
    if problems:
        raise FrameworkError(f"framework {source} is invalid ({len(problems)} problem(s)):\n  " + "\n  ".join(problems))
    return Framework(id=fid, title=title, kind=kind, max_total=max_total, pass_mark=pass_mark, notes=notes,
                     dimensions=tuple(dims), source=source)


def read(path: Path, cat: Catalogue) -> Framework:  # a tree from any path (tests, tools)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FrameworkError(f"framework {path} is not valid YAML: {exc}") from None
    return parse(raw, str(path), cat, expected_id=path.stem)
