"""The production detectors, on a real crawl of the simulated 2018 scenario, agree with its ground truth.

Sites are chosen per check ID (defective and clean ones, none with a planted server fault) from the full
937-site scenario, crawled through the pipeline like `govweb evaluate`, judged, and compared with
`govweb sim truth`: precision and recall per check ID >= 0.95 and overall >= 0.98 (the issue's bars).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govweb.bench import accuracy, run
from govweb.sim import catalogue, truth, world

pytestmark = pytest.mark.browser
PER_SIDE = 3
OUT = Path(__file__).resolve().parents[2] / "var" / "bench"


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    full = world.load("scenario_2018", 2018)
    rows = truth.rows(full)
    faulty = {s.site_id for s in full.sites.values() if s.fault}
    chosen: set[str] = set()
    for check_id in catalogue.CHECK_IDS:
        mine = sorted((r for r in rows if r["check_id"] == check_id and r["site_id"] not in faulty),
                      key=lambda r: r["site_id"])
        chosen |= {r["site_id"] for r in [r for r in mine if r["defect"]][:PER_SIDE]}
        chosen |= {r["site_id"] for r in [r for r in mine if not r["defect"]][:PER_SIDE]}
    sliced = world.World(full.year, full.as_of, {h: s for h, s in full.sites.items() if s.site_id in chosen})
    bench = run.crawl_and_judge(sliced, tmp_path_factory.mktemp("accuracy"), concurrency=4)
    table = accuracy.compare(bench.findings(), rows, chosen)
    report = (f"{len(chosen)} sites, crawl {bench.timings['crawl']:.1f}s, judge {bench.timings['judge']:.1f}s\n"
              + accuracy.render(table))
    print("\n" + report)
    OUT.mkdir(parents=True, exist_ok=True)  # the table of the last run, for readers of a CI log's run
    (OUT / "accuracy_ci.txt").write_text(report + "\n", encoding="utf-8")
    return table


def test_every_check_id_is_measured_on_defective_and_clean_sites(measured):
    assert set(measured) == set(catalogue.CHECK_IDS)
    for acc in measured.values():
        assert acc.tp + acc.fn >= 1 and acc.tn + acc.fp >= 1, acc.check_id


def test_precision_and_recall_meet_the_bars(measured):
    problems = accuracy.below_bars(measured, per_check=0.95, total=0.98)
    examples = [e for acc in measured.values() for e in acc.errors]
    assert problems == [], "\n".join(problems + examples)
