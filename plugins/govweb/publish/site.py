"""Write the report folder: the annual report, one scorecard and one results.json per site, the screenshots
and stored pages they cite, and the exports. Certificates are a separate step (certificates.py).

Layout under the output folder:
    index.html                      the annual report
    sites/{site_id}.html|.json      scorecard and the site's machine-readable results
    shots/{sha256}.png              stored screenshots (named by content, as in the evidence store)
    pages/{sha256}.html             stored pages cited by deductions, as escaped source text
    exports/{findings,scores,rankings,indicator_scores}.{csv,json}, exports/results.xlsx
    certificates/{site_id}.html|.pdf   (certificates step)

Apart from the generation time printed in each page's footer, the same stored results give the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from govweb import config
from govweb.frameworks.models import SOURCE_TITLES
from govweb.publish import charts, evidence_view, exports, groups, highlights, regions, scorecard, shortcomings
from govweb.publish.inputs import Inputs
from govweb.publish.text import fmt_score, plain, prune, safe_site_id, to_json_records, truthy, write

log = logging.getLogger(__name__)
_BLOB_NAME = re.compile(r"^[0-9a-f]{16,64}\.html$")
IMAGE_TYPES = ("png", "jpg", "jpeg")
SOURCE_PAGES_PER_SITE = 6  # stored pages a scorecard shows as source text (the rest are listed by key)
SOURCE_CHARS = 400_000  # of a stored page shown as source text (the rest is in the evidence store)


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template (crawled text is hostile input)."""
    return Environment(loader=FileSystemLoader(config.templates_dir()), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def catalogue_titles() -> dict[str, str]:
    from govweb import catalogue

    try:
        return {cid: spec.title for cid, spec in catalogue.default().checks.items()}
    except Exception:  # noqa: BLE001 - titles are cosmetic; a report without them still stands
        return {}


class Writer:
    """Collects written files; copies blobs from the evidence store into the report once."""

    def __init__(self, out: Path, get_blob: Callable[[str], bytes]):
        self.out, self.get_blob = out, get_blob
        self.written: list[Path] = []
        self._copied: dict[str, str] = {}  # store key -> path in the report

    def write(self, rel: str, content: str | bytes) -> Path:
        path = write(self.out / rel, content)
        self.written.append(path)
        return path

    def blob(self, key: str, folder: str) -> str:
        """Copy a screenshot to {folder}/{sha256 of its bytes}.{ext}; return its path relative to the root."""
        if key not in self._copied:
            ext = key.rsplit(".", 1)[-1].lower()
            try:
                data = self.get_blob(key) if ext in IMAGE_TYPES else b""
            except KeyError:
                log.warning("evidence blob %s is missing from the store", key)
                data = b""
            self._copied[key] = f"{folder}/{hashlib.sha256(data).hexdigest()}.{ext}" if data else ""
            if data:
                self.write(self._copied[key], data)
        return self._copied[key]

    def png(self, data: bytes) -> str:
        rel = f"shots/{hashlib.sha256(data).hexdigest()}.png"
        self.write(rel, data)
        return rel

    def source_view(self, key: str, page, text: str, size: int, template, common: dict) -> str:
        """pages/{sha}.html: a stored page as escaped source text, written once per page (not evidence/: under
        `govweb evaluate` the report folder may hold the evidence store itself)."""
        name = key.rsplit("/", 1)[-1]
        if not _BLOB_NAME.match(name):
            return ""
        if "view:" + key not in self._copied:
            rel = f"pages/{name}"
            shown = text[:SOURCE_CHARS]
            self.write(rel, template.render(**common, url=page.url, key=key, size=size, source=shown,
                                            cut=len(text) - len(shown)))
            self._copied["view:" + key] = rel
        return self._copied["view:" + key]


def publish(out_dir: str | Path, inputs: Inputs, *, locate: bool = True) -> list[Path]:
    """Write the report of `inputs` under out_dir; return the written files, sorted."""
    t0 = time.monotonic()
    out = Path(out_dir)
    env = environment()
    inputs.generated = inputs.generated or datetime.now().astimezone().isoformat(timespec="seconds")
    w = Writer(out, inputs.get_blob)
    titles = catalogue_titles()
    tables = scorecard.Tables.index(inputs)
    rates = regions.rates_by_site(inputs, tables)
    common = common_context(inputs)

    with ThreadPoolExecutor(1) as pool:  # pictures in their own thread: a browser waits, Python works
        pending = pool.submit(shortcomings_with_pictures, inputs, titles, w, locate)
        frames = exports.tables(inputs)
        per_site = exports.site_rows(frames)
        cards = write_scorecards(w, env, inputs, tables, rates, titles, common, per_site)
        write_exports(w, inputs, frames)
        defects, shown = pending.result()
    t1 = time.monotonic()
    index = env.get_template("report.html.j2").render(
        **common, scope=scope(inputs), summary=summary(inputs, tables), frameworks=framework_rows(inputs),
        groups=groups.sections(inputs), highlights=highlights.build(inputs), shortcomings=defects,
        figures_shown=shown, regions=regions.build(inputs, rates), downloads=downloads(frames),
    )
    w.write("index.html", index)
    prune(out / "sites", "*", [p for p in w.written if p.parent == out / "sites"])
    prune(out / "shots", "*", [p for p in w.written if p.parent == out / "shots"])
    prune(out / "pages", "*", [p for p in w.written if p.parent == out / "pages"])
    log.info("report: %d scorecards in %.1fs, %d files in %.1fs", cards, t1 - t0, len(w.written),
             time.monotonic() - t0)
    return sorted(set(w.written))


def shortcomings_with_pictures(inputs: Inputs, titles: dict[str, str], w: Writer, locate: bool):
    """The shortcomings section, its examples pictured by one Chromium (in a thread of its own: the sync
    Playwright API refuses a thread that runs an asyncio loop, which Airflow or a caller may)."""
    locator = evidence_view.Locator() if locate else None
    if locator is None:
        return shortcomings.build(inputs, titles, shortcomings.FigureMaker(None, w.png)), False
    with locator:
        defects = shortcomings.build(inputs, titles, shortcomings.FigureMaker(locator, w.png))
        return defects, not locator.failed


def common_context(inputs: Inputs) -> dict[str, Any]:
    report = inputs.report
    perf = inputs.frameworks.performance()
    names = "、".join(f.title for f in perf)
    return {"year": inputs.year, "as_of": inputs.as_of, "title": report.title, "provenance": inputs.provenance,
            "generated": inputs.generated, "frameworks_title": names,
            "footer": f"{report.title} · {names}" if names else report.title,
            "edition": plain(report.facts.get("edition"))}


def scope(inputs: Inputs) -> dict[str, Any]:
    scored = set(inputs.scores["site_id"].astype(str))
    inv = inputs.inventory[inputs.inventory["site_id"].astype(str).isin(scored)]
    levels = []
    for level in ("ministry", "province", "city", "county"):
        n = int((inv["level"] == level).sum())
        if n:
            levels.append({"title": inputs.report.level(level).get("title", level), "count": n})
    pub = inputs.report.facts.get("scope") or {}
    published = ""
    if pub:
        parts = [f"{title}{pub.get(key, '—')}个" for key, title in
                 (("ministry", "部委"), ("province", "省级"), ("prefecture_level", "地市级"), ("county_level", "县级"))]
        published = f"{inputs.year}年度公开发布的评估范围：{'、'.join(parts)}，共{pub.get('total', '—')}个"
    return {"total": len(inv), "levels": levels, "published": published}


def summary(inputs: Inputs, tables: scorecard.Tables) -> dict[str, Any]:
    perf_rows, insp = [], {"passed": 0, "total": 0}
    for site in inputs.inventory.to_dict("records"):
        rows = tables.scores.get(str(site["site_id"]), [])
        row, _ = scorecard.performance_row(rows, inputs, plain(site.get("level")))
        if row is not None:
            perf_rows.append(row)
        irow, _ = scorecard.inspection_row(rows, inputs)
        if irow is not None:
            insp["total"] += 1
            insp["passed"] += plain(irow["grade"]) in ("pass", "合格")
    totals = [float(r["total"]) for r in perf_rows]
    ranked = inputs.rankings[~inputs.rankings["vetoed"].map(truthy)]["site_id"].astype(str).nunique()
    return {"evaluated": len(perf_rows), "ranked": int(ranked), "vetoed": sum(truthy(r["veto"]) for r in perf_rows),
            "mean": fmt_score(sum(totals) / len(totals)) if totals else "—",
            "inspection": insp if insp["total"] else None}


def framework_rows(inputs: Inputs) -> list[dict[str, Any]]:
    out = []
    for fw in inputs.frameworks.frameworks():
        levels = inputs.frameworks.levels_of(fw.id)
        ranked = "、".join(inputs.report.level(lv).get("title", lv) for lv in levels)
        scope_text = f"{ranked}网站（排名）" if levels else "全部网站（检查）"
        tree = [{"title": d.title, "max": fmt_score(d.max), "indicators": [
                    {"title": ind.title, "leaves": [
                        {"title": lf.title, "max": fmt_score(lf.max), "veto": lf.veto,
                         "source": SOURCE_TITLES.get(lf.source or "auto", lf.source)} for lf in ind.children]}
                    for ind in d.children]} for d in fw.dimensions]
        c = fw.counts()
        counts = {"dimensions": len(fw.dimensions), "indicators": fw.indicator_count(), "total": c.total,
                  "auto": c.automated, "manual": c.manual, "innovation": c.innovation}
        out.append({"id": fw.id, "title": fw.title, "scope": scope_text, "counts": counts,
                    "max_total": fmt_score(fw.max_total), "dimensions": tree})
    return out


def downloads(frames: dict) -> list[dict[str, str]]:
    names = {"findings": "检查结果", "scores": "得分", "rankings": "排名", "indicator_scores": "三级指标得分"}
    out = [{"href": f"exports/{n}.{ext}", "title": f"{names[n]}（{ext.upper()}）"} for n in frames
           for ext in ("csv", "json") if ext == "csv" or n in exports.JSON_TABLES]
    out.append({"href": "exports/results.xlsx", "title": "检查结果、得分和排名（Excel，中文表头）"})
    return out


def write_exports(w: Writer, inputs: Inputs, frames: dict) -> None:
    for name, frame in frames.items():
        w.write(f"exports/{name}.csv", exports.csv_text(frame))
        if name in exports.JSON_TABLES:
            w.write(f"exports/{name}.json", to_json_records(frame))
    dims = {d.id: d.title for fw in inputs.frameworks.frameworks() for d in fw.dimensions}
    w.write("exports/results.xlsx", exports.xlsx(frames, dims, inputs.as_of))


def write_scorecards(w: Writer, env: Environment, inputs: Inputs, tables: scorecard.Tables, rates: dict,
                     titles: dict[str, str], common: dict, per_site: dict) -> int:
    template = env.get_template("scorecard.html.j2")
    evidence_template = env.get_template("evidence.html.j2")
    averages = regions.group_averages(inputs, rates)
    themes = {c: t.get("locate", []) for t in inputs.report.labels.get("themes", []) for c in t.get("checks", [])}
    scored = set(tables.scores)
    n = 0
    for site in inputs.inventory.sort_values("site_id").to_dict("records"):
        sid = safe_site_id(site["site_id"])
        if sid not in scored:
            continue
        cap = inputs.captures.get(sid)
        shot = None
        if cap is not None and cap.home_shot:
            rel = w.blob(cap.home_shot, "shots")
            shot = f"../{rel}" if rel else None
        quotes, sources = site_evidence(w, evidence_template, inputs, tables, sid, themes, common)
        results = exports.canonical(per_site.get(sid, {}))
        sha = exports.digest(results)
        ctx = scorecard.context(site, inputs, tables, catalogue_titles=titles, shot_href=shot, chart="",
                                quotes=quotes, source_href=sources)
        ctx["chart"] = breakdown_chart(sid, ctx, averages, site)
        w.write(f"sites/{sid}.html", template.render(**common, **ctx, sha256=sha))
        w.write(f"sites/{sid}.json", exports.results_json(site, inputs.year, inputs.as_of, results, sha))
        n += 1
    return n


def breakdown_chart(sid: str, ctx: dict, averages: dict, site: dict) -> str:
    dims = ctx["dimensions"]
    if not dims:
        return ""
    groups_of = [p["group"] for p in ctx["placements"]]
    avg = averages.get(groups_of[0]) if groups_of else None
    return charts.breakdown(f"dims-{sid}", [d["title"] for d in dims], [d["rate"] for d in dims],
                            [avg.get(d["title"], 0.0) for d in dims] if avg else None,
                            average_label=f"{ctx['placements'][0]['group_title']}平均" if avg else "同组平均")


def site_evidence(w: Writer, template, inputs: Inputs, tables: scorecard.Tables, sid: str, themes: dict,
                  common: dict) -> tuple[dict, dict]:
    """Quotes of the failing checks' elements, and source views of the stored pages they cite."""
    cap = inputs.captures.get(sid)
    quotes: dict[tuple[str, str], str] = {}
    sources: dict[str, str] = {}
    if cap is None:
        return quotes, sources
    html_cache: dict[str, str] = {}
    blocks: dict[str, list[str]] = {}
    for f in tables.findings.get(sid, []):
        if plain(f["status"]) != "fail":
            continue
        pages = [k for k in plain(f["evidence"]).split(";") if k in cap.pages]
        for key in pages:
            if key in sources or len(sources) >= SOURCE_PAGES_PER_SITE:
                continue
            try:
                data = inputs.get_blob(key)
            except KeyError:
                continue
            html_cache[key] = evidence_view.page_text(data, cap.pages[key].encoding)
            rel = w.source_view(key, cap.pages[key], html_cache[key], len(data), template, common)
            if rel:
                sources[key] = f"../{rel}"
        needles = evidence_view.needles_for(themes.get(str(f["check_id"]), []), plain(f["value"]), plain(f["detail"]))
        for key in pages:
            html = html_cache.get(key, "")
            if needles and any(n in html for n in needles):
                if key not in blocks:
                    blocks[key] = evidence_view.block_texts(html)
                q = evidence_view.quote_from(blocks[key], needles)
                if q:
                    quotes[(sid, str(f["check_id"]))] = q
                    break
    return quotes, sources
