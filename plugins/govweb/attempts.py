"""Re-crawl without loss: every crawl attempt of a site is kept; the current capture is the best attempt.

    evidence/{year}/{site_id}/attempts/{started}-{digest}.json   every attempt, written once
    evidence/{year}/{site_id}/capture.json                        the best attempt (what detectors read)

Better means a higher status (ok > partial > failed); between equals, the newer attempt (a re-crawl
refreshes the capture). A forced re-crawl against a dead web therefore never replaces an `ok` capture
by a failed one; the choice is logged and returned.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from govweb.capture import Capture, CaptureSchemaError
from govweb.evidence import EvidenceStore, capture_key, sha256

log = logging.getLogger(__name__)
RANK = {"failed": 0, "partial": 1, "ok": 2}


@dataclass(frozen=True)
class Saved:
    attempt_key: str
    current_key: str
    became_current: bool
    reason: str


def attempts_prefix(year: int, site_id: str) -> str:
    return f"evidence/{year}/{site_id}/attempts"


def attempt_key(capture: Capture, data: bytes) -> str:
    stamp = re.sub(r"[^0-9]", "", capture.started)[:14] or "00000000000000"
    return f"{attempts_prefix(capture.year, capture.site_id)}/{stamp}-{sha256(data)[:12]}.json"


def current(store: EvidenceStore, year: int, site_id: str) -> Capture | None:
    key = capture_key(year, site_id)
    if not store.exists(key):
        return None
    try:
        return Capture.from_json(store.get(key), source=key)
    except CaptureSchemaError as exc:
        log.warning("current capture %s is unreadable (%s); a new attempt replaces it", key, exc)
        return None


def usable(store: EvidenceStore, year: int, site_id: str) -> bool:
    """The current capture is ok or partial (a failed, missing or unreadable one is crawled again)."""
    cap = current(store, year, site_id)
    return cap is not None and cap.status in ("ok", "partial")


def save(store: EvidenceStore, capture: Capture) -> Saved:
    """Keep this attempt; make it the current capture unless the current one is better."""
    data = capture.to_json_bytes()
    key = store.put(attempt_key(capture, data), data, "application/json")
    now = current(store, capture.year, capture.site_id)
    cur_key = capture_key(capture.year, capture.site_id)
    if now is not None and RANK[now.status] > RANK[capture.status]:
        reason = (f"kept the current {now.status} capture of {now.started}; this attempt was {capture.status}"
                  f"{' (' + capture.failure_reason + ')' if capture.failure_reason else ''}, stored as {key}")
        log.warning("%s %d: %s", capture.site_id, capture.year, reason)
        return Saved(key, cur_key, False, reason)
    store.put(cur_key, data, "application/json")
    reason = (f"{capture.status} attempt {key} is current" +
              (f" (replacing a {now.status} capture of {now.started})" if now is not None else ""))
    log.info("%s %d: %s", capture.site_id, capture.year, reason)
    return Saved(key, cur_key, True, reason)


def history(store: EvidenceStore, year: int, site_id: str) -> list[str]:
    """Keys of every attempt, oldest first."""
    return sorted(store.list(attempts_prefix(year, site_id) + "/"))
