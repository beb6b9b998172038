"""The detector registry and the evidence view detectors read (the stored capture, never the web)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from govweb import extract
from govweb.evidence import EvidenceStore, capture_key


@dataclass
class Verdict:
    """What a detector returns: passed (no defect), the measured value, a detail, the evidence keys."""

    passed: bool
    value: str = ""
    detail: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class SiteEvidence:
    capture: dict
    store: EvidenceStore
    as_of: date
    thresholds: dict
    site_id_expected: str = ""

    @property
    def key(self) -> str:
        return capture_key(int(self.capture["year"]), self.capture["site_id"])

    @property
    def home(self) -> dict | None:
        return next((p for p in self.capture["pages"] if p["kind"] == "home"), None)

    def html(self, page: dict) -> str:
        return extract.decode(self.store.get(page["html_key"]), page.get("encoding") or "utf-8")

    @cached_property
    def home_tree(self):
        home = self.home
        if not home or not home.get("html_key"):
            raise MissingEvidence("no stored home page in the capture")
        return extract.parse(self.html(home))

    @cached_property
    def home_text(self) -> str:
        return extract.visible_text(extract.parse(self.html(self.home)))

    def threshold(self, check_id: str, name: str):
        try:
            return self.thresholds[check_id][name]
        except KeyError as exc:
            raise KeyError(f"threshold {check_id}.{name} missing from include/checks/thresholds.yaml") from exc


class MissingEvidence(RuntimeError):
    """The capture lacks what this check needs (e.g. the crawl failed); recorded, not guessed."""


Detector = Callable[[SiteEvidence], Verdict]
REGISTRY: dict[str, Detector] = {}


def detector(check_id: str) -> Callable[[Detector], Detector]:
    def register(fn: Detector) -> Detector:
        old = REGISTRY.get(check_id)
        # The same source loaded again under another module name (e.g. by Airflow's plugin loader)
        # replaces itself; a second, different function for one check ID is an error.
        if old is not None and (old.__code__.co_filename, old.__qualname__) != (
                fn.__code__.co_filename, fn.__qualname__):
            raise ValueError(f"check {check_id} registered twice: {old.__module__}.{old.__qualname__} "
                             f"and {fn.__module__}.{fn.__qualname__}")
        REGISTRY[check_id] = fn
        return fn
    return register
