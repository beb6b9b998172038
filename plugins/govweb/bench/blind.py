"""`govweb bench blind`: the annual DAG run blind on the simulated 2018 scenario, 2017 then 2018.

Each year: the simulated web of that year is served from its own process, the annual evaluation DAG runs
through `airflow dags test` (SQLite, evidence on the filesystem) with nothing of the ground truth, and the
metadata database gives the wall time of every task. Afterwards — only then — the 2018 rankings are
compared with the published tables (include/inventory/published_2018.yaml): top-10 per group with ties
and the most-improved lists.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from govweb import config, evidence, pipeline
from govweb.bench.run import write_inventory

DAG_ID = "govweb_annual_evaluation"
RSS_LINE = re.compile(r"crawl worker peak RSS (\d+) MiB")


@dataclass
class YearRun:
    year: int
    wall_s: float
    tasks: dict[str, float] = field(default_factory=dict)  # task_id -> seconds (mapped tasks: summed)
    mapped: dict[str, int] = field(default_factory=dict)
    crawl_rss_mib: int = 0
    state: str = ""


def _airflow() -> str:
    return str(Path(sys.executable).parent / "airflow")


def _env(work: Path) -> dict[str, str]:
    env = {**os.environ, "AIRFLOW_HOME": str(work / "airflow"), "GOVWEB_STORE": "file",
           "GOVWEB_STORE_PATH": str(work / "evidence"), "GOVWEB_OUT": str(work / "out"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "govweb.airflow_db.SQLITE_CONNECT_ARGS",
           "AIRFLOW__CORE__DAGS_FOLDER": str(config.REPO_ROOT / "dags"),
           "AIRFLOW__CORE__PLUGINS_FOLDER": str(config.REPO_ROOT / "plugins")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # every task process would recompile the whole stack
    return env


def task_times(db: Path, run_id: str) -> tuple[dict[str, float], dict[str, int]]:
    """Seconds per task of one DAG run (a mapped task's instances summed) and instances per task."""
    spent: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT task_id, start_date, end_date FROM task_instance WHERE dag_id = ? AND run_id = ?",
                           (DAG_ID, run_id)).fetchall()
    for task_id, start, end in rows:
        if start and end:
            spent[task_id] += (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        count[task_id] += 1
    return dict(spent), dict(count)


def run_year(work: Path, year: int, scale: int | None, inventory: Path, *, processes: int, concurrency: int,
             batch_size: int, max_failed_share: float) -> YearRun:
    from govweb.sim import process

    tls = process.free_port()
    sim = ["--scenario", "scenario_2018", "--year", str(year), "--scale", "full" if scale is None else str(scale),
           "--tls-port", str(tls)]
    conf = {"mode": "sim", "inventory": str(inventory), "as_of": f"{year}-10-15", "year": year,
            "batch_size": batch_size, "concurrency": concurrency, "crawl_processes": processes,
            "max_failed_share": max_failed_share}
    with process.spawned(sim, work / f"sim_{year}.log") as served:
        env = {**_env(work), "GOVWEB_SIM_HOST_MAP": f"*.gov.test=127.0.0.1:{served.port},tls:{tls}"}
        t0 = time.monotonic()
        proc = subprocess.run([_airflow(), "dags", "test", DAG_ID, f"{year}-10-15", "-c", json.dumps(conf)],
                              env=env, cwd=config.REPO_ROOT, capture_output=True, text=True)
        wall = time.monotonic() - t0
    log = proc.stdout + proc.stderr
    (work / f"dag_{year}.log").write_text(log, encoding="utf-8")
    out = YearRun(year, wall, state="success" if proc.returncode == 0 and "state=success" in log else "failed")
    with sqlite3.connect(work / "airflow" / "airflow.db") as con:
        run_id = con.execute("SELECT run_id FROM dag_run WHERE dag_id = ? ORDER BY id DESC LIMIT 1",
                             (DAG_ID,)).fetchone()[0]
    out.tasks, out.mapped = task_times(work / "airflow" / "airflow.db", run_id)
    out.crawl_rss_mib = max((int(m) for m in RSS_LINE.findall(log)), default=0)
    return out


def compare(store: evidence.EvidenceStore, framework: str) -> list[tuple[str, bool, str]]:
    """(table, matched, what differs) for every published top table and most-improved list."""
    from govweb.sim import oracle

    published = yaml.safe_load((config.inventory_dir() / "published_2018.yaml").read_text(encoding="utf-8"))
    rankings = pipeline.read_table(store, f"{pipeline.results_prefix(2018, framework)}/rankings.csv")
    got = oracle.published_tables(rankings, list(published["groups"]))
    out = []
    for group, want in published["groups"].items():
        expected = [[t["rank"], sorted(s["site_id"] for s in t["sites"])] for t in want["top"]]
        top = got[group]["top"][: len(expected)]
        ok = top == expected and all(r > expected[-1][0] for r, _ in got[group]["top"][len(expected):])
        out.append((f"{group} top {expected[-1][0]}", ok, "" if ok else f"got {top}"))
        listed = [m["site_id"] for m in want.get("most_improved") or []]
        if listed:
            mine = got[group]["most_improved"][: len(listed)]
            out.append((f"{group} most improved", mine == listed, "" if mine == listed else f"got {mine}"))
    return out


def main(scale: int | None, work: Path, *, processes: int, concurrency: int, batch_size: int,
         max_failed_share: float = 0.2) -> int:
    from govweb.sim import world

    for old in ("airflow", "evidence", "out"):  # a fresh run: stored captures would be skipped, not re-crawled
        if (work / old).exists():
            print(f"removing the previous run's {work / old}")
            shutil.rmtree(work / old)
    work.mkdir(parents=True, exist_ok=True)
    inventory = write_inventory(world.load("scenario_2018", 2018, scale=scale), work / "inventory.csv")
    migrate = subprocess.run([_airflow(), "db", "migrate"], env=_env(work), capture_output=True, text=True)
    if migrate.returncode != 0:
        print(migrate.stderr[-3000:])
        return 2
    runs = [run_year(work, y, scale, inventory, processes=processes, concurrency=concurrency,
                     batch_size=batch_size, max_failed_share=max_failed_share) for y in (2017, 2018)]
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    sites = sum(1 for _ in inventory.open(encoding="utf-8")) - 1
    print(f"blind run of scenario_2018 ({sites} sites), {processes} crawl process(es) x {concurrency} sites, "
          f"batches of {batch_size}; work dir {work}")
    stages = list(dict.fromkeys(t for r in runs for t in r.tasks))
    print(f"{'task':28} " + " ".join(f"{r.year:>10}" for r in runs))
    for t in stages:
        print(f"{t:28} " + " ".join(f"{r.tasks.get(t, 0):>9.1f}s" for r in runs)
              + (f"   ({runs[-1].mapped.get(t, 1)} mapped)" if runs[-1].mapped.get(t, 1) > 1 else ""))
    print(f"{'wall (airflow dags test)':28} " + " ".join(f"{r.wall_s:>9.1f}s" for r in runs))
    print(f"{'state':28} " + " ".join(f"{r.state:>10}" for r in runs))
    print(f"peak RSS: crawl worker {max(r.crawl_rss_mib for r in runs)} MiB; largest process of the runs "
          f"(dags test, Chromium, simulated web) {children:.0f} MiB")
    if any(r.state != "success" for r in runs):
        print(f"a DAG run failed: see {work}/dag_*.log")
        return 1
    results = compare(evidence.FileStore(work / "evidence"), "performance_2018")
    print("\npublished 2018 tables reproduced (compared after the run):")
    for name, ok, diff in results:
        print(f"  {'MATCH' if ok else 'DIFFER'}  {name}  {diff}")
    return 0 if all(ok for _, ok, _ in results) else 1
