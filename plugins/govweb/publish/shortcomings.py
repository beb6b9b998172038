"""Shortcomings (存在的问题): per dimension the defects most sites have, each with anonymised examples.

An example shows the rule, the value found and the detail (the site's name, short names, province, address
and codes replaced by 某市/某县/某部委…), the defect's element quoted from the stored page and pictured from
it with the same names replaced (evidence_view). Examples are picked deterministically: sites whose evidence
includes a stored page first, different levels first, then by a hash of (year, check, site) so the same
sites are not shown for every defect.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from govweb.frameworks.models import Node
from govweb.publish import anonymise, evidence_view
from govweb.publish.inputs import Inputs
from govweb.publish.text import display_value, fmt_share, plain, records

LEVEL_ORDER = ("county", "city", "province", "ministry")


@dataclass(frozen=True)
class Figure:
    """A picture of an example's element in the report (shots/{sha256}.png), names anonymised."""
    href: str
    width: int
    height: int
    alt: str
    page: str


def _rank_key(year: int, check_id: str, site_id: str) -> str:
    return hashlib.sha256(f"{year}:{check_id}:{site_id}".encode()).hexdigest()


def dimension_of_checks(inputs: Inputs) -> tuple[list[str], dict[str, str], dict[str, Node]]:
    """Dimension titles in framework order, check -> dimension title, check -> the leaf that scores it."""
    titles: list[str] = []
    of_check: dict[str, str] = {}
    leaf_of: dict[str, Node] = {}
    for fw in inputs.frameworks.performance():
        for d in fw.dimensions:
            if d.title not in titles:
                titles.append(d.title)
            for leaf in d.leaf_nodes():
                for c in leaf.check_ids:
                    of_check.setdefault(c, d.title)
                    leaf_of.setdefault(c, leaf)
    return titles, of_check, leaf_of


def build(inputs: Inputs, catalogue_titles: dict[str, str], figures: FigureMaker) -> list[dict[str, Any]]:
    report = inputs.report
    titles, of_check, leaf_of = dimension_of_checks(inputs)
    findings = inputs.findings
    evaluated = findings["site_id"].astype(str).nunique()
    failed = findings[findings["status"].astype(str) == "fail"]
    by_check: dict[str, list[dict]] = defaultdict(list)
    for r in records(failed.sort_values(["check_id", "site_id"], kind="stable")):
        by_check[str(r["check_id"])].append(r)
    counts = Counter({c: len({str(r["site_id"]) for r in rows}) for c, rows in by_check.items()})
    sites = {str(r["site_id"]): r for r in inputs.inventory.to_dict("records")}
    per_dim = report.setting("defects_per_dimension", 3)
    out = []
    for title in titles:
        checks = sorted((c for c in counts if of_check.get(c) == title), key=lambda c: (-counts[c], c))[:per_dim]
        defects = []
        for c in checks:
            theme = report.theme_of(c) or {}
            leaf = leaf_of.get(c)
            defects.append({
                "check_id": c, "title": theme.get("theme") or catalogue_titles.get(c, c),
                "check_title": catalogue_titles.get(c, ""), "published": report.published_text(theme.get("theme", "")),
                "failing": counts[c], "evaluated": evaluated, "share": fmt_share(counts[c], evaluated),
                "rule": leaf.rule_text if leaf else "", "leaf": leaf.title if leaf else "",
                "examples": examples(inputs, c, by_check[c], sites, theme.get("locate", []), figures),
            })
        out.append({"dimension": title, "defects": defects})
    return [d for d in out if d["defects"]]


def examples(inputs: Inputs, check_id: str, rows: list[dict], sites: dict[str, dict], locate: list[str],
             figures: FigureMaker) -> list[dict[str, Any]]:
    report = inputs.report
    want = report.setting("examples", 3)

    def has_page(r: dict) -> bool:
        cap = inputs.captures.get(str(r["site_id"]))
        return bool(cap and any(k in cap.pages for k in plain(r["evidence"]).split(";")))

    ranked = sorted(rows, key=lambda r: (not has_page(r), _rank_key(inputs.year, check_id, str(r["site_id"]))))
    picked: list[dict] = []
    levels_seen: set[str] = set()
    for r in ranked:  # different levels first
        level = plain(sites.get(str(r["site_id"]), {}).get("level"))
        if level not in levels_seen and len(picked) < want:
            picked.append(r)
            levels_seen.add(level)
    for r in ranked:
        if len(picked) >= want:
            break
        if r not in picked:
            picked.append(r)
    picked.sort(key=lambda r: (LEVEL_ORDER.index(plain(sites.get(str(r["site_id"]), {}).get("level")))
                               if plain(sites.get(str(r["site_id"]), {}).get("level")) in LEVEL_ORDER else 9,
                               _rank_key(inputs.year, check_id, str(r["site_id"]))))
    return [example(inputs, check_id, r, sites.get(str(r["site_id"]), {"site_id": r["site_id"]}), locate, figures)
            for r in picked]


def example(inputs: Inputs, check_id: str, row: dict, site: dict, locate: list[str],
            figures: FigureMaker) -> dict[str, Any]:
    anon = anonymise.for_site(site, inputs.report.labels.get("levels", {}))
    needles = evidence_view.needles_for(locate, plain(row["value"]), plain(row["detail"]))
    cap = inputs.captures.get(str(row["site_id"]))
    keys = [k for k in plain(row["evidence"]).split(";") if k]
    pages = [k for k in keys if cap is not None and k in cap.pages]
    html, html_key = "", ""
    for key in pages:  # the first stored page that holds one of the defect's words
        try:
            text = evidence_view.page_text(inputs.get_blob(key), cap.pages[key].encoding)
        except KeyError:
            continue
        if evidence_view.quote(text, needles):
            html, html_key = text, key
            break
    page = _page_kind(cap, html_key)
    figure = figures.figure(html, needles, anon, alt=f"{anon.label}网站{page or '页面'}的问题区域") if html else None
    quote = anon(evidence_view.quote(html, needles)) if html else ""
    level = plain(site.get("level"))
    return {"label": anon.label, "level": inputs.report.level(level).get("title", level),
            "value": display_value(anon(row["value"])), "detail": anon(row["detail"]), "quote": quote,
            "figure": figure, "page": page}


def _page_kind(cap, key: str) -> str:
    from govweb.publish.scorecard import PAGE_KINDS

    if cap is None or key not in cap.pages:
        return ""
    return PAGE_KINDS.get(cap.pages[key].kind, "页面")


class FigureMaker:
    """Pictures of examples' elements, written into the report under shots/ (named by content)."""

    def __init__(self, locator: evidence_view.Locator | None, save_png):
        self.locator = locator
        self.save_png = save_png  # png bytes -> path relative to the report's root

    def figure(self, html: str, needles: list[str], anon: anonymise.Anonymiser, alt: str) -> Figure | None:
        if self.locator is None or not self.locator.ready:
            return None
        pic = self.locator.picture(html, needles, anon.rules())
        if pic is None:
            return None
        return Figure(self.save_png(pic.png), pic.width, pic.height, alt, anon(pic.needle))
