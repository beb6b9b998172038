"""The report's own data (include/report/): labels, highlight measures, shortcoming themes, and the year's
published facts; plus the year's innovation cases (include/inventory/{year}/innovation_cases.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from govweb import config

INNOVATION_GROUPS = {"ministry": "国务院部门", "province": "省级政府", "city": "副省级城市、省会城市和地市",
                     "county": "区县"}


class ReportDataError(ValueError):
    pass


@dataclass(frozen=True)
class ReportData:
    year: int
    labels: dict[str, Any]          # report.yaml
    facts: dict[str, Any]           # {year}.yaml ({} when the year has none)
    innovation: list[dict] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.labels.get("title", "{year}年政府网站绩效评估报告")).format(year=self.year)

    def group_title(self, group: str) -> str:
        return str(self.labels.get("groups", {}).get(group, group))

    def level(self, level: str) -> dict[str, str]:
        return self.labels.get("levels", {}).get(level, {"title": level, "anonymous": "某网站", "unit": "个网站"})

    @property
    def regions(self) -> dict[str, str]:
        return dict(self.labels.get("regions", {}))

    def setting(self, name: str, default: int) -> int:
        return int(self.labels.get(name, default))

    def theme_of(self, check_id: str) -> dict[str, Any] | None:
        return next((t for t in self.labels.get("themes", []) if check_id in t.get("checks", [])), None)

    def published_text(self, theme: str) -> str:
        return str((self.facts.get("themes") or {}).get(theme, ""))


def report_dir() -> Path:
    return config.include_dir() / "report"


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ReportDataError(f"{path} is not valid YAML: {exc}") from None


def innovation_cases(year: int, names: dict[str, str] | None = None) -> list[dict]:
    """The year's innovation cases as [{group, entity, case, site_id}], in file order ([] without a file).

    A case names its site as govweb.frameworks.manual resolves it: `site_name`, else `{entity}` or
    `{entity}人民政府` in the inventory (`names`: inventory name -> site_id); unresolved cases keep no site_id."""
    path = config.inventory_dir() / str(year) / "innovation_cases.yaml"
    if not path.is_file():
        return []
    raw = _yaml(path)
    if isinstance(raw, dict) and "cases" in raw:
        raw = raw["cases"]
    rows: list[dict] = []
    if isinstance(raw, dict):  # {group: [cases]}
        for group, cases in raw.items():
            rows += [{"group": group, **c} for c in cases or [] if isinstance(c, dict)]
    elif isinstance(raw, list):
        rows = [dict(c) for c in raw if isinstance(c, dict)]
    out = []
    for c in rows:
        if not c.get("case") or not c.get("group"):
            raise ReportDataError(f"{path}: every innovation case needs group and case, got {c!r}")
        entity = str(c.get("entity", ""))
        sid = str(c.get("site_id") or "")
        for name in ([c["site_name"]] if c.get("site_name") else [entity, f"{entity}人民政府"]):
            sid = sid or (names or {}).get(str(name), "")
        out.append({"group": str(c["group"]), "entity": entity, "case": str(c["case"]), "site_id": sid})
    return out


def load(year: int, names: dict[str, str] | None = None) -> ReportData:
    base = report_dir() / "report.yaml"
    if not base.is_file():
        raise ReportDataError(f"the report's data file {base} is missing")
    year_file = report_dir() / f"{year}.yaml"
    facts = _yaml(year_file) if year_file.is_file() else {}
    return ReportData(year=year, labels=_yaml(base), facts=facts, innovation=innovation_cases(year, names))
