"""Early warnings (DESIGN §5): what a site owner should fix before the yearly run finds it.

Computed daily from the probe log and each site's latest capture, with the catalogue's warning
thresholds (configurable in include/checks/catalogue.yaml):
  availability.homepage  probe failure rate over the last `window_days` days above `warn_failure_rate`
  freshness.homepage     newest home-page item at least `warn_age_days` days old (at the capture's as-of)
  columns.empty          more than `warn_empty` empty columns
  freshness.columns      more than `warn_stale` stale columns
The capture-based values are the detectors' own measured values (govweb.checks), so a warning and the
year's finding never disagree on what was measured. Each warning names the site, rule, value and evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from pydantic import BaseModel, Field

from govweb import catalogue as catalogue_mod
from govweb.capture import Capture
from govweb.evidence import EvidenceStore, capture_key
from govweb.models import Site
from govweb.watch import probelog

log = logging.getLogger(__name__)
Judge = Callable[[str, object], object]  # (check_id, SiteEvidence) -> Verdict


class EarlyWarning(BaseModel):
    site_id: str
    name: str = ""
    rule: str  # check ID
    title: str = ""  # the check's Chinese title
    value: float
    threshold: float
    detail: str  # Chinese, for the digest reader
    evidence: list[str] = Field(default_factory=list)


class Digest(BaseModel):
    day: date
    sites: int
    warnings: list[EarlyWarning] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)  # sites without a capture / rules not measured

    def by_site(self) -> dict[str, list[EarlyWarning]]:
        out: dict[str, list[EarlyWarning]] = {}
        for w in self.warnings:
            out.setdefault(w.site_id, []).append(w)
        return out


def digest_key(day: date) -> str:
    return f"quality/warnings/{day.isoformat()}.json"


# -- availability (probe log) ----------------------------------------------------------------------

def probe_warnings(store: EvidenceStore, sites: list[Site], day: date,
                   cat: catalogue_mod.Catalogue) -> list[EarlyWarning]:
    spec = cat[probelog.CHECK_ID]
    start = day - timedelta(days=int(spec.threshold("window_days")) - 1)
    keys = probelog.day_keys(store, start, day)
    logs = probelog.windows(store, start, day, {s.site_id for s in sites})
    out = []
    for s in sites:
        sm = probelog.summary(logs.get(s.site_id, []), site_id=s.site_id, start=start, end=day, cat=cat)
        if not sm.warn:
            continue
        reasons = "，".join(f"{r} {n} 次" for r, n in sm.reasons.items())
        level = "已达否决线" if sm.veto else "接近否决线"
        out.append(EarlyWarning(
            site_id=s.site_id, name=s.name, rule=probelog.CHECK_ID, title=spec.title, value=sm.failure_rate,
            threshold=float(spec.threshold("warn_failure_rate")),
            detail=(f"{start}至{day}共监测首页 {sm.probes} 次，失败 {sm.failures} 次（{sm.failure_rate:.1%}，"
                    f"预警线 {spec.threshold('warn_failure_rate'):.0%}，{level}）：{reasons}"),
            evidence=keys))
    return out


# -- capture-based rules (detector values) -----------------------------------------------------------

# rule -> (threshold name, comparison): "not updated for 10 days" is age >= 10; counts are "more than"
CAPTURE_RULES: dict[str, tuple[str, str]] = {
    "freshness.homepage": ("warn_age_days", ">="),
    "columns.empty": ("warn_empty", ">"),
    "freshness.columns": ("warn_stale", ">"),
}
UNITS = {"freshness.homepage": "天", "columns.empty": "个", "freshness.columns": "个"}


def latest_capture(store: EvidenceStore, site_id: str, day: date, years: int = 3) -> Capture | None:
    """The site's capture of the most recent evaluation year (at most `years` back from `day`)."""
    for year in range(day.year, day.year - years, -1):
        if store.exists(capture_key(year, site_id)):
            return Capture.from_json(store.get(capture_key(year, site_id)), source=capture_key(year, site_id))
    return None


def _default_judge(check_id: str, ev) -> object:
    from govweb.checks import load_all, runner

    load_all()
    return runner.judge_one(check_id, ev)


def _numeric(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def capture_warnings(store: EvidenceStore, site: Site, cap: Capture, cat: catalogue_mod.Catalogue,
                     judge: Judge = _default_judge) -> tuple[list[EarlyWarning], list[str]]:
    """Warnings from one capture; also the rules that could not be measured (with why)."""
    from govweb.checks.registry import SiteEvidence

    ev = SiteEvidence(cap, store, date.fromisoformat(cap.as_of), cat)
    out, skipped = [], []
    for rule, (name, op) in CAPTURE_RULES.items():
        try:
            verdict = judge(rule, ev)
        except KeyError as exc:  # no detector registered for the rule
            skipped.append(f"{site.site_id} {rule}: {exc}")
            continue
        value = _numeric(getattr(verdict, "value", None))
        if value is None:
            skipped.append(f"{site.site_id} {rule}: {getattr(verdict, 'status', '?')} {getattr(verdict, 'detail', '')}")
            continue
        limit = float(cat[rule].threshold(name))
        if value >= limit if op == ">=" else value > limit:
            unit = UNITS[rule]
            out.append(EarlyWarning(
                site_id=site.site_id, name=site.name, rule=rule, title=cat[rule].title, value=value,
                threshold=limit, evidence=list(getattr(verdict, "evidence", []) or [ev.key]),
                detail=(f"{cat[rule].title}：{value:g}{unit}（预警线 {op} {limit:g}{unit}，"
                        f"采集日 {cap.as_of}）{getattr(verdict, 'detail', '')}")[:400]))
    return out, skipped


def digest(store: EvidenceStore, sites: list[Site], day: date, cat: catalogue_mod.Catalogue | None = None,
           judge: Judge = _default_judge) -> Digest:
    """Every early warning for the active sites on `day`, grouped later by site."""
    cat = cat or catalogue_mod.default()
    active = [s for s in sites if s.active]
    out = Digest(day=day, sites=len(active), warnings=probe_warnings(store, active, day, cat))
    for s in active:
        cap = latest_capture(store, s.site_id, day)
        if cap is None:
            out.skipped.append(f"{s.site_id}: no capture")
            continue
        if cap.status == "failed":
            out.skipped.append(f"{s.site_id}: latest capture failed ({cap.failure_reason})")
            continue
        found, skipped = capture_warnings(store, s, cap, cat, judge)
        out.warnings += found
        out.skipped += skipped
    out.warnings.sort(key=lambda w: (w.site_id, w.rule))
    log.info("early warnings for %s: %d warning(s) on %d site(s); %d not measured", day, len(out.warnings),
             len(out.by_site()), len(out.skipped))
    return out


def save(store: EvidenceStore, d: Digest) -> str:
    return store.put(digest_key(d.day), d.model_dump_json(indent=1).encode("utf-8"), "application/json")
