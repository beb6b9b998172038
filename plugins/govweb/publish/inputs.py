"""What a report is built from: the stored results of a year (and the year before), the frameworks, the
inventory, and what the captures say about their evidence (screenshots, page addresses). Publishing
never crawls: everything here is read from the evidence store."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from govweb import frameworks as fw_plans
from govweb.evidence import capture_key
from govweb.frameworks.models import Framework, FrameworkPlan
from govweb.publish import data as report_data

log = logging.getLogger(__name__)
TABLES = ("findings", "scores", "rankings", "indicator_scores")
_B = rb'(?:[^"\\]|\\.)*'  # the body of a JSON string
_TOP = re.compile(rb'\{"schema_version":\d+,"site_id":"(?P<site_id>' + _B + rb')",.*?"mode":"(?P<mode>\w*)",'
                  rb'.*?"status":"(?P<status>\w*)",', re.S)
_PAGE = re.compile(rb'\{"url":"(?P<url>' + _B + rb')","final_url":"(?P<final_url>' + _B
                   + rb')","kind":"(?P<kind>\w*)","via":"\w*","status":[^,]*,"elapsed_ms":[^,]*,"bytes":[^,]*,'
                   rb'"encoding":"(?P<encoding>[^"]*)","title":"(?P<title>' + _B + rb')","html_key":'
                   rb'"(?P<html_key>[^"]*)","text_key":"[^"]*","screenshot_key":"(?P<screenshot_key>[^"]*)"')
_PAGE_FIELDS = ("url", "final_url", "kind", "encoding", "title", "html_key", "screenshot_key")


@dataclass(frozen=True)
class PageInfo:
    url: str
    kind: str
    title: str
    screenshot_key: str
    encoding: str = "utf-8"


def _string(raw: bytes) -> str:
    """A JSON string's content as text: escapes always start with a backslash, so without one it is the UTF-8."""
    return json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode("utf-8")


@dataclass(frozen=True)
class CaptureInfo:
    """The parts of a capture the report shows: how it was made, its pages and their screenshots."""
    site_id: str
    mode: str
    status: str
    home_key: str = ""
    home_shot: str = ""
    pages: dict[str, PageInfo] = field(default_factory=dict)  # html_key -> page

    @classmethod
    def from_json(cls, raw: bytes) -> CaptureInfo:
        fast = cls._scan(raw)
        if fast is not None:
            return fast
        doc = json.loads(raw)
        return cls._of(doc.get("site_id", ""), doc.get("mode", ""), doc.get("status", ""), doc.get("pages") or [])

    @staticmethod
    def mode_of(raw: bytes) -> str:
        """How a stored capture was made (live, archive, sim, rescore), read from its first fields."""
        top = _TOP.match(raw)
        return top.group("mode").decode() if top is not None else str(json.loads(raw).get("mode", ""))

    @classmethod
    def _scan(cls, raw: bytes) -> CaptureInfo | None:
        """The page fields read straight from the JSON (a capture is ~600 KB; parsing 937 of them is seconds).
        The capture is written by pydantic in field order; when the scan does not find exactly one match per
        stored page (another schema), the caller parses the JSON instead."""
        top = _TOP.match(raw)
        found = list(_PAGE.finditer(raw))
        if top is None or not found or len(found) != raw.count(b'"html_key":'):
            return None
        pages = [{k: _string(m.group(k)) for k in _PAGE_FIELDS} for m in found]
        return cls._of(*(_string(top.group(k)) for k in ("site_id", "mode", "status")), pages)

    @classmethod
    def _of(cls, site_id: str, mode: str, status: str, page_list: list[dict]) -> CaptureInfo:
        pages, home_key, home_shot = {}, "", ""
        for p in page_list:
            key = p.get("html_key") or ""
            if key:
                pages[key] = PageInfo(p.get("final_url") or p.get("url", ""), p.get("kind", ""), p.get("title", ""),
                                      p.get("screenshot_key", ""), p.get("encoding") or "utf-8")
            if p.get("kind") == "home" and not home_key:
                home_key, home_shot = key, p.get("screenshot_key", "")
        return cls(str(site_id), str(mode), str(status), home_key, home_shot, pages)


@dataclass
class Previous:
    year: int
    findings: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None


@dataclass
class Inputs:
    year: int
    as_of: str
    frameworks: FrameworkPlan  # a Framework or a framework name is accepted and made a plan
    inventory: pd.DataFrame
    findings: pd.DataFrame
    scores: pd.DataFrame
    rankings: pd.DataFrame
    get_blob: Callable[[str], bytes]
    indicator_scores: pd.DataFrame | None = None
    captures: dict[str, CaptureInfo] = field(default_factory=dict)
    previous: Previous | None = None
    report: report_data.ReportData | None = None
    provenance: str = ""
    generated: str = ""  # generation time as printed (the only text that differs when re-publishing)

    def __post_init__(self):
        self.frameworks = as_plan(self.frameworks)
        if self.report is None:
            names = {str(n): str(s) for s, n in zip(self.inventory["site_id"], self.inventory["name"], strict=True)}
            self.report = report_data.load(self.year, names)

    @property
    def modes(self) -> Counter:
        return Counter(c.mode for c in self.captures.values())


def as_plan(spec: FrameworkPlan | Framework | str) -> FrameworkPlan:
    """The frameworks the report reads: a run's plan as is, one tree ranking every level, or a name."""
    if isinstance(spec, FrameworkPlan):
        return spec
    if isinstance(spec, Framework):
        return FrameworkPlan.single(spec)
    return fw_plans.plan(spec)


def captures(store, year: int, site_ids: list[str]) -> dict[str, CaptureInfo]:
    """Capture summaries (json only, no model validation: 937 captures in about a second)."""
    out = {}
    for sid in site_ids:
        key = capture_key(year, sid)
        try:
            out[sid] = CaptureInfo.from_json(store.get(key))
        except KeyError:
            log.warning("no capture stored at %s: the scorecard shows no screenshot", key)
    return out


def from_store(store, year: int, framework: str, *, as_of: str, inventory: pd.DataFrame,
               provenance: str = "", generated: str = "") -> Inputs:
    """Everything the report of `year` needs, read back from results/{year}/{framework}/ and the captures."""
    from govweb.pipeline import read_table, results_prefix

    prefix = results_prefix(year, framework)
    tables = {n: read_table(store, f"{prefix}/{n}.csv") for n in TABLES if store.exists(f"{prefix}/{n}.csv")}
    previous = None
    prev_prefix = results_prefix(year - 1, framework)
    if store.exists(f"{prev_prefix}/scores.csv"):
        previous = Previous(year - 1, scores=read_table(store, f"{prev_prefix}/scores.csv"),
                            findings=read_table(store, f"{prev_prefix}/findings.csv")
                            if store.exists(f"{prev_prefix}/findings.csv") else None)
    return Inputs(year=year, as_of=as_of, frameworks=fw_plans.plan(framework), inventory=inventory,
                  findings=tables["findings"], scores=tables["scores"], rankings=tables["rankings"],
                  indicator_scores=tables.get("indicator_scores"), get_blob=store.get,
                  captures=captures(store, year, [str(s) for s in inventory["site_id"]]), previous=previous,
                  provenance=provenance, generated=generated)
