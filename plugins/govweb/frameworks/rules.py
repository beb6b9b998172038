"""Scoring rules, one small function each. A rule turns the findings bound to a leaf into points.

Inputs are typed: `units` and `value` are Decimals (from the finding's `value`, typed by the catalogue's
value type), never strings. The status rule (not_applicable / not_measured) is applied by the engine
before any of these runs (see govweb.frameworks.engine).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from govweb.frameworks.models import Band, Binding

ZERO = Decimal(0)


def binary(points: Decimal, passed: bool) -> Decimal:
    """Full points when every bound check passed, none otherwise."""
    return points if passed else ZERO


def per_unit(points: Decimal, step: Decimal, units: Decimal, floor: Decimal = ZERO) -> Decimal:
    """`step` points lost per unit (e.g. per broken link), never below `floor`."""
    return max(floor, points - step * max(units, ZERO))


def bands(value: Decimal | None, table: Sequence[Band]) -> Decimal:
    """The score of the first band whose `upto` the value does not exceed (a band without `upto` takes
    every larger value); no band or no value: 0."""
    if value is None:
        return ZERO
    for band in table:
        if band.upto is None or value <= band.upto:
            return band.score
    return ZERO


def share(points: Decimal, passed: int, total: int) -> Decimal:
    """Points in proportion to the share of bound items that passed."""
    if total <= 0:
        return ZERO
    return points * Decimal(passed) / Decimal(total)


def deduct(points: Decimal, step: Decimal, units: Decimal, cap: Decimal | None = None) -> Decimal:
    """Inspection deduction: `step` points off per unit, at most `cap` (default: all `points`)."""
    limit = points if cap is None else min(cap, points)
    return points - min(limit, step * max(units, ZERO))


def veto() -> Decimal:
    """A single-veto item scores nothing; it only vetoes (see the engine's veto condition)."""
    return ZERO


# -- rule texts (Chinese, shown on the scorecard) ------------------------------------------------------

def fmt(x: Decimal | None) -> str:
    if x is None:
        return ""
    return format(x.normalize(), "f")


UNITS = {"days": "天", "count": "个", "rate": ""}  # catalogue value type -> unit shown after a number


def text(b: Binding, titles: Sequence[str], unit: str = "", counted: bool = True) -> str:
    """What the binding does, in the words a reader of the scorecard expects (`unit` follows band limits;
    `counted`: the bound check's value is a count of defects, else a failed check is one defect)."""
    what = "、".join(titles)
    each = "每处" if counted else "不达标"
    if b.rule == "binary":
        return f"{what}达标得{fmt(b.points)}分，否则0分"
    if b.rule == "per_unit":
        return f"{what}满分{fmt(b.points)}分，{each}扣{fmt(b.per_unit)}分，最低{fmt(b.floor)}分"
    if b.rule == "deduct":
        cap = b.points if b.cap is None else min(b.cap, b.points)
        if not counted and b.per_unit is not None and b.per_unit >= cap:
            return f"{what}不达标扣{fmt(cap)}分"
        return f"{what}{each}扣{fmt(b.per_unit)}分，最多扣{fmt(cap)}分"
    if b.rule == "share":
        return f"{what}共{len(b.checks)}项，按达标项比例得分（满分{fmt(b.points)}分）"
    if b.rule == "bands":
        parts, lower = [], None
        for band in b.bands:
            if band.upto is None:
                above = f"超过{fmt(lower)}{unit}" if lower is not None else ""
                parts.append(f"{above}得{fmt(band.score)}分")
            else:
                parts.append(f"不超过{fmt(band.upto)}{unit}得{fmt(band.score)}分")
                lower = band.upto
        if b.bands and b.bands[-1].upto is not None:
            parts.append("其余0分")
        return f"{what}按数值分档：" + "，".join(parts)
    return f"{what}不达标即单项否决"  # veto: the engine's veto condition
