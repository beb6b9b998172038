"""Data contracts shared by every stage (DESIGN §4).

Tables travel between stages as pandas DataFrames with exactly these columns, in this order,
and are stored as CSV (UTF-8, no index) in the evidence store under ``results/{year}/{framework}/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("ministry", "province", "city", "county")
GROUPS = ("ministry", "province", "subprovincial_city", "provincial_capital", "prefecture_city", "county")
REGIONS = ("east", "central", "west", "northeast", "national")

INVENTORY_COLUMNS = (
    "site_id", "name", "url", "level", "groups", "region", "province", "parent_id", "active",
)
# One row per judged check. `passed` is True when no defect was found; `value` is the measured
# quantity (count, days, code found...) rendered as text; `evidence` is a `;`-joined list of store keys.
FINDING_COLUMNS = ("site_id", "year", "check_id", "passed", "value", "detail", "evidence")
# One row per site and framework. `indicators` is a JSON object {indicator_id: score}; `veto_reasons`
# is a `;`-joined list of indicator ids whose veto fired; `grade` is pass|fail.
SCORE_COLUMNS = (
    "site_id", "name", "year", "framework", "total", "max_total", "veto", "veto_reasons", "grade",
    "indicators",
)
# Dimension subtotals are extra columns named `dim:{dimension_id}` appended after SCORE_COLUMNS.
# One row per site and group. Vetoed sites get an empty rank and are listed after the ranked ones.
RANKING_COLUMNS = ("year", "group", "rank", "site_id", "name", "total", "delta", "tie", "vetoed")

CAPTURE_STATUSES = ("ok", "partial", "failed")
FAILURE_REASONS = ("timeout", "dns", "tls", "refused", "http_error", "too_large", "browser_crash", "blocked")
PAGE_KINDS = ("home", "column", "article", "search", "board", "guide", "other")


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    url: str
    level: str
    groups: tuple[str, ...]
    region: str
    province: str
    parent_id: str = ""
    active: bool = True

    def to_row(self) -> dict:
        return {
            "site_id": self.site_id, "name": self.name, "url": self.url, "level": self.level,
            "groups": ";".join(self.groups), "region": self.region, "province": self.province,
            "parent_id": self.parent_id, "active": self.active,
        }


@dataclass
class Finding:
    site_id: str
    year: int
    check_id: str
    passed: bool
    value: str = ""
    detail: str = ""
    evidence: list[str] = field(default_factory=list)

    def to_row(self) -> dict:
        return {
            "site_id": self.site_id, "year": self.year, "check_id": self.check_id,
            "passed": self.passed, "value": self.value, "detail": self.detail,
            "evidence": ";".join(self.evidence),
        }
