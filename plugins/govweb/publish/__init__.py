"""The published report (DESIGN §8): the annual report, scorecards, certificates and exports of a year, built
from its stored findings, scores and rankings (publishing never crawls).

    inputs = publish.from_store(store, year, framework, as_of=..., inventory=...)   # or publish.Inputs(...)
    publish.publish(out_dir, inputs)                  # report, scorecards, results.json, exports (one step)
    publish.certificates.render(out_dir, inputs)      # 成绩证书 PDFs through Chromium (a separate step)

Modules: inputs (what is read, the frameworks as govweb.frameworks plans), groups / highlights / shortcomings / regions
(the report's sections), scorecard, evidence_view (quotes, crops, source views), anonymise, charts (pygal,
static SVG), exports (CSV/JSON/XLSX, results.json), certificates, site (writes the folder), text (helpers).
Crawled text is hostile: Jinja2 autoescaping is on for every template and no page of the report runs script.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from govweb.publish.inputs import CaptureInfo, Inputs, Previous, from_store
from govweb.publish.site import environment, publish
from govweb.publish.text import safe_site_id

__all__ = ["CaptureInfo", "Inputs", "Previous", "environment", "from_store", "publish", "publish_report",
           "safe_site_id"]


def publish_report(out_dir: Path, *, year: int, as_of: str, framework, inventory: pd.DataFrame,
                   findings: pd.DataFrame, scores: pd.DataFrame, rankings: pd.DataFrame,
                   get_blob: Callable[[str], bytes], screenshot_keys: dict[str, str] | None = None,
                   provenance: str = "", indicator_scores: pd.DataFrame | None = None,
                   previous: Previous | None = None, captures: dict[str, CaptureInfo] | None = None,
                   generated: str = "", locate: bool = True) -> list[Path]:
    """The report from tables in memory (tests, benchmarks); `screenshot_keys` {site_id: home screenshot key}
    stands in for the captures when they are not given."""
    if captures is None:
        captures = {sid: CaptureInfo(sid, "", "ok", home_shot=key) for sid, key in (screenshot_keys or {}).items()}
    inputs = Inputs(year=year, as_of=as_of, frameworks=framework, inventory=inventory, findings=findings,
                    scores=scores, rankings=rankings, get_blob=get_blob, indicator_scores=indicator_scores,
                    captures=captures, previous=previous, provenance=provenance, generated=generated)
    return publish(out_dir, inputs, locate=locate)
