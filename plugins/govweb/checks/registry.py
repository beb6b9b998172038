"""The detector registry and the evidence view detectors read (the stored capture, never the web).

A detector is one function per check ID: `fn(ev: SiteEvidence) -> Verdict`. It judges only what the
capture holds (pages, items, link checks, probes) and the stored blobs those name; its thresholds and
dictionaries come from the catalogue (include/checks/catalogue.yaml).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from govweb import catalogue as catalogue_mod
from govweb import extract
from govweb.capture import Capture, Page
from govweb.evidence import EvidenceStore, capture_key
from govweb.parse import charset

Status = Literal["pass", "fail", "not_applicable", "not_measured"]
STATUSES: tuple[Status, ...] = ("pass", "fail", "not_applicable", "not_measured")
Value = str | int | float | bool | None


@dataclass
class Verdict:
    """What a detector returns: a status, the typed measured value, a Chinese detail, the evidence keys.

    `passed` is True for pass, False for fail and None when the check was not applicable or not measured."""

    status: Status
    value: Value = None
    detail: str = ""
    evidence: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"verdict status {self.status!r} unknown; use one of {', '.join(STATUSES)}")

    @property
    def passed(self) -> bool | None:
        return {"pass": True, "fail": False}.get(self.status)

    @classmethod
    def judged(cls, ok: bool, value: Value = None, detail: str = "", evidence: list[str] | None = None) -> Verdict:
        return cls("pass" if ok else "fail", value, detail, list(evidence or []))

    @classmethod
    def not_applicable(cls, detail: str, evidence: list[str] | None = None) -> Verdict:
        return cls("not_applicable", None, detail, list(evidence or []))

    @classmethod
    def not_measured(cls, detail: str, evidence: list[str] | None = None) -> Verdict:
        return cls("not_measured", None, detail, list(evidence or []))


class MissingEvidence(RuntimeError):
    """The capture lacks what this check needs (e.g. a probe was not run); the finding is not_measured.

    The message is shown to readers: write it in Chinese."""


@dataclass
class SiteEvidence:
    capture: Capture
    store: EvidenceStore
    as_of: date
    catalogue: catalogue_mod.Catalogue = field(default_factory=catalogue_mod.default)
    expected_site_code: str = ""  # the inventory's 网站标识码, when it gives one
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def key(self) -> str:
        return capture_key(self.capture.year, self.capture.site_id)

    @property
    def home(self) -> Page:
        home = self.capture.home
        if home is None or not home.html_key:
            raise MissingEvidence("采集结果中没有首页")
        return home

    def html(self, page: Page) -> str:
        if not page.html_key:
            raise MissingEvidence(f"页面 {page.url} 未保存")
        k = ("html", page.html_key)
        if k not in self._cache:
            self._cache[k] = charset.decode(self.store.get(page.html_key), page.encoding or "utf-8")
        return self._cache[k]

    def tree(self, page: Page):
        """A fresh parse of the stored page (callers may modify it), with the helpers of the script files its
        items call (as the crawler read it)."""
        return extract.parse(self.html(page), tuple(self._script(key) for key in page.script_keys))

    def _script(self, key: str) -> str:
        if ("script", key) not in self._cache:
            self._cache[("script", key)] = self.store.get(key).decode("utf-8")
        return self._cache[("script", key)]

    def text(self, page: Page) -> str:
        """The page's visible text: the stored text blob, else extracted from the stored HTML."""
        k = ("text", page.url, page.html_key)
        if k not in self._cache:
            if page.text_key:
                self._cache[k] = self.store.get(page.text_key).decode("utf-8")
            else:
                self._cache[k] = extract.visible_text(self.tree(page))
        return self._cache[k]

    @property
    def home_tree(self):
        return self.tree(self.home)

    @property
    def home_text(self) -> str:
        return self.text(self.home)

    def threshold(self, check_id: str, name: str):
        return self.catalogue[check_id].threshold(name)

    def dictionary(self, name: str):
        return self.catalogue.dictionary(name)


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
