"""Regional imbalance (区域发展不平衡): the mean score rate per dimension in the east, centre, west and
north-east, and nationally, over every site's ranking-framework row.

Rates (score / the dimension's maximum) let the ministry and local frameworks, whose dimensions share titles
but not maxima, be averaged together; the national column is every site of the year, ministries included."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from govweb.publish import charts
from govweb.publish.inputs import Inputs
from govweb.publish.scorecard import Tables, dimension_rates, performance_row
from govweb.publish.text import plain


def rates_by_site(inputs: Inputs, tables: Tables) -> dict[str, dict[str, float]]:
    """{site_id: {dimension title: rate %}} on each site's ranking framework."""
    out = {}
    for site in inputs.inventory.to_dict("records"):
        sid = str(site["site_id"])
        row, fw = performance_row(tables.scores.get(sid, []), inputs, plain(site.get("level")))
        if row is not None and fw is not None:
            out[sid] = {d["title"]: d["rate"] for d in dimension_rates(row, fw)}
    return out


def build(inputs: Inputs, rates: dict[str, dict[str, float]]) -> dict[str, Any]:
    report = inputs.report
    titles: list[str] = []
    for fw in inputs.frameworks.performance():
        titles += [d.title for d in fw.dimensions if d.title not in titles]
    region_of = {str(s): plain(r) for s, r in zip(inputs.inventory["site_id"], inputs.inventory["region"], strict=True)}
    sums: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for sid, by_dim in rates.items():
        for title, rate in by_dim.items():
            sums["national"][title].append(rate)
            region = region_of.get(sid, "")
            if region and region != "national":
                sums[region][title].append(rate)
    series, rows = [], []
    for region, label in report.regions.items():
        if region not in sums:
            continue
        values = [_mean(sums[region].get(t, [])) for t in titles]
        count = len({sid for sid in rates if region == "national" or region_of.get(sid) == region})
        series.append((label, values))
        rows.append({"region": label, "sites": count, "values": ["—" if v is None else f"{v:.1f}" for v in values],
                     "overall": _overall(values)})
    chart = charts.regional("regions", titles, series) if series else ""
    return {"dimensions": titles, "rows": rows, "chart": chart}


def group_averages(inputs: Inputs, rates: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """{group: {dimension title: mean rate}} over the group's ranked and vetoed sites."""
    members: dict[str, list[str]] = defaultdict(list)
    for r in inputs.rankings[["group", "site_id"]].itertuples(index=False):
        members[str(r.group)].append(str(r.site_id))
    out = {}
    for group, sids in members.items():
        acc: dict[str, list[float]] = defaultdict(list)
        for sid in sids:
            for title, rate in rates.get(sid, {}).items():
                acc[title].append(rate)
        out[group] = {t: (_mean(v) or 0.0) for t, v in acc.items()}
    return out


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _overall(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    return f"{sum(got) / len(got):.1f}" if got else "—"
