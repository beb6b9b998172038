"""Highlights (亮点): adoption of key features per inventory level, counted from findings, with the share,
the previous year's share when its findings exist, and the published figure when the year's facts give one.

A site counts for a measure when its finding passes (or its value holds every listed word, e.g. the
media.channels value `weibo;wechat;app`); the base is every site of the level with a finding for the check
(sites that could not be measured are counted in the base: a feature nobody could see is not adopted)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from govweb.models import LEVELS
from govweb.publish.inputs import Inputs
from govweb.publish.text import fmt_share, plain, records


def adopted(row: dict, when: Any) -> bool:
    if when == "pass":
        return plain(row.get("status")) == "pass"
    if isinstance(when, dict) and "value_has" in when:
        have = {w.strip() for w in plain(row.get("value")).split(";") if w.strip()}
        return all(w in have for w in when["value_has"])
    raise ValueError(f"highlight condition {when!r} unknown; use pass or {{value_has: [...]}}")


def counts(findings: pd.DataFrame | None, levels: dict[str, str], measures: list[dict]) -> dict[tuple[str, str], tuple]:
    """{(level, measure id): (adopted, base)}"""
    if findings is None or not len(findings):
        return {}
    wanted = {m["check"] for m in measures}
    rows = findings[findings["check_id"].astype(str).isin(wanted)]
    by_check: dict[str, list[dict]] = {}
    for r in records(rows):
        by_check.setdefault(str(r["check_id"]), []).append(r)
    out = {}
    for m in measures:
        tally: dict[str, list[int]] = {}
        for r in by_check.get(m["check"], []):
            level = levels.get(str(r["site_id"]))
            if level is None:
                continue
            t = tally.setdefault(level, [0, 0])
            t[1] += 1
            t[0] += adopted(r, m["when"])
        for level, (k, n) in tally.items():
            out[(level, m["id"])] = (k, n)
    return out


def build(inputs: Inputs) -> dict[str, Any]:
    report = inputs.report
    measures = list(report.labels.get("highlights", []))
    levels = {str(s): plain(lv) for s, lv in zip(inputs.inventory["site_id"], inputs.inventory["level"], strict=True)}
    now = counts(inputs.findings, levels, measures)
    prev_findings = inputs.previous.findings if inputs.previous is not None else None
    before = counts(prev_findings, levels, measures)
    published = {(p["level"], p["highlight"]): p for p in report.facts.get("published_highlights", [])}
    present = [lvl for lvl in LEVELS if any(k[0] == lvl for k in now)]
    tables = []
    for level in present:
        info = report.level(level)
        rows = []
        for m in measures:
            if (level, m["id"]) not in now:
                continue
            k, n = now[(level, m["id"])]
            prev = before.get((level, m["id"]))
            change = None
            if prev and prev[1] and n:
                change = f"{100 * (k / n - prev[0] / prev[1]):+.1f}个百分点"
            pub = published.get((level, m["id"]))
            rows.append({"id": m["id"], "title": m["title"], "adopted": k, "base": n, "share": fmt_share(k, n),
                         "previous": fmt_share(*prev) if prev else "", "change": change or "",
                         "published": _published(pub), "published_text": pub["text"] if pub else "",
                         "sentence": f"{n}{info.get('unit', '个网站')}中，{k}个{m['phrase']}"})
        tables.append({"level": level, "title": info.get("title", level), "rows": rows})
    return {"levels": tables, "previous_year": inputs.previous.year if prev_findings is not None else None,
            "has_published": any(r["published"] for t in tables for r in t["rows"])}


def _published(pub: dict | None) -> str:
    if not pub:
        return ""
    if "count" in pub:
        return f"{pub['count']}个"
    if "share" in pub:
        return f"{100 * float(pub['share']):.0f}%"
    return ""
