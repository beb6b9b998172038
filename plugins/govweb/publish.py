"""The published report: a static, offline site plus CSV/JSON exports (DESIGN §8).

Layout under ``out_dir``: ``index.html`` (summary, group tables, most improved, shortcomings),
``sites/{site_id}.html`` (one scorecard per scored site), ``shots/{site_id}.png`` (home-page
screenshots from the evidence store) and ``exports/{findings,scores,rankings}.{csv,json}``.

The output is byte-for-byte deterministic for the same inputs: rows are sorted, there is no
timestamp but ``as_of``. Crawled text is hostile, so Jinja2 autoescaping is always on and only
http(s) URLs become links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from govweb import config
from govweb.ranking import group_order, most_improved, round_total

GROUP_TITLES = {
    "ministry": "国务院部门", "province": "省级政府", "subprovincial_city": "副省级城市",
    "provincial_capital": "省会城市", "prefecture_city": "地级市", "county": "县级政府",
}
EXPORT_TABLES = ("findings", "scores", "rankings")
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(config.templates_dir()),
        autoescape=select_autoescape(["html", "j2", "html.j2"]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def publish_report(
    out_dir: Path,
    *,
    year: int,
    as_of: str,
    framework: dict,
    inventory: pd.DataFrame,
    findings: pd.DataFrame,
    scores: pd.DataFrame,
    rankings: pd.DataFrame,
    get_blob: Callable[[str], bytes],
    screenshot_keys: dict[str, str],
    provenance: str = "",
) -> list[Path]:
    """Write the report site and exports under ``out_dir``; return the written files, sorted.

    `provenance` says how the year (and the previous year compared with) were captured (live, archive...)."""
    out_dir = Path(out_dir)
    env = environment()
    common = {"year": year, "as_of": as_of, "framework_title": framework.get("title", ""), "provenance": provenance}
    scores = scores.sort_values("site_id", kind="stable").reset_index(drop=True)
    written: list[Path] = []

    index = env.get_template("report.html.j2").render(
        **common, summary=summary(scores), groups=group_sections(rankings),
        shortcomings=shortcomings(findings, framework),
    )
    written.append(_write(out_dir / "index.html", index))

    scorecard = env.get_template("scorecard.html.j2")
    indicators = indicator_index(framework)
    urls = {str(s): str(u) for s, u in zip(inventory["site_id"], inventory["url"], strict=True)}
    for row in scores.to_dict("records"):
        site_id = safe_site_id(row["site_id"])
        shot = None
        if site_id in screenshot_keys:
            written.append(_write(out_dir / "shots" / f"{site_id}.png", get_blob(screenshot_keys[site_id])))
            shot = f"../shots/{site_id}.png"
        page = scorecard.render(
            **common, site=scorecard_context(row, indicators, urls.get(site_id, "")), shot=shot,
            findings=site_findings(findings, site_id), placements=site_placements(rankings, site_id),
        )
        written.append(_write(out_dir / "sites" / f"{site_id}.html", page))

    tables = {"findings": sorted_findings(findings), "scores": scores, "rankings": sorted_rankings(rankings)}
    for name in EXPORT_TABLES:
        csv = tables[name].to_csv(index=False, lineterminator="\n")
        written.append(_write(out_dir / "exports" / f"{name}.csv", csv))
        written.append(_write(out_dir / "exports" / f"{name}.json", to_json_records(tables[name])))

    _prune(out_dir / "sites", "*.html", written)
    _prune(out_dir / "shots", "*.png", written)
    return sorted(written)


# -- page contexts (pure) ------------------------------------------------------------------------

def summary(scores: pd.DataFrame) -> dict[str, Any]:
    totals = scores["total"].dropna()
    return {
        "evaluated": int(len(scores)),
        "vetoed": int(scores["veto"].map(_truthy).sum()),
        "mean": fmt_score(round_total(totals.mean())) if len(totals) else "—",
    }


def group_sections(rankings: pd.DataFrame) -> list[dict[str, Any]]:
    """One section per group present: ranked rows in rank order, vetoed rows, most improved."""
    sections = []
    for group in group_order(set(rankings["group"])):
        rows = rankings[rankings["group"] == group]
        vetoed = rows["vetoed"].map(_truthy)
        ranked = rows[~vetoed].sort_values(["rank", "site_id"], kind="stable")
        improved = most_improved(rankings, group) if rows["delta"].notna().any() else rows.iloc[0:0]
        sections.append({
            "id": group, "title": GROUP_TITLES.get(group, group),
            "ranked": [_ranking_row(r) for r in ranked.to_dict("records")],
            "vetoed": [_ranking_row(r) for r in rows[vetoed].sort_values("site_id").to_dict("records")],
            "improved": [_ranking_row(r) for r in improved.to_dict("records")],
        })
    return sections


def shortcomings(findings: pd.DataFrame, framework: dict) -> list[dict[str, Any]]:
    """Checks that some site failed, with the number of failing sites (most common first)."""
    titles: dict[str, str] = {}
    for indicator in indicator_index(framework).values():
        titles.setdefault(indicator["check"], indicator["title"])
    failed = findings[~findings["passed"].map(_truthy)]
    counts = failed.groupby("check_id")["site_id"].nunique()
    rows = [{"check_id": str(c), "title": titles.get(str(c), ""), "failing": int(n)} for c, n in counts.items()]
    return sorted(rows, key=lambda r: (-r["failing"], r["check_id"]))


def indicator_index(framework: dict) -> dict[str, dict[str, Any]]:
    """``{indicator_id: {title, max, check, veto, dimension}}`` in framework order."""
    index = {}
    for dimension in framework.get("dimensions", []):
        for ind in dimension.get("indicators", []):
            index[ind["id"]] = {
                "title": ind.get("title", ind["id"]), "max": float(ind.get("max", 0)),
                "check": ind.get("check", ""), "veto": bool(ind.get("veto", False)),
                "dimension": dimension.get("title", dimension.get("id", "")),
            }
    return index


def scorecard_context(row: dict, indicators: dict[str, dict], url: str) -> dict[str, Any]:
    earned = json.loads(row["indicators"]) if isinstance(row.get("indicators"), str) and row["indicators"] else {}
    order = [i for i in indicators if i in earned] + sorted(set(earned) - set(indicators))
    reasons = [r for r in str(row.get("veto_reasons") or "").split(";") if r.strip()]
    return {
        "site_id": str(row["site_id"]), "name": _text(row["name"]), "url": url, "link": _is_web_url(url),
        "total": fmt_score(round_total(row["total"])), "max_total": fmt_score(round_total(row["max_total"])),
        "grade": str(row["grade"]), "veto": _truthy(row["veto"]),
        "veto_reasons": [{"id": r, "title": indicators.get(r, {}).get("title", "")} for r in reasons],
        "indicators": [{
            "id": i, "title": indicators.get(i, {}).get("title", ""),
            "dimension": indicators.get(i, {}).get("dimension", ""),
            "score": fmt_score(round_total(earned[i])),
            "max": fmt_score(round_total(indicators[i]["max"])) if i in indicators else "—",
        } for i in order],
    }


def site_findings(findings: pd.DataFrame, site_id: str) -> list[dict[str, Any]]:
    rows = sorted_findings(findings[findings["site_id"].astype(str) == site_id])
    return [{
        "check_id": str(r["check_id"]), "passed": _truthy(r["passed"]), "value": _text(r["value"]),
        "detail": _text(r["detail"]), "evidence": [k for k in _text(r["evidence"]).split(";") if k],
    } for r in rows.to_dict("records")]


def site_placements(rankings: pd.DataFrame, site_id: str) -> list[dict[str, Any]]:
    rows = rankings[rankings["site_id"].astype(str) == site_id]
    order = {g: i for i, g in enumerate(group_order(set(rows["group"])))}
    return sorted((_ranking_row(r) for r in rows.to_dict("records")), key=lambda r: order[r["group"]])


# -- helpers -------------------------------------------------------------------------------------

def sorted_findings(findings: pd.DataFrame) -> pd.DataFrame:
    return findings.sort_values(["site_id", "check_id"], kind="stable").reset_index(drop=True)


def sorted_rankings(rankings: pd.DataFrame) -> pd.DataFrame:
    """Groups in ``models.GROUPS`` order; ranked rows by rank then site_id; vetoed rows last."""
    order = {g: i for i, g in enumerate(group_order(set(rankings["group"])))}
    keys = pd.DataFrame({
        "g": rankings["group"].map(order), "v": rankings["vetoed"].map(_truthy),
        "r": rankings["rank"].astype("Float64").fillna(float("inf")), "s": rankings["site_id"].astype(str),
    })
    return rankings.loc[keys.sort_values(["g", "v", "r", "s"], kind="stable").index].reset_index(drop=True)


def to_json_records(frame: pd.DataFrame) -> str:
    records = [{k: _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def fmt_score(value: Any) -> str:
    return f"{float(value):.1f}"


def fmt_delta(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    rounded = round_total(value)
    return "0.0" if rounded == 0 else f"{float(rounded):+.1f}"


def safe_site_id(site_id: Any) -> str:
    """A site_id used as a file name; refuse anything that could escape the output folder."""
    text = str(site_id)
    if not _SAFE_ID.match(text):
        raise ValueError(f"site_id {text!r} is not safe as a file name")
    return text


def _ranking_row(r: dict) -> dict[str, Any]:
    ranked = not pd.isna(r["rank"])
    return {
        "group": str(r["group"]), "group_title": GROUP_TITLES.get(str(r["group"]), str(r["group"])),
        "rank": int(r["rank"]) if ranked else None, "site_id": safe_site_id(r["site_id"]),
        "name": str(r["name"]), "total": fmt_score(r["total"]), "delta": fmt_delta(r["delta"]),
        "tie": bool(r["tie"]) and ranked, "vetoed": _truthy(r["vetoed"]),
    }


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return False if value is None or pd.isna(value) else bool(value)


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(data)
    return path


def _prune(folder: Path, pattern: str, keep: list[Path]) -> None:
    """Remove pages of sites no longer in the report, so a re-run replaces its outputs."""
    if folder.is_dir():
        for stale in set(folder.glob(pattern)) - set(keep):
            stale.unlink()
