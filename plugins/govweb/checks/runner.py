"""Run detectors over stored captures; one broken detector never sinks a site's judgement."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

from govweb.checks.registry import REGISTRY, MissingEvidence, SiteEvidence, Verdict
from govweb.models import FINDING_COLUMNS, Finding

log = logging.getLogger(__name__)


def judge_capture(capture: dict, store, *, as_of: date, thresholds: dict, check_ids: list[str],
                  expected_site_id: str = "") -> list[Finding]:
    ev = SiteEvidence(capture, store, as_of, thresholds, expected_site_id)
    out = []
    for check_id in check_ids:
        fn = REGISTRY.get(check_id)
        if fn is None:
            raise KeyError(f"no detector registered for check {check_id!r}; known: {', '.join(sorted(REGISTRY))}")
        if capture["status"] == "failed":
            v = Verdict(False, "", f"site not captured: {capture['failure_reason']}: {capture['error']}"[:300],
                        [ev.key])
        else:
            try:
                v = fn(ev)
            except MissingEvidence as exc:
                v = Verdict(False, "", f"missing evidence: {exc}", [ev.key])
            except Exception as exc:  # noqa: BLE001 - recorded on the finding and in the log
                log.exception("detector %s failed on %s", check_id, capture["site_id"])
                v = Verdict(False, "", f"detector error: {type(exc).__name__}: {exc}"[:300], [ev.key])
        out.append(Finding(capture["site_id"], int(capture["year"]), check_id, v.passed, v.value, v.detail,
                           v.evidence))
    return out


def to_frame(findings: list[Finding]) -> pd.DataFrame:
    df = pd.DataFrame([f.to_row() for f in findings], columns=list(FINDING_COLUMNS))
    return df.sort_values(["site_id", "check_id"], kind="stable").reset_index(drop=True)
