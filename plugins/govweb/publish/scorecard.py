"""One site's scorecard (成绩单): the performance score beside the inspection grade, rank and change per
group, the dimension breakdown, every leaf with its score, maximum, rule and status, and every deduction
with the value found, the Chinese detail and its evidence."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from govweb.frameworks.models import Framework, LeafRef
from govweb.publish.inputs import CaptureInfo, Inputs
from govweb.publish.text import (
    display_value,
    fmt_delta,
    fmt_score,
    is_web_url,
    number,
    plain,
    records,
    safe_site_id,
    short_name,
    truthy,
)
from govweb.ranking import group_order

LEAF_STATUS_TITLES = {
    "scored": "按规则评分", "not_applicable": "不适用（得满分）", "not_measured": "未测得（0分）",
    "manual": "专家评分", "manual_missing": "缺专家评分（0分）", "innovation": "创新案例加分", "veto": "单项否决",
}
FINDING_STATUS_TITLES = {"pass": "通过", "fail": "未通过", "not_applicable": "不适用", "not_measured": "未测得"}
PAGE_KINDS = {"home": "首页", "column": "栏目页", "article": "文章页", "search": "搜索结果页", "board": "留言列表页",
              "letter": "留言详情页", "guide": "办事指南页", "disclosure": "信息公开页", "other": "页面"}


def grade_text(grade: Any) -> str:
    text = plain(grade)
    return {"pass": "合格", "fail": "不合格"}.get(text, text or "—")


@dataclass
class Tables:
    """The year's tables indexed by site once (a scorecard never scans a whole table)."""
    findings: dict[str, list[dict]] = field(default_factory=dict)
    scores: dict[str, list[dict]] = field(default_factory=dict)
    leaves: dict[tuple[str, str], list[dict]] = field(default_factory=dict)  # (site, framework) -> rows
    rankings: dict[str, list[dict]] = field(default_factory=dict)
    previous: dict[str, list[dict]] = field(default_factory=dict)
    group_sizes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def index(cls, inputs: Inputs) -> Tables:
        t = cls()
        t.findings = _by_site(inputs.findings.sort_values(["site_id", "check_id"], kind="stable"))
        t.scores = _by_site(inputs.scores)
        if inputs.indicator_scores is not None and len(inputs.indicator_scores):
            grouped: dict[tuple[str, str], list[dict]] = defaultdict(list)
            for r in records(inputs.indicator_scores):
                grouped[(str(r["site_id"]), str(r["framework"]))].append(r)
            t.leaves = dict(grouped)
        t.rankings = _by_site(inputs.rankings)
        ranked = inputs.rankings[~inputs.rankings["vetoed"].map(truthy)]
        t.group_sizes = {str(g): int(n) for g, n in ranked.groupby("group").size().items()}
        if inputs.previous is not None and inputs.previous.scores is not None:
            t.previous = _by_site(inputs.previous.scores)
        return t


def _by_site(frame: pd.DataFrame) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in records(frame):
        out[str(r["site_id"])].append(r)
    return dict(out)


def performance_row(rows: list[dict], inputs: Inputs, level: str) -> tuple[dict | None, Framework | None]:
    """The site's row on its ranking framework (by level), else its first non-inspection row."""
    fw = inputs.frameworks.ranking_for(level)
    for r in rows:
        if fw is not None and str(r["framework"]) == fw.id:
            return r, fw
    for r in rows:
        other = inputs.frameworks.get(str(r["framework"]))
        if other is None or other.kind != "inspection":
            return r, other or fw
    return None, fw


def inspection_row(rows: list[dict], inputs: Inputs) -> tuple[dict | None, Framework | None]:
    fw = inputs.frameworks.inspection()
    if fw is None:
        return None, None
    return next((r for r in rows if str(r["framework"]) == fw.id), None), fw


def dimension_rates(row: dict, fw: Framework) -> list[dict]:
    out = []
    for d in fw.dimensions:
        got = number(row.get(f"dim:{d.id}"), default=float("nan"))
        if got != got:  # no subtotal column: sum the leaves
            scores = _leaf_scores(row)
            got = sum(scores.get(leaf.id, 0.0) for leaf in d.leaf_nodes())
        top = float(d.max)
        out.append({"id": d.id, "title": d.title, "score": got, "max": top,
                    "rate": 100.0 * got / top if top else 0.0})
    return out


def _leaf_scores(row: dict) -> dict[str, float]:
    raw = row.get("indicators")
    if isinstance(raw, str) and raw:
        return {k: number(v) for k, v in json.loads(raw).items()}
    return {}


def leaf_rows(site_id: str, row: dict, fw: Framework, tables: Tables) -> list[dict]:
    """Every leaf of the framework for the site: from indicator_scores.csv, else from the score row."""
    stored = tables.leaves.get((site_id, fw.id))
    if stored:
        by_id = {str(r["leaf_id"]): r for r in stored}
        out = []
        for ref in fw.leaves():
            r = by_id.get(ref.leaf.id)
            if r is None:
                continue
            out.append(_leaf_view(ref, number(r["score"]), number(r["max"], float(ref.leaf.max)), plain(r["status"]),
                                  plain(r["rule"]) or ref.leaf.rule_text,
                                  [c for c in plain(r["check_ids"]).split(";") if c], plain(r["value"])))
        return out
    scores = _leaf_scores(row)
    vetoed = {v for v in plain(row.get("veto_reasons")).split(";") if v}
    findings = {str(f["check_id"]): f for f in tables.findings.get(site_id, [])}
    out = []
    for ref in fw.leaves():
        leaf = ref.leaf
        statuses = [plain(findings[c]["status"]) if c in findings else "not_measured" for c in leaf.check_ids]
        status = ("veto" if leaf.id in vetoed else "not_measured" if "not_measured" in statuses
                  else "not_applicable" if statuses and all(s == "not_applicable" for s in statuses)
                  else "scored" if leaf.source == "auto" else leaf.source)
        value = ";".join(f"{c}={plain(findings[c]['value'])}" for c in leaf.check_ids if c in findings)
        out.append(_leaf_view(ref, scores.get(leaf.id, 0.0), float(leaf.max), status, leaf.rule_text,
                              list(leaf.check_ids), value))
    return out


def _leaf_view(ref: LeafRef, score: float, top: float, status: str, rule: str, checks: list[str], value: str) -> dict:
    leaf = ref.leaf
    return {"id": leaf.id, "title": leaf.title, "dimension": ref.dimension.title, "indicator": ref.indicator.title,
            "score": fmt_score(score), "max": fmt_score(top), "lost": max(0.0, top - score), "status": status,
            "status_title": LEAF_STATUS_TITLES.get(status, status), "rule": rule, "checks": checks, "value": value,
            "source": leaf.source, "veto": leaf.veto}


def evidence_links(keys: list[str], capture: CaptureInfo | None, shot_href: str | None,
                   source_href: dict[str, str]) -> list[dict]:
    """Evidence keys as the scorecard shows them: what each is, a link to the screenshot or the escaped source
    of the stored page when the report holds it, and the key as text."""
    out = []
    for key in keys:
        page = capture.pages.get(key) if capture else None
        item = {"key": key, "what": "采集记录" if key.endswith("capture.json") else "证据",
                "url": "", "shot": None, "source": source_href.get(key)}
        if page is not None:
            item.update(what=PAGE_KINDS.get(page.kind, "页面"), url=page.url)
            if page.screenshot_key and shot_href and capture and page.screenshot_key == capture.home_shot:
                item["shot"] = shot_href
        elif "/shots/" in key and shot_href and capture and key == capture.home_shot:
            item.update(what="首页截图", shot=shot_href)
        out.append(item)
    return out


def deductions(site_id: str, leaves: list[dict], tables: Tables, inputs: Inputs, catalogue_titles: dict[str, str],
               shot_href: str | None, quotes: dict[tuple[str, str], str], source_href: dict[str, str]) -> list[dict]:
    capture = inputs.captures.get(site_id)
    findings = {str(f["check_id"]): f for f in tables.findings.get(site_id, [])}
    out = []
    for leaf in leaves:
        if leaf["lost"] <= 0 and leaf["status"] != "veto":
            continue
        items = []
        for c in leaf["checks"]:
            f = findings.get(c)
            if f is None:
                items.append({"check_id": c, "title": catalogue_titles.get(c, ""), "status": "未测得",
                              "value": "", "detail": "没有该检查项的结果", "evidence": [], "quote": ""})
                continue
            keys = [k for k in plain(f["evidence"]).split(";") if k]
            items.append({
                "check_id": c, "title": catalogue_titles.get(c, ""),
                "status": FINDING_STATUS_TITLES.get(plain(f["status"]), plain(f["status"])),
                "value": display_value(f["value"]), "detail": plain(f["detail"]),
                "evidence": evidence_links(keys, capture, shot_href, source_href),
                "quote": quotes.get((site_id, c), ""),
            })
        out.append({**leaf, "lost": fmt_score(leaf["lost"]), "findings": items})
    return out


def placements(site_id: str, tables: Tables, report) -> list[dict]:
    rows = tables.rankings.get(site_id, [])
    order = {g: i for i, g in enumerate(group_order({str(r["group"]) for r in rows}))}
    out = []
    for r in sorted(rows, key=lambda r: order[str(r["group"])]):
        ranked = not pd.isna(r["rank"])
        out.append({"group": str(r["group"]), "group_title": report.group_title(str(r["group"])),
                    "rank": int(r["rank"]) if ranked else None, "tie": bool(truthy(r["tie"]) and ranked),
                    "delta": fmt_delta(r["delta"]), "vetoed": truthy(r["vetoed"]),
                    "of": tables.group_sizes.get(str(r["group"]), 0), "total": fmt_score(r["total"])})
    return out


def finding_rows(site_id: str, tables: Tables, catalogue_titles: dict[str, str]) -> list[dict]:
    return [{"check_id": str(f["check_id"]), "title": catalogue_titles.get(str(f["check_id"]), ""),
             "status": plain(f["status"]) or ("pass" if truthy(f["passed"]) else "fail"),
             "status_title": FINDING_STATUS_TITLES.get(plain(f["status"]), plain(f["status"])),
             "value": display_value(f["value"]), "detail": plain(f["detail"])}
            for f in tables.findings.get(site_id, [])]


def context(site: dict, inputs: Inputs, tables: Tables, *, catalogue_titles: dict[str, str],
            shot_href: str | None, chart: str, quotes: dict, source_href: dict[str, str]) -> dict[str, Any]:
    site_id = safe_site_id(site["site_id"])
    rows = tables.scores.get(site_id, [])
    level = plain(site.get("level"))
    perf, perf_fw = performance_row(rows, inputs, level)
    insp, insp_fw = inspection_row(rows, inputs)
    report = inputs.report
    leaves = leaf_rows(site_id, perf, perf_fw, tables) if perf is not None and perf_fw is not None else []
    previous = next((r for r in tables.previous.get(site_id, []) if perf is not None
                     and str(r["framework"]) == str(perf["framework"])), None)
    url = plain(site.get("url"))
    return {
        "site": {"site_id": site_id, "name": plain(site.get("name")), "short": short_name(site.get("name")),
                 "url": url, "link": is_web_url(url), "level": report.level(level).get("title", level),
                 "region": report.regions.get(plain(site.get("region")), plain(site.get("region"))),
                 "province": plain(site.get("province"))},
        "performance": _score_view(perf, perf_fw),
        "inspection": _score_view(insp, insp_fw),
        "previous": {"year": inputs.previous.year, "total": fmt_score(previous["total"]),
                     "delta": fmt_delta(number(perf["total"]) - number(previous["total"]))}
        if previous is not None and perf is not None else None,
        "placements": placements(site_id, tables, report),
        "dimensions": dimension_rates(perf, perf_fw) if perf is not None and perf_fw is not None else [],
        "leaves": leaves,
        "deductions": deductions(site_id, leaves, tables, inputs, catalogue_titles, shot_href, quotes, source_href),
        "findings": finding_rows(site_id, tables, catalogue_titles),
        "shot": shot_href, "chart": chart,
    }


def _score_view(row: dict | None, fw: Framework | None) -> dict | None:
    if row is None:
        return None
    reasons = [r for r in plain(row.get("veto_reasons")).split(";") if r]
    return {"framework": fw.title if fw else plain(row.get("framework")), "total": fmt_score(row["total"]),
            "max_total": fmt_score(row["max_total"]), "grade": grade_text(row["grade"]),
            "passed": plain(row["grade"]) in ("pass", "合格"), "veto": truthy(row["veto"]),
            "veto_reasons": [{"id": r, "title": (fw.leaf(r).title if fw and fw.leaf(r) else "")} for r in reasons]}

