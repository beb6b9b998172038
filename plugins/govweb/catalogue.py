"""The check catalogue as production data (`include/checks/catalogue.yaml`, DESIGN §6).

One source of truth for check IDs, their Chinese titles, dimensions, value types, thresholds and
dictionaries: the detector registry, the frameworks, the crawler (column synonyms) and the simulated
web's ground truth all read it. Loading validates the whole file and reports every problem at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from govweb import config

VALUE_TYPES = ("flag", "count", "days", "rate", "text")


class CatalogueError(ValueError):
    """The catalogue, a dictionary, or something that names check IDs, is inconsistent."""


@dataclass(frozen=True)
class CheckSpec:
    id: str
    title: str
    dimension: str
    value: str
    thresholds: dict = field(default_factory=dict)
    dictionaries: tuple[str, ...] = ()

    def threshold(self, name: str):
        try:
            return self.thresholds[name]
        except KeyError:
            raise CatalogueError(f"threshold {self.id}.{name} is missing from include/checks/catalogue.yaml "
                                 f"(known: {', '.join(sorted(self.thresholds)) or 'none'})") from None


@dataclass(frozen=True)
class Catalogue:
    source: str
    dimensions: dict[str, str]
    checks: dict[str, CheckSpec]
    dictionary_paths: dict[str, Path]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.checks)

    def __getitem__(self, check_id: str) -> CheckSpec:
        try:
            return self.checks[check_id]
        except KeyError:
            raise CatalogueError(f"check {check_id!r} is not in the catalogue {self.source}") from None

    def thresholds(self) -> dict[str, dict]:
        return {cid: dict(spec.thresholds) for cid, spec in self.checks.items()}

    def dictionary(self, name: str):
        """A dictionary's content: CSV -> list of row dicts; YAML -> its object."""
        if name not in self.dictionary_paths:
            raise CatalogueError(f"dictionary {name!r} is not declared in {self.source} "
                                 f"(known: {', '.join(sorted(self.dictionary_paths))})")
        return _read_dictionary(self.dictionary_paths[name])

    def unknown(self, ids, what: str) -> list[str]:
        """Problems for every ID in `ids` the catalogue lacks, phrased for `what` (e.g. a framework file)."""
        return [f"{what}: check ID {cid!r} is not in the catalogue" for cid in sorted(set(ids) - set(self.checks))]


@cache
def _read_dictionary(path: Path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return list(csv.DictReader(io.StringIO(text)))
    return yaml.safe_load(text)


def _problems(raw: dict, base: Path) -> tuple[list[str], dict, dict, dict]:
    problems: list[str] = []
    if not isinstance(raw, dict):
        return ["the file is not a YAML mapping"], {}, {}, {}
    dims = raw.get("dimensions") or {}
    dict_paths: dict[str, Path] = {}
    for name, rel in (raw.get("dictionaries") or {}).items():
        path = base / str(rel)
        if not path.is_file():
            problems.append(f"dictionaries.{name}: file {path} not found")
        dict_paths[name] = path
    checks: dict[str, CheckSpec] = {}
    for cid, spec in (raw.get("checks") or {}).items():
        where = f"checks.{cid}"
        if not isinstance(spec, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        for key in ("title", "dimension", "value"):
            if not spec.get(key):
                problems.append(f"{where}: missing {key!r}")
        extra = set(spec) - {"title", "dimension", "value", "thresholds", "dictionaries"}
        if extra:
            problems.append(f"{where}: unknown field(s) {', '.join(sorted(extra))}")
        if spec.get("dimension") and spec["dimension"] not in dims:
            problems.append(f"{where}: dimension {spec['dimension']!r} is not under 'dimensions'")
        if spec.get("value") and spec["value"] not in VALUE_TYPES:
            problems.append(f"{where}: value type {spec['value']!r} unknown; use one of {', '.join(VALUE_TYPES)}")
        thresholds = spec.get("thresholds") or {}
        for name, val in thresholds.items():
            if isinstance(val, bool) or not isinstance(val, int | float):
                problems.append(f"{where}.thresholds.{name}: expected a number, got {val!r}")
        for d in spec.get("dictionaries") or []:
            if d not in dict_paths:
                problems.append(f"{where}: dictionary {d!r} is not declared under 'dictionaries'")
        if "." not in str(cid):
            problems.append(f"{where}: a check ID is 'dimension.name'")
        checks[cid] = CheckSpec(cid, str(spec.get("title", "")), str(spec.get("dimension", "")),
                                str(spec.get("value", "")), dict(thresholds), tuple(spec.get("dictionaries") or ()))
    if not checks:
        problems.append("no checks")
    return problems, dims, checks, dict_paths


def load(path: str | Path | None = None) -> Catalogue:
    path = Path(path) if path else config.checks_dir() / "catalogue.yaml"
    if not path.is_file():
        raise CatalogueError(f"check catalogue not found at {path}")
    problems, dims, checks, dict_paths = _problems(yaml.safe_load(path.read_text(encoding="utf-8")), path.parent)
    if problems:
        raise CatalogueError(f"check catalogue {path} is invalid:\n  " + "\n  ".join(problems))
    return Catalogue(str(path), dict(dims), checks, dict_paths)


@cache
def default() -> Catalogue:
    """The catalogue of this installation (GOVWEB_INCLUDE), loaded once per process."""
    return load()


def check_registry(cat: Catalogue, registered: set[str]) -> None:
    """Detectors and catalogue agree both ways; one message lists every mismatch."""
    problems = [f"detector registered for {cid!r}, which the catalogue {cat.source} lacks"
                for cid in sorted(registered - set(cat.ids))]
    problems += [f"catalogue entry {cid!r} has no registered detector" for cid in sorted(set(cat.ids) - registered)]
    if problems:
        raise CatalogueError("detectors and catalogue disagree:\n  " + "\n  ".join(problems))
