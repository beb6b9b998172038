"""The oracle: the findings a perfect evaluation of a simulated world would make (from the truth).

Used to check a scenario's calibration end to end through the real scoring and ranking code, and
as the reference the crawl-based evaluation is compared with.
"""

from __future__ import annotations

import pandas as pd

from govweb.models import FINDING_COLUMNS
from govweb.sim import truth
from govweb.sim.world import World


def findings(world: World, check_ids: list[str]) -> pd.DataFrame:
    wanted = set(check_ids)
    rows = [{"site_id": r["site_id"], "year": world.year, "check_id": r["check_id"],
             "passed": "" if r["status"] == "not_applicable" else not r["defect"],
             "value": r["expected_value"], "detail": "oracle", "evidence": "", "status": r["status"]}
            for r in truth.rows(world) if r["check_id"] in wanted]
    return pd.DataFrame(rows, columns=list(FINDING_COLUMNS))


def published_tables(rankings: pd.DataFrame, groups: list[str], n: int = 10) -> dict:
    """{group: {"top": [[rank, [site_ids]]...], "most_improved": [site_ids]}} from a rankings table,
    in the shape of include/inventory/published_2018.yaml, for comparison."""
    from govweb import ranking

    out = {}
    for g in groups:
        top = ranking.top(rankings, g, n)
        tiers: dict[int, list[str]] = {}
        for r in top.itertuples():
            tiers.setdefault(int(r.rank), []).append(r.site_id)
        out[g] = {"top": [[rank, sorted(ids)] for rank, ids in sorted(tiers.items())]}
        out[g]["most_improved"] = list(ranking.most_improved(rankings, g, k=10)["site_id"])
    return out
