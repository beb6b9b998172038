"""`govweb bench accuracy|crawl`: measure detectors and crawl coverage against the simulated web."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)


def _world(a: argparse.Namespace):
    from govweb.sim import world

    return world.load(a.scenario, a.year, scale=a.scale)


def _sim_args(a: argparse.Namespace):
    from govweb.bench.run import SimArgs

    return SimArgs(a.scenario, a.year, a.scale) if a.sim_process else None


@contextlib.contextmanager
def _workdir(a: argparse.Namespace) -> Iterator[Path]:
    """--workdir (kept), else a temporary folder removed at the end: a full-scale run stores gigabytes."""
    if a.workdir:
        # absolute: Airflow refuses a relative SQLite path, and the sim and Airflow processes may start elsewhere
        yield Path(a.workdir).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="govweb-bench-") as tmp:
        yield Path(tmp).resolve()


def cmd_accuracy(a: argparse.Namespace) -> int:
    from govweb.bench import accuracy, run
    from govweb.sim import truth

    w = _world(a)
    with _workdir(a) as workdir:
        bench = run.crawl_and_judge(w, workdir, concurrency=a.concurrency, processes=a.processes,
                                    batch_size=a.batch_size, sim=_sim_args(a))
        sites = set(bench.site_ids) - bench.faulty
        table = accuracy.compare(bench.findings(), truth.rows(w), sites)
    print(f"accuracy on {len(sites)} sites of {a.scenario} {a.year} "
          f"({len(bench.faulty)} sites with a planted fault left out); crawl {bench.timings['crawl']:.1f}s, "
          f"judge {bench.timings['judge']:.1f}s, peak RSS {bench.peak_rss_mib:.0f} MiB")
    print(accuracy.render(table))
    errors = [e for acc in table.values() for e in acc.errors]
    if errors:
        print("\nexamples of disagreements:")
        print("\n".join(f"  {e}" for e in errors[: a.examples]))
    if a.json:
        Path(a.json).write_text(json.dumps({c: vars(x) | {"precision": x.precision, "recall": x.recall}
                                            for c, x in table.items()}, ensure_ascii=False, indent=1))
    problems = accuracy.below_bars(table, a.per_check, a.overall)
    if problems and a.check:
        print("\nBELOW THE BARS:\n  " + "\n  ".join(problems))
        return 1
    return 0


def cmd_crawl(a: argparse.Namespace) -> int:
    from govweb.bench import coverage

    with _workdir(a) as workdir:
        return coverage.main(a, _world(a), workdir)


def cmd_blind(a: argparse.Namespace) -> int:
    from govweb.bench import blind

    with _workdir(a) as workdir:
        return blind.main(a.scale, workdir, processes=a.processes, concurrency=a.concurrency,
                          batch_size=a.batch_size, max_failed_share=a.max_failed_share)


def add_parser(sub) -> None:
    bench = sub.add_parser("bench", help="benchmarks against the simulated web").add_subparsers(
        dest="bench_command", required=True)
    acc = bench.add_parser("accuracy", help="crawl a scenario slice, judge it, print precision/recall per check")
    crawl = bench.add_parser("crawl", help="crawl coverage per page kind vs the served structure; naive baseline")
    for sp in (acc, crawl):
        sp.add_argument("--scenario", default="scenario_2018")
        sp.add_argument("--year", type=int, default=2018)
        sp.add_argument("--scale", type=lambda t: None if t == "full" else int(t), default=60, metavar="N|full")
        sp.add_argument("--workdir", default="",
                        help="keep the evidence here (default: a temporary folder, removed at the end)")
        sp.add_argument("--concurrency", type=int, default=4, help="sites at once per crawl process")
        sp.add_argument("--processes", type=int, default=2, help="crawl worker processes (cores)")
        sp.add_argument("--batch-size", type=int, default=25,
                        help="sites per crawl batch; each batch waits for its slowest site (1000: one batch)")
        sp.add_argument("--sim-process", action=argparse.BooleanOptionalAction, default=True,
                        help="serve the simulated web from its own process (default), not a thread of this one")
    acc.add_argument("--check", action="store_true", help="exit 1 below the bars")
    acc.add_argument("--per-check", type=float, default=0.95)
    acc.add_argument("--overall", type=float, default=0.98)
    acc.add_argument("--examples", type=int, default=40)
    acc.add_argument("--json", default="", help="also write the table as JSON here")
    acc.set_defaults(fn=cmd_accuracy)
    crawl.add_argument("--naive", type=int, default=0, help="also crawl the first N sites with the naive crawler")
    crawl.add_argument("--check", action="store_true", help="exit 1 when coverage < --min-coverage")
    crawl.add_argument("--min-coverage", type=float, default=0.98)
    crawl.set_defaults(fn=cmd_crawl)
    blind = bench.add_parser("blind", help="the annual DAG, blind, on the 2018 scenario (2017 then 2018); "
                                           "time per task, peak RSS, published tables compared afterwards")
    blind.add_argument("--scale", type=lambda t: None if t == "full" else int(t), default=None, metavar="N|full")
    blind.add_argument("--workdir", default="",
                       help="keep the run here (default: a temporary folder, removed at the end)")
    blind.add_argument("--processes", type=int, default=2, help="crawl worker processes per crawl task")
    # 12 sites per process fit the RSS bar since the crawl keeps few parsed trees (crawl.context.TreeKeeper);
    # one batch: `airflow dags test` runs mapped batches one after another, and each waits for its slowest site
    # while the other slots idle (the crawl starts last year's slowest sites first: crawl.schedule)
    blind.add_argument("--concurrency", type=int, default=12, help="sites at once per crawl process")
    blind.add_argument("--batch-size", type=int, default=1000, help="sites per mapped crawl task")
    blind.add_argument("--max-failed-share", type=float, default=0.2,
                       help="the run's crawl-health gate (small slices hold the 8 fault sites: raise it)")
    blind.set_defaults(fn=cmd_blind)
