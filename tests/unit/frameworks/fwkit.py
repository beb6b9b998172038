"""Small frameworks, findings and inventories for the framework tests."""

from __future__ import annotations

import copy
from decimal import Decimal

import pandas as pd

from govweb import catalogue
from govweb.frameworks import Framework, engine
from govweb.frameworks.loader import parse
from govweb.frameworks.manual import ManualInputs
from govweb.models import FINDING_COLUMNS, INVENTORY_COLUMNS

CAT = catalogue.default()


def leaf(lid: str, top: float, **kw) -> dict:
    return {"id": lid, "title": f"叶{lid}", "max": top, **kw}


def raw(*leaves: dict, kind: str = "performance", pass_mark: float = 0, fid: str = "t") -> dict:
    """One dimension `d` holding one indicator `i` holding the leaves; maxima add up."""
    exact = sum((Decimal(str(lf["max"])) for lf in leaves), Decimal(0))
    total = int(exact) if exact == exact.to_integral_value() else float(exact)
    return {"id": fid, "title": "测试", "kind": kind, "max_total": total or 1, "pass_mark": pass_mark,
            "notes": "权重为本项目自定", "dimensions": [
                {"id": "d", "title": "维度", "max": total, "indicators": [
                    {"id": "i", "title": "指标", "max": total, "leaves": copy.deepcopy(list(leaves))}]}]}


def tree(*leaves: dict, **kw) -> Framework:
    return parse(raw(*leaves, **kw), "t.yaml", CAT)


def inventory(*site_ids: str, level: str = "city") -> pd.DataFrame:
    return pd.DataFrame([{
        "site_id": s, "name": f"网站{s}", "url": f"http://s{s}.gov.test/", "level": level, "groups": "county",
        "region": "east", "province": "P", "parent_id": "", "active": True, "site_code": "",
    } for s in site_ids], columns=list(INVENTORY_COLUMNS))


def findings(per_site: dict[str, dict[str, tuple[str, str]]]) -> pd.DataFrame:
    """per_site: {site_id: {check_id: (status, value)}}."""
    rows = [{"site_id": s, "year": 2018, "check_id": c, "passed": {"pass": True, "fail": False}.get(st, ""),
             "value": v, "detail": "", "evidence": "", "status": st}
            for s, checks in per_site.items() for c, (st, v) in checks.items()]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def score_one(fw, checks: dict[str, tuple[str, str]], manual: ManualInputs | None = None, level: str = "city"):
    """(score row, {leaf_id: indicator row}) of one site `A`."""
    out = engine.score(findings({"A": checks}), inventory("A", level=level), fw, 2018, manual)
    assert len(out.scores) == 1 or not isinstance(fw, Framework)
    rows = {r["leaf_id"]: r for r in out.indicators.to_dict("records")}
    return out.scores.iloc[0].to_dict(), rows


# A passing finding for every check of the catalogue, with a value of the check's type.
PASS_VALUE = {"count": "0", "days": "1", "rate": "0", "flag": "true", "text": "x"}
ALL_PASS = {cid: ("pass", PASS_VALUE[spec.value]) for cid, spec in CAT.checks.items()}
