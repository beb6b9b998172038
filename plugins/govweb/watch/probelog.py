"""The probe log in the evidence store: `probes/{date}/{batch}.jsonl`, one `govweb.capture.Probe` per line.

Object stores cannot append, so every probe round writes its own object(s), one per UTC day its probes
fall on; a window is the union of the day folders. The annual run judges `availability.homepage` on the
window before its as-of date (`availability(...)`), early warnings on the last days (`summary(...)`).
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field

from govweb import catalogue as catalogue_mod
from govweb.capture import AvailabilityProbe, Probe
from govweb.evidence import EvidenceStore

log = logging.getLogger(__name__)
PREFIX = "probes"
CHECK_ID = "availability.homepage"


def day_of(p: Probe) -> date:
    return datetime.fromisoformat(p.time).date()


def day_prefix(day: date) -> str:
    return f"{PREFIX}/{day.isoformat()}/"


def append(store: EvidenceStore, probes: list[Probe], batch: str = "") -> list[str]:
    """Write one probe round; returns the keys written (one per UTC day the probes fall on)."""
    by_day: dict[date, list[Probe]] = defaultdict(list)
    for p in probes:
        by_day[day_of(p)].append(p)
    keys = []
    for day, group in sorted(by_day.items()):
        first = min(p.time for p in group)
        name = batch or f"{datetime.fromisoformat(first).strftime('%H%M%S')}-{uuid.uuid4().hex[:8]}"
        body = "".join(p.model_dump_json() + "\n" for p in sorted(group, key=lambda p: (p.time, p.site_id)))
        keys.append(store.put(f"{day_prefix(day)}{name}.jsonl", body.encode("utf-8"), "application/x-ndjson"))
    log.info("probe log: %d probes in %s", len(probes), ", ".join(keys))
    return keys


def day_keys(store: EvidenceStore, start: date, end: date) -> list[str]:
    """Probe objects of the days start..end (both included)."""
    keys: list[str] = []
    day = start
    while day <= end:
        keys += [k for k in store.list(day_prefix(day)) if k.endswith(".jsonl")]
        day += timedelta(days=1)
    return keys


def read(store: EvidenceStore, key: str) -> list[Probe]:
    return [Probe.model_validate_json(line) for line in store.get_text(key).splitlines() if line.strip()]


def windows(store: EvidenceStore, start: date, end: date,
            site_ids: set[str] | None = None) -> dict[str, list[Probe]]:
    """Every site's probes of the days start..end (both included), in time order; one pass over the log."""
    out: dict[str, list[Probe]] = defaultdict(list)
    for key in day_keys(store, start, end):
        for p in read(store, key):
            if site_ids is None or p.site_id in site_ids:
                out[p.site_id].append(p)
    for probes in out.values():
        probes.sort(key=lambda p: p.time)
    return dict(out)


def window(store: EvidenceStore, site_id: str, start: date, end: date) -> list[Probe]:
    """One site's probes of the days start..end (both included), in time order."""
    return windows(store, start, end, {site_id}).get(site_id, [])


class ProbeSummary(BaseModel):
    """What the probe log says about one site over a window (the availability judgement's numbers)."""

    site_id: str
    start: date
    end: date
    probes: int = 0
    failures: int = 0
    failure_rate: float = 0.0
    per_day: dict[str, int] = Field(default_factory=dict)  # ISO day -> probes that day
    short_days: list[str] = Field(default_factory=list)  # days with fewer probes than the rule asks
    reasons: dict[str, int] = Field(default_factory=dict)  # failure reason or HTTP status -> count
    veto: bool = False  # failure rate at or above max_failure_rate
    warn: bool = False  # failure rate above warn_failure_rate
    enough: bool = False  # every day of the window has min_probes_per_day probes

    @property
    def min_per_day(self) -> int:
        return min(self.per_day.get(d.isoformat(), 0) for d in _days(self.start, self.end))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _reason(p: Probe) -> str:
    return p.error if p.error and p.error != "http_error" else f"HTTP {p.status}" if p.status else p.error or "?"


def summary(probes: list[Probe], *, site_id: str, start: date, end: date,
            cat: catalogue_mod.Catalogue | None = None) -> ProbeSummary:
    """Count, failures, rate, per-day coverage and the veto/warning flags (catalogue thresholds)."""
    spec = (cat or catalogue_mod.default())[CHECK_ID]
    inside = [p for p in probes if start <= day_of(p) <= end and (not p.site_id or p.site_id == site_id)]
    failed = [p for p in inside if not p.ok]
    per_day = Counter(day_of(p).isoformat() for p in inside)
    need = int(spec.threshold("min_probes_per_day"))
    short = [d.isoformat() for d in _days(start, end) if per_day.get(d.isoformat(), 0) < need]
    rate = len(failed) / len(inside) if inside else 0.0
    return ProbeSummary(
        site_id=site_id, start=start, end=end, probes=len(inside), failures=len(failed),
        failure_rate=round(rate, 4), per_day=dict(sorted(per_day.items())), short_days=short,
        reasons=dict(Counter(_reason(p) for p in failed).most_common()),
        veto=bool(inside) and rate >= float(spec.threshold("max_failure_rate")),
        warn=bool(inside) and rate > float(spec.threshold("warn_failure_rate")),
        enough=not short)


def judged_window(as_of: date, cat: catalogue_mod.Catalogue | None = None) -> tuple[date, date]:
    """The days the annual run judges availability on: the `window_days` days before as_of."""
    days = int((cat or catalogue_mod.default())[CHECK_ID].threshold("window_days"))
    return as_of - timedelta(days=days), as_of - timedelta(days=1)


def availability(store: EvidenceStore, site_id: str, as_of: date,
                 cat: catalogue_mod.Catalogue | None = None) -> AvailabilityProbe:
    """The capture's `probes.availability` from the probe log (source="probe_log"), for the judge stage."""
    start, end = judged_window(as_of, cat)
    probes = window(store, site_id, start, end)
    return AvailabilityProbe(attempted=bool(probes), source="probe_log", window_start=start.isoformat(),
                             window_end=end.isoformat(), probes=probes)
