"""Framework loading (validated YAML) and the scoring engine: rules, vetoes, dimension totals."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from govweb import config
from govweb.models import SCORE_COLUMNS

RULES = ("binary", "per_unit")


class FrameworkError(ValueError):
    pass


def framework_path(name: str) -> Path:
    return config.checks_dir() / f"{name}.yaml"


def _indicator_problems(where: str, ind: dict, known_checks: set[str]) -> list[str]:
    p = []
    for key in ("id", "title", "check", "max", "rule"):
        if key not in ind:
            p.append(f"{where}: missing {key!r}")
    if ind.get("check") and known_checks and ind["check"] not in known_checks:
        p.append(f"{where}: check {ind['check']!r} is not in the check catalogue (include/checks/catalogue.yaml)")
    if ind.get("rule") not in RULES:
        p.append(f"{where}: rule {ind.get('rule')!r} unknown; use one of {', '.join(RULES)}")
    if not isinstance(ind.get("max"), int | float) or ind.get("max", 0) <= 0:
        p.append(f"{where}: max must be a positive number, got {ind.get('max')!r}")
    if ind.get("rule") == "per_unit" and not (isinstance(ind.get("per_unit"), int | float) and ind["per_unit"] > 0):
        p.append(f"{where}: rule per_unit needs a positive 'per_unit', got {ind.get('per_unit')!r}")
    return p


def validate(fw: dict, source: str, known_checks: set[str]) -> dict:
    problems = [f"missing {k!r}" for k in ("id", "title", "max_total", "pass_mark", "dimensions") if k not in fw]
    seen: set[str] = set()
    total = Decimal(0)
    for d, dim in enumerate(fw.get("dimensions") or []):
        for i, ind in enumerate(dim.get("indicators") or []):
            where = f"dimensions[{d}] ({dim.get('id')}) indicators[{i}] ({ind.get('id')})"
            problems += _indicator_problems(where, ind, known_checks)
            if ind.get("id") in seen:
                problems.append(f"{where}: duplicate indicator id")
            seen.add(ind.get("id"))
            ind.setdefault("veto", False)
            total += Decimal(str(ind.get("max", 0)))
    if "max_total" in fw and total != Decimal(str(fw["max_total"])):
        problems.append(f"indicator maxima sum to {total}, but max_total is {fw['max_total']}")
    if problems:
        raise FrameworkError(f"framework {source} is invalid:\n  " + "\n  ".join(problems))
    return fw


def load(name: str, known_checks: set[str] | None = None) -> dict:
    path = framework_path(name)
    if not path.is_file():
        available = sorted(p.stem for p in config.checks_dir().glob("*.yaml") if p.stem != "catalogue")
        raise FrameworkError(f"framework {name!r} not found at {path}; available: {', '.join(available)}")
    if known_checks is None:
        from govweb import catalogue

        known_checks = set(catalogue.default().ids)
    return validate(yaml.safe_load(path.read_text(encoding="utf-8")), str(path), known_checks)


def check_ids(fw: dict) -> list[str]:
    return sorted({ind["check"] for dim in fw["dimensions"] for ind in dim["indicators"]})


def load_thresholds() -> dict:
    """Every check's thresholds, from the catalogue (include/checks/catalogue.yaml)."""
    from govweb import catalogue

    return catalogue.default().thresholds()


def finding_status(finding: dict | None) -> str:
    """pass|fail|not_applicable|not_measured (a missing finding is not measured)."""
    if finding is None:
        return "not_measured"
    status = finding.get("status")
    if isinstance(status, str) and status:
        return status
    return "pass" if finding.get("passed") is True else "fail"  # a table written before findings had a status


def indicator_score(ind: dict, finding: dict | None) -> Decimal:
    """Stated rule for the two extra states: not_applicable earns the full mark (the element the check
    looks at does not exist, and another indicator charges for that); not_measured earns nothing (a site
    that could not be crawled never gets a silent full mark)."""
    top = Decimal(str(ind["max"]))
    status = finding_status(finding)
    if status == "not_measured":
        return Decimal(0)
    if status in ("pass", "not_applicable"):
        return top
    if ind["rule"] == "binary":
        return Decimal(0)
    try:
        units = Decimal(str(finding["value"]))
    except ArithmeticError:
        return Decimal(0)  # failed without a count (e.g. the site was not captured): no marks
    if not units.is_finite() or units < 0:
        return Decimal(0)
    return min(top, max(Decimal(0), top - Decimal(str(ind["per_unit"])) * units))


def score(findings: pd.DataFrame, inventory: pd.DataFrame, fw: dict, year: int) -> pd.DataFrame:
    """One row per inventory site; exact decimal arithmetic so results are identical byte for byte."""
    by_site: dict[str, dict[str, dict]] = {}
    for row in findings.to_dict("records"):
        by_site.setdefault(row["site_id"], {})[row["check_id"]] = row
    rows = []
    for site in inventory.sort_values("site_id").to_dict("records"):
        got = by_site.get(site["site_id"], {})
        indicators, dims, vetoes = {}, {}, []
        for dim in fw["dimensions"]:
            sub = Decimal(0)
            for ind in dim["indicators"]:
                f = got.get(ind["check"])
                s = indicator_score(ind, f)
                indicators[ind["id"]] = float(s)
                sub += s
                if ind["veto"] and finding_status(f) in ("fail", "not_measured"):
                    vetoes.append(ind["id"])
            dims[f"dim:{dim['id']}"] = float(sub)
        total = sum(Decimal(str(v)) for v in indicators.values())
        veto = bool(vetoes)
        rows.append({
            "site_id": site["site_id"], "name": site["name"], "year": year, "framework": fw["id"],
            "total": float(total), "max_total": float(fw["max_total"]), "veto": veto,
            "veto_reasons": ";".join(vetoes),
            "grade": "pass" if not veto and total >= Decimal(str(fw["pass_mark"])) else "fail",
            "indicators": json.dumps(indicators, ensure_ascii=False, sort_keys=True), **dims,
        })
    dim_cols = [f"dim:{d['id']}" for d in fw["dimensions"]]
    return pd.DataFrame(rows, columns=[*SCORE_COLUMNS, *dim_cols])
