"""Crawl and judge a slice of a simulated scenario exactly as `govweb evaluate` does (same pipeline
stages), with the simulated web's own server started on loopback; time each stage and the peak RSS."""

from __future__ import annotations

import contextlib
import logging
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from govweb import evidence, inventory, pipeline

log = logging.getLogger(__name__)


@dataclass
class BenchRun:
    store: evidence.EvidenceStore
    run: pipeline.RunSettings
    site_ids: list[str]
    faulty: set[str]
    timings: dict[str, float] = field(default_factory=dict)
    peak_rss_mib: float = 0.0

    def findings(self) -> pd.DataFrame:
        return pipeline.read_table(self.store, f"{pipeline.results_prefix(self.run.year, self.run.framework)}"
                                              f"/findings.csv")


def peak_rss_mib() -> float:
    """Peak resident set size of this process and of its finished children (Chromium), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def write_inventory(world, path: Path) -> Path:
    sites = sorted((s.site for s in world.sites.values()), key=lambda s: s.site_id)
    ids = {s.site_id for s in sites}  # a slice of a scenario: parents outside it are dropped
    sites = [s if not s.parent_id or s.parent_id in ids else replace(s, parent_id="") for s in sites]
    path.write_text(inventory.to_csv(sites), encoding="utf-8")
    return path


def probe_week(store: evidence.EvidenceStore, sites, host_map: str, as_of: date, per_day: int = 20) -> int:
    """The availability probe DAG's rounds for the week before as_of (its clock set in that week), as the
    scheduled probes would have logged them: the annual run's availability check reads this log."""
    from govweb.crawl.network import NetworkPolicy
    from govweb.watch import probe, probelog

    start, end = probelog.judged_window(as_of)
    policy = NetworkPolicy.from_args((host_map,), True)
    plan = probe.ProbePlan.from_catalogue(spread_s=0, host_gap_s=0)
    targets, n, day = probe.targets(sites), 0, start
    while day <= end:
        for i in range(per_day):
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(minutes=(24 * 60 // per_day) * i)
            n += len(probelog.append(store, probe.run_round(targets, policy, plan, clock=lambda at=at: at)))
        day += timedelta(days=1)
    return n


@dataclass(frozen=True)
class SimArgs:
    """How `govweb sim serve` reproduces the benchmark's world in a process of its own."""
    scenario: str
    year: int
    scale: int | None

    def argv(self) -> list[str]:
        return ["--scenario", self.scenario, "--year", str(self.year), "--scale",
                "full" if self.scale is None else str(self.scale)]


@contextlib.contextmanager
def serving(world, workdir: Path, sim: SimArgs | None) -> Iterator[tuple[str, int]]:
    """(host map rule, TLS port) of the simulated web: in this process (a thread), or, with `sim`, in its
    own process, so the server does not share the crawler's interpreter (as on a real network)."""
    from govweb.sim import process, server

    if sim is None:
        with server.SimServer(world, tls_port=0) as srv:
            yield srv.host_map, srv.tls_port
        return
    tls = process.free_port()
    with process.spawned([*sim.argv(), "--tls-port", str(tls)], workdir / "sim.log") as served:
        yield f"*.gov.test=127.0.0.1:{served.port}", tls


def crawl_and_judge(world, workdir: Path, *, concurrency: int = 4, batch_size: int = 25,
                    judge: bool = True, probes: bool = True, processes: int = 1,
                    sim: SimArgs | None = None) -> BenchRun:
    """Serve `world`, run stage → (a week of availability probes) → crawl → judge into a filesystem store."""
    workdir.mkdir(parents=True, exist_ok=True)
    store = evidence.FileStore(workdir / "evidence")
    inv = write_inventory(world, workdir / "inventory.csv")
    faulty = {s.site_id for s in world.sites.values() if s.fault}
    timings: dict[str, float] = {}
    with serving(world, workdir, sim) as (host_map, tls_port):
        run = pipeline.RunSettings(year=world.year, as_of=world.as_of, mode="sim",
                                   host_map=(f"{host_map},tls:{tls_port}",), allow_private=True,
                                   batch_size=batch_size, concurrency=concurrency, force=True,
                                   max_failed_share=1.0, crawl_processes=processes)
        t0 = time.monotonic()
        pipeline.stage_inventory(store, inv, run.year)
        pipeline.validate_inventory(store, run.year)
        site_ids = [s.site_id for s in inventory.active(pipeline.load_staged(store, run.year))]
        timings["stage"] = time.monotonic() - t0
        if probes:
            t0 = time.monotonic()
            # sites with a planted server fault (hanging, resetting...) are left out: each of their probes
            # would wait for its timeout, and their findings are not scored by the benchmarks
            probe_week(store, [s.site for s in world.sites.values() if not s.fault], host_map, run.as_of)
            timings["probes"] = time.monotonic() - t0
        t0 = time.monotonic()  # the crawl's time includes planning it (timing the home pages of a first run)
        for batch in pipeline.plan_batches(store, run):
            pipeline.crawl(store, run, batch)
        timings["crawl"] = time.monotonic() - t0
    if judge:
        t0 = time.monotonic()
        pipeline.judge(store, run)
        timings["judge"] = time.monotonic() - t0
    return BenchRun(store, run, site_ids, faulty, timings, peak_rss_mib())
