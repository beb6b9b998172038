"""Write include/inventory/{year}/expert_scores.csv: the scenario's expert score sheet.

The simulated web has no content an expert could judge, so the scenario gives EVERY site the same expert
scores: full marks on each manual leaf of its ranking framework (picked by its inventory level from the
framework set) and 1 (核查通过) on the inspection's manual veto item. Equal manual scores across sites keep
the ranking decided by the automated leaves, which is what the scenario's calibration relies on.
Deterministic: re-running gives the same bytes.

    .venv/bin/python scripts/build_expert_scores.py [--year Y ...] [--framework SET]
"""

from __future__ import annotations

import argparse
import csv
import io

from govweb import config, frameworks, inventory
from govweb.frameworks import rules

HEADER = """# Expert score sheet of {year} (columns site_id,framework,leaf_id,score,note; lines starting with # are
# comments). Read by govweb.frameworks.manual and validated before scoring: unknown site, framework or
# leaf, a leaf that is not manual, a score outside [0, leaf max] or a duplicate row fails the run.
# SCENARIO DATA, written by scripts/build_expert_scores.py: every site gets the SAME expert scores, full
# marks on each manual leaf of its ranking framework ({plan}) and 1 (核查通过) on the inspection's manual
# veto item, so manual leaves never reorder sites and the ranking rests on the automated leaves.
# {same}
"""


def rows(year: int, plan: frameworks.FrameworkPlan) -> list[list[str]]:
    sites = inventory.load(config.inventory_dir() / str(year) / "inventory.csv")
    out = []
    for site in sorted(sites, key=lambda s: s.site_id):
        for fw in (plan.ranking_for(site.level), *plan.alongside):
            for ref in fw.leaves():
                if ref.leaf.source == "manual":
                    out.append([site.site_id, fw.id, ref.leaf.id, rules.fmt(ref.leaf.input_max),
                                ""])
    return out


def build(year: int, plan_name: str) -> str:
    plan = frameworks.plan(plan_name)
    same = ("The 2016 and 2017 sheets equal this one except for the year (same sites, same scores)."
            if year == 2018 else "Same content as the 2018 sheet (same sites and scores; only the year differs).")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([["site_id", "framework", "leaf_id", "score", "note"],
                                                     *rows(year, plan)])
    return HEADER.format(year=year, plan=plan_name, same=same) + buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, action="append", default=[])
    ap.add_argument("--framework", default="performance_2018")
    args = ap.parse_args(argv)
    for year in args.year or [2016, 2017, 2018]:
        path = config.inventory_dir() / str(year) / "expert_scores.csv"
        path.write_text(build(year, args.framework), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
