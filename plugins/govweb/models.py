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
    "site_id", "name", "url", "level", "groups", "region", "province", "parent_id", "active", "site_code",
)
# The 网站标识码 form: 10 letters/digits (e.g. 3300000020, bm01000001).
SITE_CODE_PATTERN = r"^(?:\d{10}|[a-z]{2}\d{8})$"
# One row per judged check. `status` is pass|fail|not_applicable|not_measured; `passed` is True/False for
# pass/fail and empty for the other two; `value` is the measured quantity (count, days, rate, code found)
# rendered as text, its type given by the catalogue's value type; `detail` is Chinese; `evidence` is a
# `;`-joined list of store keys.
FINDING_COLUMNS = ("site_id", "year", "check_id", "passed", "value", "detail", "evidence", "status")
FINDING_STATUSES = ("pass", "fail", "not_applicable", "not_measured")
# One row per site and framework: the site's ranking framework (picked by its inventory level from the
# run's framework plan) plus one row per framework scored alongside (e.g. inspection_2019). `indicators`
# is a JSON object {leaf_id: score}; `veto_reasons` is a `;`-joined list of leaf ids whose veto fired;
# `grade` is pass|fail (the report says 合格/不合格).
SCORE_COLUMNS = (
    "site_id", "name", "year", "framework", "total", "max_total", "veto", "veto_reasons", "grade",
    "indicators",
)
# Dimension subtotals are extra columns named `dim:{dimension_id}` appended after SCORE_COLUMNS: the union
# over the table's frameworks, in order of first appearance, empty where a row's framework lacks one.
# One row per site, framework and leaf (third-level indicator). `status` is one of LEAF_STATUSES: scored
# (by its rule from pass/fail findings), not_applicable (full marks: the element does not exist and
# another leaf charges for it), not_measured (0, counts as failing for vetoes), manual (expert score),
# manual_missing (no expert score: 0), innovation (bonus per innovation case), veto (the leaf's veto
# fired). `rule` is the Chinese rule text applied; `check_ids` is `;`-joined; `value` the finding
# values used (`check_id=value` joined by `;`).
INDICATOR_SCORE_COLUMNS = (
    "site_id", "year", "framework", "dimension_id", "indicator_id", "leaf_id", "score", "max", "source",
    "status", "rule", "check_ids", "value",
)
LEAF_STATUSES = ("scored", "not_applicable", "not_measured", "manual", "manual_missing", "innovation", "veto")
# One row per site and group. Vetoed sites get an empty rank and are listed after the ranked ones.
RANKING_COLUMNS = ("year", "group", "rank", "site_id", "name", "total", "delta", "tie", "vetoed")



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
    site_code: str = ""  # the 网站标识码, when the inventory gives one (column site_code, or a code-shaped site_id)

    def to_row(self) -> dict:
        return {
            "site_id": self.site_id, "name": self.name, "url": self.url, "level": self.level,
            "groups": ";".join(self.groups), "region": self.region, "province": self.province,
            "parent_id": self.parent_id, "active": self.active, "site_code": self.site_code,
        }


def format_value(value) -> str:
    """A typed finding value as stored text: bools true/false, floats without float noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    return str(value)


@dataclass
class Finding:
    site_id: str
    year: int
    check_id: str
    passed: bool | None
    value: str | int | float | bool | None = None
    detail: str = ""
    evidence: list[str] = field(default_factory=list)
    status: str = ""

    def __post_init__(self):
        if not self.status:
            self.status = {True: "pass", False: "fail"}.get(self.passed, "not_measured")
        if self.status not in FINDING_STATUSES:
            raise ValueError(f"finding status {self.status!r} unknown; use one of {', '.join(FINDING_STATUSES)}")

    def to_row(self) -> dict:
        return {
            "site_id": self.site_id, "year": self.year, "check_id": self.check_id,
            "passed": "" if self.passed is None else self.passed, "value": format_value(self.value),
            "detail": self.detail, "evidence": ";".join(dict.fromkeys(self.evidence)), "status": self.status,
        }
