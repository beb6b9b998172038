"""Manual inputs of a year, validated before scoring (include/inventory/{year}/):

- `expert_scores.csv` or `expert_scores.xlsx` (first sheet), header `site_id,framework,leaf_id,score,note`:
  one expert score per site and manual leaf. CSV lines starting with `#` are comments (row numbers in
  messages are the file's line numbers).
- `innovation_cases.yaml`: the year's innovation cases (group, entity, case; `site_name` when the site's
  inventory name is not `{entity}` or `{entity}人民政府`), each resolved to exactly one inventory site;
  `excluded` lists published cases whose entity has no site in the inventory, with the reason.

Every problem (file, row, field, what to do) is reported at once by ManualInputError.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from govweb import config

log = logging.getLogger(__name__)
SHEET_COLUMNS = ("site_id", "framework", "leaf_id", "score", "note")
CASE_GROUPS = {"ministry": "ministry", "province": "province", "city": "city", "county": "county"}  # group -> level


class ManualInputError(ValueError):
    """An expert score sheet or an innovation-case file is invalid; the message lists every problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source, self.problems = source, problems
        super().__init__(f"{source} is invalid ({len(problems)} problem(s)):\n  " + "\n  ".join(problems))


class ExpertScore(BaseModel):
    model_config = ConfigDict(frozen=True)
    site_id: str
    framework: str
    leaf_id: str
    score: Decimal
    note: str = ""


class InnovationCase(BaseModel):
    model_config = ConfigDict(frozen=True)
    group: str
    entity: str
    case: str
    site_id: str


@dataclass(frozen=True)
class ManualInputs:
    """What the engine reads: expert scores by (framework, site_id, leaf_id) and case names by site_id."""
    expert: Mapping[tuple[str, str, str], Decimal] = field(default_factory=dict)
    innovation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, scores: Iterable[ExpertScore] = (), cases: Iterable[InnovationCase] = (),
           sources: tuple[str, ...] = ()) -> ManualInputs:
        by_site: dict[str, list[str]] = {}
        for c in cases:
            by_site.setdefault(c.site_id, []).append(c.case)
        return cls({(s.framework, s.site_id, s.leaf_id): s.score for s in scores},
                   {k: tuple(v) for k, v in by_site.items()}, sources)


@dataclass(frozen=True)
class SiteInfo:
    name: str
    level: str


# -- the expert sheet ----------------------------------------------------------------------------------

def read_sheet(path: Path) -> tuple[list[str], list[tuple[int, dict[str, object]]]]:
    """Header and (row number, values) of a CSV or XLSX sheet."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [(i, list(r)) for i, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), 1)]
        finally:
            wb.close()
        rows = [(i, r) for i, r in rows if any(v not in (None, "") for v in r)]
        if not rows:
            return [], []
        (_, head), body = rows[0], rows[1:]
        header = [str(h).strip() if h is not None else "" for h in head]
        return header, [(i, dict(zip(header, r, strict=False))) for i, r in body]
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    numbered = [(i, line) for i, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return [], []
    parsed = list(csv.reader(io.StringIO("\n".join(line for _, line in numbered))))
    header = [h.strip() for h in parsed[0]]
    return header, [(n, dict(zip(header, r, strict=False))) for (n, _), r in zip(numbered[1:], parsed[1:], strict=True)]


def _score(raw: object) -> Decimal | None:
    if isinstance(raw, bool) or raw is None:
        return None
    try:
        value = Decimal(str(raw).strip()) if not isinstance(raw, int | float) else Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def validate_sheet(path: Path, sites: Mapping[str, SiteInfo], plan, known: Mapping[str, object]) -> list[ExpertScore]:
    """Rows of the sheet as ExpertScores. `known` maps every framework name to its Framework; `plan`
    (a FrameworkPlan) says which framework scores which site."""
    header, rows = read_sheet(path)
    problems: list[str] = []
    missing = [c for c in SHEET_COLUMNS if c not in header]
    if missing:
        raise ManualInputError(str(path), [f"row 1 (header): missing column(s) {', '.join(missing)}; the header is "
                                           f"{','.join(SHEET_COLUMNS)}"])
    out: list[ExpertScore] = []
    seen: dict[tuple[str, str, str], int] = {}
    in_plan = {fw.id for fw in plan.frameworks()} if plan is not None else set()
    for n, row in rows:
        def bad(fld: str, msg: str, n=n) -> None:
            problems.append(f"row {n}: field {fld!r}: {msg}")

        sid, fid, lid = (str(row.get(k) or "").strip() for k in ("site_id", "framework", "leaf_id"))
        site = sites.get(sid)
        if site is None:
            bad("site_id", f"{sid!r} is not a site of the year's inventory; correct the id or delete the row")
        fw = known.get(fid)
        if fw is None:
            bad("framework", f"{fid!r} is not a framework tree; use one of {', '.join(sorted(known))}")
        leaf = fw.leaf(lid) if fw is not None else None
        if fw is not None and leaf is None:
            bad("leaf_id", f"{lid!r} is not a leaf of {fid}; manual leaves: "
                           f"{', '.join(r.leaf.id for r in fw.leaves() if r.leaf.source == 'manual')}")
        elif leaf is not None and leaf.source != "manual":
            bad("leaf_id", f"{lid!r} of {fid} is scored from {leaf.source} data, not by experts; delete the row")
        if site is not None and fw is not None and fid in in_plan and plan is not None \
                and fw.id != plan.ranking_for(site.level).id and fw.id not in {a.id for a in plan.alongside}:
            bad("framework", f"{fid} does not score {sid} ({site.level} site, ranked on "
                             f"{plan.ranking_for(site.level).id}); use that framework's leaves")
        score = _score(row.get("score"))
        if score is None:
            bad("score", f"{row.get('score')!r} is not a number; write a decimal such as 1.5")
        elif leaf is not None and leaf.source == "manual" and not (0 <= score <= leaf.input_max):
            bad("score", f"{score} is outside [0, {leaf.input_max}] for {lid} ({leaf.title})")
        key = (sid, fid, lid)
        if key in seen:
            bad("site_id", f"duplicate of row {seen[key]} (same site, framework and leaf); keep one")
        seen.setdefault(key, n)
        if score is not None and site is not None and leaf is not None and leaf.source == "manual":
            out.append(ExpertScore(site_id=sid, framework=fid, leaf_id=lid, score=score,
                                   note=str(row.get("note") or "").strip()))
    if problems:
        raise ManualInputError(str(path), problems)
    return out


# -- innovation cases ----------------------------------------------------------------------------------

def _resolve(entry: dict, by_name: Mapping[str, list[str]]) -> list[str]:
    names = [entry["site_name"]] if entry.get("site_name") else [entry.get("entity", ""),
                                                                 f"{entry.get('entity', '')}人民政府"]
    return sorted({sid for n in names for sid in by_name.get(n, [])})


def validate_cases(path: Path, sites: Mapping[str, SiteInfo]) -> list[InnovationCase]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ManualInputError(str(path), [f"not valid YAML: {exc}"]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cases", []), list):
        raise ManualInputError(str(path), ["expected a mapping with 'cases': a list of {group, entity, case}"])
    by_name: dict[str, list[str]] = {}
    for sid, s in sites.items():
        by_name.setdefault(s.name, []).append(sid)
    problems: list[str] = []
    out: list[InnovationCase] = []
    for i, entry in enumerate(raw.get("cases") or []):
        where = f"cases[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping {{group, entity, case}}")
            continue
        where += f" ({entry.get('entity', '?')})"
        for extra in sorted(set(entry) - {"group", "entity", "case", "site_name", "note"}):
            problems.append(f"{where}: unknown field {extra!r}")
        for fld in ("group", "entity", "case"):
            if not isinstance(entry.get(fld), str) or not entry[fld].strip():
                problems.append(f"{where}: field {fld!r} missing")
        group = entry.get("group")
        if group not in CASE_GROUPS:
            problems.append(f"{where}: field 'group': {group!r} unknown; use one of {', '.join(CASE_GROUPS)}")
        found = _resolve(entry, by_name)
        if len(found) != 1:
            names = entry.get("site_name") or f"{entry.get('entity')} / {entry.get('entity')}人民政府"
            problems.append(f"{where}: field 'site_name': {names!r} matches {len(found)} inventory sites "
                            f"({', '.join(found) or 'none'}); give the site's exact inventory name in site_name")
            continue
        (sid,) = found
        if group in CASE_GROUPS and sites[sid].level != CASE_GROUPS[group]:
            problems.append(f"{where}: field 'group': {group} case resolved to {sid} ({sites[sid].name}), a "
                            f"{sites[sid].level} site; fix site_name or the group")
            continue
        if all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("entity", "case")):
            out.append(InnovationCase(group=group, entity=entry["entity"], case=entry["case"], site_id=sid))
    for i, entry in enumerate(raw.get("excluded") or []):
        where = f"excluded[{i}] ({entry.get('entity', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict) or not str(entry.get("reason") or "").strip():
            problems.append(f"{where}: an excluded case needs entity, case and reason")
        elif _resolve(entry, by_name):
            problems.append(f"{where}: the entity has a site in the inventory now; move the case to 'cases'")
    if problems:
        raise ManualInputError(str(path), problems)
    return out


# -- the year's inputs ---------------------------------------------------------------------------------

def year_dir(year: int) -> Path:
    return config.inventory_dir() / str(year)


def year_sites(year: int, fallback: Mapping[str, SiteInfo] | None = None) -> Mapping[str, SiteInfo]:
    """The sites manual inputs may name: the year's inventory (include/inventory/{year}/inventory.csv), or
    the run's inventory when the year has none."""
    from govweb import inventory

    path = year_dir(year) / "inventory.csv"
    if path.is_file():
        return {s.site_id: SiteInfo(s.name, s.level) for s in inventory.load(path)}
    return dict(fallback or {})


def sheet_path(year: int) -> Path | None:
    found = [p for p in (year_dir(year) / "expert_scores.csv", year_dir(year) / "expert_scores.xlsx") if p.is_file()]
    if len(found) > 1:
        raise ManualInputError(str(year_dir(year)), ["both expert_scores.csv and expert_scores.xlsx exist; keep one"])
    return found[0] if found else None


def load(year: int, plan, run_sites: Mapping[str, SiteInfo] | None = None) -> ManualInputs:
    """The year's validated expert scores and innovation cases (empty when the files are absent: manual
    leaves then score 0 as manual_missing, innovation leaves 0)."""
    from govweb.frameworks.plan import available, is_set
    from govweb.frameworks.plan import load as load_tree

    sites = year_sites(year, run_sites)
    sources: list[str] = []
    scores: list[ExpertScore] = []
    sheet = sheet_path(year)
    if sheet is not None:
        known = {fw.id: fw for fw in plan.frameworks()}
        for name in available():
            if name not in known and not is_set(name):
                known[name] = load_tree(name)
        scores = validate_sheet(sheet, sites, plan, known)
        sources.append(str(sheet))
    else:
        log.warning("no expert score sheet for %d in %s: manual leaves score 0 (manual_missing)", year, year_dir(year))
    cases: list[InnovationCase] = []
    cases_file = year_dir(year) / "innovation_cases.yaml"
    if cases_file.is_file():
        cases = validate_cases(cases_file, sites)
        sources.append(str(cases_file))
    else:
        log.warning("no innovation cases for %d (%s): innovation leaves score 0", year, cases_file)
    log.info("manual inputs for %d: %d expert score(s), %d innovation case(s)", year, len(scores), len(cases))
    return ManualInputs.of(scores, cases, tuple(sources))
