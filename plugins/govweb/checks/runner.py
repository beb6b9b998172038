"""Run detectors over stored captures; one broken detector never sinks a site's judgement."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd

from govweb import catalogue as catalogue_mod
from govweb.capture import Capture
from govweb.checks.registry import REGISTRY, MissingEvidence, SiteEvidence, Verdict
from govweb.models import FINDING_COLUMNS, Finding

log = logging.getLogger(__name__)


def judge_one(check_id: str, ev: SiteEvidence) -> Verdict:
    """One detector on one capture; failures become not_measured with the reason (never a silent pass)."""
    fn = REGISTRY.get(check_id)
    if fn is None:
        raise KeyError(f"no detector registered for check {check_id!r}; known: {', '.join(sorted(REGISTRY))}")
    cap = ev.capture
    if cap.status == "failed":
        return Verdict.not_measured(f"网站未能采集（{cap.failure_reason}）：{cap.error}"[:300], [ev.key])
    try:
        v = fn(ev)
    except MissingEvidence as exc:
        return Verdict.not_measured(f"缺少采集证据：{exc}"[:300], [ev.key])
    except Exception as exc:  # noqa: BLE001 - recorded on the finding and in the log
        log.exception("detector %s failed on %s", check_id, cap.site_id)
        return Verdict.not_measured(f"检测程序出错（{type(exc).__name__}: {exc}）"[:300], [ev.key])
    if ev.key not in v.evidence:
        v.evidence.insert(0, ev.key)
    return v


def judge_capture(capture: Capture, store, *, as_of: date, check_ids: list[str],
                  expected_site_code: str = "", catalogue: catalogue_mod.Catalogue | None = None) -> list[Finding]:
    from govweb.checks import load_all

    load_all()
    ev = SiteEvidence(capture, store, as_of, catalogue or catalogue_mod.default(), expected_site_code)
    out = []
    for check_id in check_ids:
        v = judge_one(check_id, ev)
        out.append(Finding(capture.site_id, capture.year, check_id, v.passed, v.value, v.detail, v.evidence,
                           v.status))
    return out


def to_frame(findings: list[Finding]) -> pd.DataFrame:
    df = pd.DataFrame([f.to_row() for f in findings], columns=list(FINDING_COLUMNS))
    return df.sort_values(["site_id", "check_id"], kind="stable").reset_index(drop=True)
