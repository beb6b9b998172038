"""Per ranking group: the top ranks in the published style (第四名：湖北省、福建省), the full ranking, the most
improved with their gains, the group's innovation cases and its score distribution."""

from __future__ import annotations

from typing import Any

import pandas as pd

from govweb import ranking
from govweb.publish import charts
from govweb.publish.inputs import Inputs
from govweb.publish.text import fmt_delta, fmt_score, ordinal, plain, safe_site_id, short_name, truthy

# Innovation cases are published per level group; the city cases cover the three city ranking groups.
INNOVATION_GROUP = {"ministry": "ministry", "province": "province", "subprovincial_city": "city",
                    "provincial_capital": "city", "prefecture_city": "city", "county": "county"}
BINS = ((None, 50), (50, 60), (60, 70), (70, 80), (80, 90), (90, None))


def row_view(r: dict, scored: set[str]) -> dict[str, Any]:
    ranked = not pd.isna(r["rank"])
    sid = safe_site_id(r["site_id"])
    return {"rank": int(r["rank"]) if ranked else None, "site_id": sid, "name": plain(r["name"]),
            "short": short_name(r["name"]), "total": fmt_score(r["total"]), "delta": fmt_delta(r["delta"]),
            "tie": bool(truthy(r["tie"]) and ranked), "vetoed": truthy(r["vetoed"]), "linked": sid in scored}


def top_lines(ranked: list[dict], n: int) -> list[dict[str, Any]]:
    """[{rank, ordinal: 第四名, sites: [...]}] for ranks 1..n; tied sites share a line (site_id order)."""
    lines: dict[int, list[dict]] = {}
    for r in ranked:
        if r["rank"] is not None and r["rank"] <= n:
            lines.setdefault(r["rank"], []).append(r)
    return [{"rank": k, "ordinal": ordinal(k), "sites": v, "text": f"{ordinal(k)}：" + "、".join(s["short"] for s in v)}
            for k, v in sorted(lines.items())]


def distribution(totals: list[float]) -> tuple[list[str], list[int]]:
    labels, counts = [], []
    for lo, hi in BINS:
        labels.append(f"<{hi}" if lo is None else f"≥{lo}" if hi is None else f"{lo}–{hi}")
        counts.append(sum(1 for t in totals if (lo is None or t >= lo) and (hi is None or t < hi)))
    return labels, counts


def sections(inputs: Inputs) -> list[dict[str, Any]]:
    report = inputs.report
    rankings = inputs.rankings
    scored = {str(s) for s in inputs.scores["site_id"]}
    n = report.setting("top_n", 10)
    k = report.setting("most_improved", 10)
    cases = inputs.report.innovation
    city_groups = [g for g in ranking.group_order(set(rankings["group"])) if INNOVATION_GROUP.get(g) == "city"]
    out = []
    for group in ranking.group_order(set(rankings["group"])):
        rows = rankings[rankings["group"] == group]
        vetoed = rows["vetoed"].map(truthy)
        ranked_rows = rows[~vetoed].sort_values(["rank", "site_id"], kind="stable")
        ranked = [row_view(r, scored) for r in ranked_rows.to_dict("records")]
        vetoed_rows = [row_view(r, scored) for r in rows[vetoed].sort_values("site_id").to_dict("records")]
        improved = ranking.most_improved(rankings, group, k) if rows["delta"].notna().any() else rows.iloc[0:0]
        inno = INNOVATION_GROUP.get(group)
        show_cases = inno != "city" or (city_groups and group == city_groups[-1])
        group_cases = [_case(c, scored) for c in cases if c["group"] == inno] if show_cases else []
        labels, counts = distribution([float(t) for t in ranked_rows["total"]])
        out.append({
            "id": group, "title": report.group_title(group), "size": int(len(rows)),
            "ranked_count": len(ranked), "top": top_lines(ranked, n), "ranked": ranked, "vetoed": vetoed_rows,
            "improved": [row_view(r, scored) for r in improved.to_dict("records")],
            "has_previous": bool(rows["delta"].notna().any()),
            "cases": group_cases, "cases_title": _cases_title(inno),
            "chart": charts.distribution(f"dist-{group}", labels, counts) if ranked else "",
            "distribution": list(zip(labels, counts, strict=True)),
        })
    return out


def _case(c: dict, scored: set[str]) -> dict[str, Any]:
    sid = c.get("site_id") or ""
    return {"entity": c["entity"], "case": c["case"], "site_id": sid, "linked": sid in scored}


def _cases_title(group: str | None) -> str:
    return {"ministry": "国务院部门", "province": "省级政府", "city": "副省级城市、省会城市和地级市",
            "county": "区县"}.get(group or "", "")
