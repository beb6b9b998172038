"""The `govweb` command: evaluate an inventory without Airflow, and serve the simulated web."""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

from govweb import evidence
from govweb.crawl.browser import CrawlerSetupError
from govweb.crawl.network import HostMapError
from govweb.inventory import InventoryError
from govweb.pipeline import CrawlHealthError, SettingsError
from govweb.quality import QualityGateError
from govweb.scoring import FrameworkError, ManualInputError
from govweb.sim.world import ScenarioError

log = logging.getLogger("govweb")
USER_ERRORS = (InventoryError, FrameworkError, ManualInputError, ScenarioError, QualityGateError, CrawlHealthError,
               CrawlerSetupError, HostMapError, SettingsError)


def _store(spec: str, out: Path) -> evidence.EvidenceStore:
    if spec == "env":
        return evidence.from_env()
    if spec.startswith("file:"):
        return evidence.FileStore(spec[5:])
    if spec == "":
        return evidence.FileStore(out / "evidence")
    raise SystemExit(f"--store {spec!r}: use file:PATH or env (GOVWEB_STORE settings)")


def cmd_evaluate(a: argparse.Namespace) -> int:
    from govweb import pipeline, runsettings, settings

    out = Path(a.out)
    run = runsettings.resolve({s.name: getattr(a, s.name) for s in settings.SETTINGS if s.cli})
    store = _store(a.store, out)
    log.info("evaluating %s for %d as of %s in %s mode; evidence in %s", run.inventory, run.year, run.as_of,
             run.mode, store.url)
    pipeline.evaluate(store, run, run.inventory, out)
    print(f"report: {out / 'index.html'}")
    return 0


def _scale(text: str) -> int | None:
    if text == "full":
        return None
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"--scale {text!r}: use a positive number of sites or 'full'")


def _world(a: argparse.Namespace, year: int | None = None):
    from govweb.sim import world

    return world.load(a.scenario, year or a.year, scale=a.scale)


def cmd_sim_serve(a: argparse.Namespace) -> int:
    from govweb.sim import server

    server.serve(_world(a), host=a.host, port=a.port, tls_port=a.tls_port, loader=lambda y: _world(a, y))
    return 0


def cmd_sim_truth(a: argparse.Namespace) -> int:
    from govweb.sim import truth

    w = csv.DictWriter(sys.stdout, fieldnames=list(truth.TRUTH_COLUMNS), lineterminator="\n")
    w.writeheader()
    w.writerows(truth.rows(_world(a)))
    return 0


def cmd_sim_structure(a: argparse.Namespace) -> int:
    from govweb.sim import structure

    sys.stdout.write(structure.to_csv(_world(a)))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="govweb", description="Government website performance evaluation")
    sub = p.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="crawl, judge, score, rank and publish an inventory (no Airflow)")
    from govweb import settings

    settings.add_cli_options(ev)  # the run settings: one definition shared with the Airflow trigger form
    ev.add_argument("--out", required=True, help="folder for findings/scores/rankings CSVs and the report")
    ev.add_argument("--store", default="", help="evidence store: file:PATH or env (default: OUT/evidence)")
    ev.set_defaults(fn=cmd_evaluate)

    sim = sub.add_parser("sim", help="the simulated government web").add_subparsers(dest="sim_command",
                                                                                   required=True)
    serve = sim.add_parser("serve", help="serve the simulated sites on one loopback port")
    tr = sim.add_parser("truth", help="print the ground truth (CSV: site_id,check_id,defect,expected_value,status)")
    st = sim.add_parser("structure", help="print what each site serves (CSV: site_id,kind,name,url,category,extra)")
    for sp in (serve, tr, st):
        sp.add_argument("--scenario", default=None,
                        help="inventory + profiles in include/inventory/ (default: scenario_2018 with --scale, "
                             "else demo_2018)")
        sp.add_argument("--year", type=int, default=2018)
        sp.add_argument("--scale", type=_scale, default=None, metavar="N|full",
                        help="serve the first N sites of the scenario (profiled ones first), or all of it")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--tls-port", type=int, default=None, help="also serve HTTPS on this port")
    serve.set_defaults(fn=cmd_sim_serve)
    tr.set_defaults(fn=cmd_sim_truth)
    st.set_defaults(fn=cmd_sim_structure)

    from govweb.bench.cli import add_parser as add_bench
    from govweb.publish.cli import add_parser as add_publish

    add_bench(sub)
    add_publish(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    if getattr(args, "command", "") == "sim" and args.scenario is None:
        scaled = "--scale" in (argv if argv is not None else sys.argv)
        args.scenario = "scenario_2018" if scaled else "demo_2018"
    try:
        return args.fn(args)
    except USER_ERRORS as exc:  # bad input or a failed gate: a clear message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
