"""Data-quality gate on the results tables, run with Great Expectations (DESIGN §5 validate_results).

Each ``check_*`` function builds an expectation suite for one table, validates the DataFrame in an
ephemeral GX context (nothing is written to disk, nothing leaves the process) and returns a
:class:`QualityResult`; :func:`gate` turns a failed result into :class:`QualityGateError`.

``great_expectations`` is imported inside the functions: it takes seconds to import, and the
Airflow DAG processor parses the DAG files that import this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from govweb.models import (
    FINDING_COLUMNS,
    FINDING_STATUSES,
    GROUPS,
    INDICATOR_SCORE_COLUMNS,
    INVENTORY_COLUMNS,
    LEAF_STATUSES,
    LEVELS,
    REGIONS,
    SCORE_COLUMNS,
)

_EXAMPLES = 5  # unexpected values quoted per failure
_GROUP_ALT = "|".join(GROUPS)


@dataclass
class QualityResult:
    success: bool
    suite: str
    failures: list[str] = field(default_factory=list)
    evaluated: int = 0

    def to_json(self) -> str:
        """Deterministic JSON (sorted keys, no timestamps) for ``quality/{year}/{suite}.json``."""
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


class QualityGateError(Exception):
    """A results table failed its quality suite; the message lists every failure."""


def gate(result: QualityResult) -> QualityResult:
    """Return ``result`` when it succeeded; otherwise raise :class:`QualityGateError`."""
    if result.success:
        return result
    lines = "\n".join(f"  - {failure}" for failure in result.failures)
    raise QualityGateError(
        f"quality gate {result.suite!r} failed, {len(result.failures)} failing expectation(s):\n{lines}"
    )


def _active(inventory: pd.DataFrame) -> pd.DataFrame:
    return inventory.loc[inventory["active"].map(_truthy)]


def _frameworks_per_site(inventory: pd.DataFrame, plan: Any) -> list[tuple[str, list[Any]]]:
    """(site_id, frameworks scoring it) per active site: its level's ranking framework + the alongside ones."""
    return [(str(s), [plan.ranking_for(str(lvl)), *plan.alongside])
            for s, lvl in zip(_active(inventory)["site_id"], _active(inventory)["level"], strict=True)]


def check_scores(scores: pd.DataFrame, inventory: pd.DataFrame, plan: Any = None) -> QualityResult:
    """Scores: one row per active inventory site and framework scoring it (one per site without a `plan`,
    a govweb.frameworks.FrameworkPlan), totals within [0, max_total], veto/grade well-formed."""
    import great_expectations as gx

    e = gx.expectations
    active = sorted(str(s) for s in _active(inventory)["site_id"])
    if plan is None:
        rows, per_site = len(active), [e.ExpectColumnValuesToBeUnique(column="site_id")]
    else:
        pairs = _frameworks_per_site(inventory, plan)
        rows = sum(len(fws) for _, fws in pairs)
        per_site = [e.ExpectCompoundColumnsToBeUnique(column_list=["site_id", "framework"]),
                    e.ExpectColumnValuesToBeInSet(column="framework", value_set=[f.id for f in plan.frameworks()])]
    expectations = [
        e.ExpectTableColumnsToMatchSet(column_set=list(SCORE_COLUMNS), exact_match=False),
        e.ExpectTableRowCountToEqual(value=rows),
        e.ExpectColumnValuesToNotBeNull(column="site_id"),
        *per_site,
        e.ExpectColumnDistinctValuesToEqualSet(column="site_id", value_set=active),
        e.ExpectColumnValuesToNotBeNull(column="total"),
        e.ExpectColumnValuesToBeBetween(column="total", min_value=0),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="max_total", column_B="total", or_equal=True),
        e.ExpectColumnValuesToNotBeNull(column="veto"),
        e.ExpectColumnValuesToBeInSet(column="veto", value_set=[True, False]),
        e.ExpectColumnValuesToNotBeNull(column="grade"),
        e.ExpectColumnValuesToBeInSet(column="grade", value_set=["pass", "fail"]),
    ]
    return _validate("scores", scores, expectations)


def check_indicator_scores(leaves: pd.DataFrame, inventory: pd.DataFrame, plan: Any) -> QualityResult:
    """Indicator scores: one row per active site, framework scoring it and leaf; scores within [0, max];
    statuses and sources from their lists."""
    import great_expectations as gx

    e = gx.expectations
    pairs = _frameworks_per_site(inventory, plan)
    rows = sum(sum(1 for _ in fw.leaves()) for _, fws in pairs for fw in fws)
    expectations = [
        e.ExpectTableColumnsToMatchSet(column_set=list(INDICATOR_SCORE_COLUMNS), exact_match=False),
        e.ExpectTableRowCountToEqual(value=rows),
        e.ExpectColumnDistinctValuesToEqualSet(column="site_id", value_set=sorted(s for s, _ in pairs)),
        e.ExpectCompoundColumnsToBeUnique(column_list=["site_id", "framework", "leaf_id"]),
        e.ExpectColumnValuesToBeInSet(column="framework", value_set=[f.id for f in plan.frameworks()]),
        e.ExpectColumnValuesToNotBeNull(column="score"),
        e.ExpectColumnValuesToBeBetween(column="score", min_value=0),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="max", column_B="score", or_equal=True),
        e.ExpectColumnValuesToBeInSet(column="status", value_set=list(LEAF_STATUSES)),
        e.ExpectColumnValuesToBeInSet(column="source", value_set=["auto", "manual", "innovation"]),
    ]
    return _validate("indicator_scores", leaves, expectations)


def check_inventory(inventory: pd.DataFrame) -> QualityResult:
    """Staged inventory: the contract of DESIGN §4 (the row-level rules already ran in govweb.inventory;
    this suite is the recorded, second line of defence before any crawl)."""
    import great_expectations as gx

    e = gx.expectations
    expectations = [
        e.ExpectTableColumnsToMatchSet(column_set=list(INVENTORY_COLUMNS), exact_match=False),
        e.ExpectTableRowCountToBeBetween(min_value=1),
        e.ExpectColumnValuesToNotBeNull(column="site_id"),
        e.ExpectColumnValuesToBeUnique(column="site_id"),
        e.ExpectColumnValuesToNotBeNull(column="name"),
        e.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://[^/\s]+"),
        e.ExpectColumnValuesToBeInSet(column="level", value_set=list(LEVELS)),
        e.ExpectColumnValuesToBeInSet(column="region", value_set=list(REGIONS)),
        e.ExpectColumnValuesToMatchRegex(column="groups", regex=rf"^(?:{_GROUP_ALT})(?:;(?:{_GROUP_ALT}))*$"),
        e.ExpectColumnValuesToBeInSet(column="active", value_set=[True, False]),
    ]
    return _validate("inventory", inventory, expectations)


def check_findings(findings: pd.DataFrame, check_ids: Iterable[str], site_ids: Iterable[str]) -> QualityResult:
    """Findings: exactly one row per (site_id, check_id) for the given sites and checks."""
    import great_expectations as gx

    e = gx.expectations
    checks = sorted({str(c) for c in check_ids})
    sites = sorted({str(s) for s in site_ids})
    expectations = [
        e.ExpectTableColumnsToMatchSet(column_set=list(FINDING_COLUMNS), exact_match=False),
        e.ExpectTableRowCountToEqual(value=len(sites) * len(checks)),
        e.ExpectColumnValuesToNotBeNull(column="site_id"),
        e.ExpectColumnValuesToBeInSet(column="site_id", value_set=sites),
        e.ExpectColumnDistinctValuesToEqualSet(column="site_id", value_set=sites),
        e.ExpectColumnValuesToNotBeNull(column="check_id"),
        e.ExpectColumnValuesToBeInSet(column="check_id", value_set=checks),
        e.ExpectCompoundColumnsToBeUnique(column_list=["site_id", "check_id"]),
        e.ExpectColumnValuesToNotBeNull(column="status"),
        e.ExpectColumnValuesToBeInSet(column="status", value_set=list(FINDING_STATUSES)),
        # passed is True/False exactly for judged findings, empty for not_applicable / not_measured
        e.ExpectColumnValuesToBeInSet(column="passed", value_set=[True, False]),
        e.ExpectColumnValuesToNotBeNull(column="passed", row_condition='status in ["pass", "fail"]',
                                        condition_parser="pandas"),
        e.ExpectColumnValuesToBeNull(column="passed", row_condition='status in ["not_applicable", "not_measured"]',
                                     condition_parser="pandas"),
    ]
    hints = {"expect_table_row_count_to_equal": _missing_pairs_hint(findings, sites, checks)}
    return _validate("findings", findings, expectations, hints)


def _missing_pairs_hint(findings: pd.DataFrame, sites: list[str], checks: list[str]) -> str:
    if not {"site_id", "check_id"} <= set(findings.columns):
        return ""
    present = set(zip(findings["site_id"].astype(str), findings["check_id"].astype(str), strict=True))
    missing = [f"{s}/{c}" for s in sites for c in checks if (s, c) not in present]
    if not missing:
        return ""
    more = f" (+{len(missing) - _EXAMPLES} more)" if len(missing) > _EXAMPLES else ""
    return f"missing site_id/check_id pairs: {', '.join(missing[:_EXAMPLES])}{more}"


def _validate(name: str, frame: pd.DataFrame, expectations: list, hints: dict[str, str] | None = None
              ) -> QualityResult:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    batch = (
        context.data_sources.add_pandas(name=f"govweb_{name}")
        .add_dataframe_asset(name=name)
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    suite = context.suites.add(gx.ExpectationSuite(name=f"govweb.{name}", expectations=expectations))
    outcome = batch.validate(suite, result_format={"result_format": "SUMMARY",
                                                   "partial_unexpected_count": 20})
    hints = hints or {}
    failures = sorted(
        _describe(r, hints.get(r.expectation_config.type, "")) for r in outcome.results if not r.success
    )
    return QualityResult(success=bool(outcome.success), suite=f"govweb.{name}", failures=failures,
                         evaluated=len(outcome.results))


def _describe(result: Any, hint: str = "") -> str:
    """``expect_x(column=c): what was wrong, e.g. a few unexpected values`` — one line per failure."""
    config = result.expectation_config
    kwargs = config.kwargs
    target = ", ".join(
        f"{key}={kwargs[key] if key != 'column_list' else ','.join(kwargs[key])}"
        for key in ("column", "column_A", "column_B", "column_list") if key in kwargs
    )
    found = result.result or {}
    parts: list[str] = []
    errors = sorted(set(_exception_messages(result.exception_info)))
    if errors:
        parts.append("error: " + "; ".join(errors))
    if config.type == "expect_table_row_count_to_equal":
        parts.append(f"expected {kwargs.get('value')} rows, observed {found.get('observed_value')}")
    elif config.type == "expect_table_columns_to_match_set":
        missing = found.get("details", {}).get("mismatched", {}).get("missing", [])
        parts.append(f"missing columns {sorted(missing)}")
    else:
        if found.get("unexpected_count"):
            examples = _examples(found.get("partial_unexpected_list"))
            parts.append(f"{found['unexpected_count']} unexpected, e.g. {examples}")
        if found.get("missing_count"):
            parts.append(f"{found['missing_count']} missing: {_examples(found.get('partial_missing_list'))}")
        if not parts and "observed_value" in found:
            parts.append(f"observed {_plain(found['observed_value'])!r}")
    if hint:
        parts.append(hint)
    label = f"{config.type}({target})" if target else config.type
    return f"{label}: {'; '.join(parts) or 'failed'}"


def _exception_messages(info: Any) -> list[str]:
    """GX nests exception info either flat or per metric; collect the messages of raised ones."""
    if not isinstance(info, dict):
        return []
    if info.get("raised_exception"):
        return [str(info.get("exception_message"))]
    return [m for value in info.values() for m in _exception_messages(value)]


def _examples(values: list | None) -> str:
    unique: dict[str, Any] = {}
    for value in values or []:
        plain = _plain(value)
        unique.setdefault(repr(plain), plain)
    return repr([unique[k] for k in sorted(unique)][:_EXAMPLES])


def _plain(value: Any) -> Any:
    """numpy scalars -> Python values, recursively, so failure messages read cleanly."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_plain(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            return value.item()
        except (TypeError, ValueError):
            return value
    return value


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    if value is None or pd.isna(value):
        return False
    return bool(value)
