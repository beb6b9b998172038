"""The order in which a batch's sites are crawled: the ones that took longest last year first.

A crawl task ends when its last site ends. A site that needs minutes (a slow server, a time budget hit) started
near the end keeps every other slot idle while it finishes; started first, it runs beside the others (longest
processing time first). The previous year's times come from its crawl health summary
(`quality/{year}/crawl_health.json`, written after every crawl)."""

from __future__ import annotations

import logging
import statistics

from govweb.evidence import EvidenceStore
from govweb.models import Site

log = logging.getLogger(__name__)


def health_key(year: int) -> str:
    return f"quality/{year}/crawl_health.json"


def previous_seconds(store: EvidenceStore, year: int) -> dict[str, float]:
    """Seconds each site's crawl took in the year before `year` (empty when that year was not crawled here)."""
    key = health_key(year - 1)
    if not store.exists(key):
        return {}
    seconds = store.get_json(key).get("seconds") or {}
    return {str(k): float(v) for k, v in seconds.items()}


def longest_first(sites: list[Site], seconds: dict[str, float]) -> list[Site]:
    """`sites` ordered by last year's crawl time, longest first; a site without one counts as a typical site
    (the median). Ties keep the inventory's order."""
    if not seconds:
        return list(sites)
    typical = statistics.median(seconds.values())
    ordered = sorted(sites, key=lambda s: -seconds.get(s.site_id, typical))
    slow = [f"{s.site_id} ({seconds[s.site_id]:.0f}s)" for s in ordered[:3] if s.site_id in seconds]
    log.info("crawl order: longest last year first (%d of %d sites timed; first: %s)",
             sum(s.site_id in seconds for s in sites), len(sites), ", ".join(slow) or "none")
    return ordered
