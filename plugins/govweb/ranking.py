"""Group rankings, ties, progress and "most improved" lists (DESIGN §8).

Rules:
- a site ranks in every group its inventory row lists (``groups`` is ``;``-separated);
- totals are rounded to one decimal, half up, on the float's shortest repr (84.25 -> 84.3),
  so the result never depends on binary floating-point noise;
- equal rounded totals share a rank; ranks are dense (4, 4, 5); ``tie`` marks a shared rank;
- vetoed sites get no rank (``<NA>``), ``vetoed=True``, and are listed after the ranked ones;
- ``delta`` = this year's rounded total minus the previous year's rounded total (NA when the site
  has no previous score);
- groups follow ``models.GROUPS`` (unknown groups after them, alphabetically); within a rank,
  rows are ordered by ``site_id``;
- with several frameworks in the scores table (a site's ranking framework plus frameworks scored
  alongside, e.g. inspection_2019), ``ranking_for`` (inventory level -> framework id) says which row ranks
  each site; the other rows are ignored, and ``delta`` compares with the previous year's row of the same
  framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from govweb.models import GROUPS, RANKING_COLUMNS

_ONE_DECIMAL = Decimal("0.1")


def round_total(value: float) -> Decimal:
    """Round a score to one decimal, half up, on the float's repr (84.25 -> 84.3)."""
    return Decimal(repr(float(value))).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP)


def split_groups(groups: object) -> list[str]:
    """``"province;provincial_capital"`` -> ``["province", "provincial_capital"]`` (blanks dropped)."""
    if groups is None or (not isinstance(groups, str) and pd.isna(groups)):
        return []
    return [g.strip() for g in str(groups).split(";") if g.strip()]


def group_order(groups: set[str] | list[str]) -> list[str]:
    """Known groups in ``models.GROUPS`` order, then any others alphabetically."""
    known = [g for g in GROUPS if g in groups]
    return known + sorted(set(groups) - set(GROUPS))


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    if value is None or pd.isna(value):
        return False
    return bool(value)


def _rounded_by_site(scores: pd.DataFrame, what: str) -> dict[str, Decimal]:
    duplicated = scores["site_id"][scores["site_id"].duplicated()].astype(str).unique().tolist()
    if duplicated:
        raise ValueError(f"{what} has more than one row for site_id {sorted(duplicated)}")
    missing = scores["site_id"][scores["total"].isna()].astype(str).tolist()
    if missing:
        raise ValueError(f"{what} has no total for site_id {sorted(missing)}")
    return {str(s): round_total(t) for s, t in zip(scores["site_id"], scores["total"], strict=True)}


def ranking_rows(scores: pd.DataFrame, inventory: pd.DataFrame,
                 ranking_for: Mapping[str, str] | None) -> pd.DataFrame:
    """The rows that rank: each site's row on the ranking framework of its inventory level (all rows when
    ``ranking_for`` is None or the table has no ``framework`` column)."""
    if ranking_for is None or "framework" not in scores or scores.empty:
        return scores
    level_of = {str(s): lvl for s, lvl in zip(inventory["site_id"], inventory["level"], strict=True)}
    wanted = [ranking_for.get(level_of.get(str(s), ""), "") for s in scores["site_id"]]
    return scores[scores["framework"].astype(str).to_numpy() == pd.Series(wanted, dtype=str).to_numpy()]


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in RANKING_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({
        "year": "int64", "group": "str", "rank": "Int64", "site_id": "str", "name": "str",
        "total": "float64", "delta": "Float64", "tie": "bool", "vetoed": "bool",
    })[list(RANKING_COLUMNS)]


def _rank_group(rows: list[dict]) -> list[dict]:
    """Assign dense ranks and tie flags to one group's rows; ranked first, vetoed last."""
    ranked = sorted((r for r in rows if not r["vetoed"]), key=lambda r: (-r["_rounded"], r["site_id"]))
    vetoed = sorted((r for r in rows if r["vetoed"]), key=lambda r: r["site_id"])
    rank, previous = 0, None
    for row in ranked:
        if row["_rounded"] != previous:
            rank, previous = rank + 1, row["_rounded"]
        row["rank"] = rank
    counts: dict[int, int] = {}
    for row in ranked:
        counts[row["rank"]] = counts.get(row["rank"], 0) + 1
    for row in ranked:
        row["tie"] = counts[row["rank"]] > 1
    for row in vetoed:
        row["rank"], row["tie"] = pd.NA, False
    return ranked + vetoed


def rank(
    scores: pd.DataFrame,
    inventory: pd.DataFrame,
    year: int,
    previous_scores: pd.DataFrame | None = None,
    ranking_for: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rank every scored site within each of its inventory groups; returns ``RANKING_COLUMNS``."""
    scores = ranking_rows(scores, inventory, ranking_for)
    if previous_scores is not None:
        previous_scores = ranking_rows(previous_scores, inventory, ranking_for)
    previous = _rounded_by_site(previous_scores, "previous_scores") if previous_scores is not None else {}
    current = _rounded_by_site(scores, "scores")
    groups_of = {str(s): split_groups(g) for s, g in zip(inventory["site_id"], inventory["groups"], strict=True)}
    names_of = {str(s): n for s, n in zip(inventory["site_id"], inventory["name"], strict=True)}

    by_group: dict[str, list[dict]] = {}
    for record in scores.to_dict("records"):
        site_id = str(record["site_id"])
        name = record.get("name")
        if name is None or (not isinstance(name, str) and pd.isna(name)):
            name = names_of.get(site_id, "")
        rounded = current[site_id]
        delta = float(rounded - previous[site_id]) if site_id in previous else pd.NA
        for group in groups_of.get(site_id, []):
            by_group.setdefault(group, []).append({
                "year": int(year), "group": group, "site_id": site_id, "name": str(name),
                "total": float(rounded), "delta": delta, "vetoed": _as_bool(record["veto"]),
                "_rounded": rounded,
            })

    rows = [row for group in group_order(list(by_group)) for row in _rank_group(by_group[group])]
    if not rows:
        return _empty()
    return _typed(pd.DataFrame(rows)).reset_index(drop=True)


def top(rankings: pd.DataFrame, group: str, n: int = 10) -> pd.DataFrame:
    """Ranked, non-vetoed rows of ``group`` with rank <= n (ties can yield more than n rows)."""
    rows = rankings[(rankings["group"] == group) & ~rankings["vetoed"].astype(bool)]
    rows = rows[rows["rank"].notna() & (rows["rank"] <= n)]
    return rows.sort_values(["rank", "site_id"], kind="stable").reset_index(drop=True)


def most_improved(rankings: pd.DataFrame, group: str, k: int = 3) -> pd.DataFrame:
    """The ``k`` non-vetoed sites of ``group`` with the largest positive delta (ties by site_id)."""
    rows = rankings[(rankings["group"] == group) & ~rankings["vetoed"].astype(bool)]
    rows = rows[rows["delta"].notna()]
    rows = rows[rows["delta"].astype("float64") > 0]
    rows = rows.sort_values(["delta", "site_id"], ascending=[False, True], kind="stable")
    return rows.head(k).reset_index(drop=True)
