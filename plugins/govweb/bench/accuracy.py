"""Detector accuracy against the simulated web's ground truth: precision and recall per check ID.

A finding is "positive" when it reports a defect (status fail). Truth rows say `defect` per site and
check. not_measured findings are never right: a missed defect counts as a false negative and a
not_measured clean site as a false positive, so a detector cannot buy precision by abstaining.
not_applicable counts as "no defect" (the truth states no defect where the element is absent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class CheckAccuracy:
    check_id: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    not_measured: int = 0
    value_agree: int = 0  # true positives whose value equals the truth's expected value
    errors: list[str] = field(default_factory=list)  # "site_id: got X, truth Y" examples

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


def _positive(status: str) -> bool:
    return status == "fail"


def compare(findings: pd.DataFrame, truth: Iterable[dict], sites: set[str] | None = None,
            examples: int = 5) -> dict[str, CheckAccuracy]:
    """Per check ID accuracy of `findings` (the findings table) against truth rows
    (site_id, check_id, defect, expected_value), over `sites` (default: every site in the findings)."""
    got = {(r["site_id"], r["check_id"]): r for r in findings.to_dict("records")}
    sites = sites if sites is not None else {sid for sid, _ in got}
    out: dict[str, CheckAccuracy] = {}
    for t in truth:
        if t["site_id"] not in sites:
            continue
        acc = out.setdefault(t["check_id"], CheckAccuracy(t["check_id"]))
        f = got.get((t["site_id"], t["check_id"]))
        status = f["status"] if f is not None else "not_measured"
        if status == "not_measured":
            acc.not_measured += 1
        predicted = _positive(status) or (status == "not_measured")
        defect = bool(t["defect"])
        wrong = False
        if defect and _positive(status):
            acc.tp += 1
            if _same_value(f["value"], t["expected_value"]):
                acc.value_agree += 1
        elif defect:
            acc.fn += 1
            wrong = True
        elif predicted:
            acc.fp += 1
            wrong = True
        else:
            acc.tn += 1
        if wrong and len(acc.errors) < examples:
            shown = "missing" if f is None else f"{status} value={f['value']!r} {str(f['detail'])[:80]}"
            acc.errors.append(f"{t['site_id']}: got {shown}; truth defect={defect} "
                              f"value={t['expected_value']!r}")
    return dict(sorted(out.items()))


def _same_value(got, want) -> bool:
    got, want = ("" if got is None else str(got)).strip(), ("" if want is None else str(want)).strip()
    if got == want:
        return True
    try:
        return abs(float(got) - float(want)) < 1e-6
    except ValueError:
        return False


def overall(table: dict[str, CheckAccuracy]) -> CheckAccuracy:
    total = CheckAccuracy("overall")
    for acc in table.values():
        total.tp += acc.tp
        total.fp += acc.fp
        total.fn += acc.fn
        total.tn += acc.tn
        total.not_measured += acc.not_measured
        total.value_agree += acc.value_agree
    return total


def render(table: dict[str, CheckAccuracy]) -> str:
    lines = [f"{'check_id':34} {'n':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>5} {'n/m':>4} "
             f"{'precision':>9} {'recall':>7} {'value=':>6}"]
    for acc in [*table.values(), overall(table)]:
        lines.append(f"{acc.check_id:34} {acc.n:5d} {acc.tp:4d} {acc.fp:4d} {acc.fn:4d} {acc.tn:5d} "
                     f"{acc.not_measured:4d} {acc.precision:9.3f} {acc.recall:7.3f} {acc.value_agree:6d}")
    return "\n".join(lines)


def below_bars(table: dict[str, CheckAccuracy], per_check: float = 0.95, total: float = 0.98) -> list[str]:
    problems = [f"{a.check_id}: precision {a.precision:.3f} recall {a.recall:.3f} < {per_check}"
                for a in table.values() if min(a.precision, a.recall) < per_check]
    o = overall(table)
    if min(o.precision, o.recall) < total:
        problems.append(f"overall: precision {o.precision:.3f} recall {o.recall:.3f} < {total}")
    return problems
