"""The annual DAG on the local CeleryExecutor deployment (scripts/celery_local.sh: redis, PostgreSQL, scheduler,
DAG processor, API server, triggerer, a default and a `crawl` worker), with the crawl worker SIGKILLed in the
middle of a crawl task. The run still succeeds (the scheduler fails the orphaned task on its missed heartbeats,
the retry runs on the restarted worker and skips the sites already captured) and its scores equal, byte for
byte, those of an uninterrupted run. Every process the deployment started is stopped at the end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from govweb import evidence, inventory, pipeline
from govweb.sim import server, world
from govweb.sim.process import free_port
from govweb.watch import warnings

pytestmark = [pytest.mark.airflow, pytest.mark.browser, pytest.mark.timeout(1800)]
REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "celery_local.sh"
DAG_ID = "govweb_annual_evaluation"
SCORES = "results/2018/performance_2018/scores.csv"
DEMO = REPO / "include" / "inventory" / "demo_2018.csv"


def _script(env: dict, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


class Api:
    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{self.base}/auth/token", timeout=60) as r:  # all-admins: no login
            self.token = json.load(r)["access_token"]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(f"{self.base}/api/v2{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)


def _wait(what: str, check, timeout: float, every: float = 3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (got := check()) is not None:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def deployment():
    var = REPO / "var" / f"celery-test-{os.getpid()}"  # PostgreSQL (user postgres) must reach it: not /tmp/pytest-*
    ports = {"GOVWEB_CELERY_PG_PORT": free_port(), "GOVWEB_CELERY_REDIS_PORT": free_port(),
             "GOVWEB_CELERY_API_PORT": free_port(), "GOVWEB_CELERY_LOG_PORT": free_port()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "GOVWEB_"))}
    env.update({k: str(v) for k, v in ports.items()})
    env.update({"GOVWEB_CELERY_VAR": str(var), "GOVWEB_CELERY_HEARTBEAT_TIMEOUT": "20",
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",  # only the run this test triggers
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())})
    started = time.monotonic()
    try:
        up = _script(env, "start")
        assert up.returncode == 0, up.stderr[-3000:] + _logs(var)
        print(f"deployment up in {time.monotonic() - started:.0f} s")
        yield env, var, Api(ports["GOVWEB_CELERY_API_PORT"])
    finally:
        pids = {p.stem: int(p.read_text()) for p in (var / "pids").glob("*.pid")} if (var / "pids").is_dir() else {}
        down = _script(env, "stop", timeout=300)
        assert down.returncode == 0, down.stderr[-2000:]
        assert not list((var / "pids").glob("*.pid")), "pid files left behind"
        left = _script(env, "leftovers", timeout=120).stdout.split()  # processes carrying the deployment's mark
        assert not [p for p in left if _alive(int(p))], f"processes of the deployment left running: {left}"
        alive = [f"{name} ({pid})" for name, pid in pids.items() if _alive(pid)]
        shutil.rmtree(var, ignore_errors=True)
        assert not alive, f"still running after stop: {alive}"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _logs(var: Path) -> str:
    return "".join(f"\n--- {p.name}\n{p.read_text(errors='replace')[-1500:]}"
                   for p in sorted((var / "logs").glob("*.log")))


def _crawl_tis(api: Api, run_id: str) -> list[dict]:
    tis = api.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances?limit=100")["task_instances"]
    return [ti for ti in tis if ti["task_id"] == "crawl_batch"]


def test_annual_run_survives_a_killed_crawl_worker(deployment, tmp_path):
    env, var, api = deployment
    t0 = time.monotonic()
    store = evidence.FileStore(var / "evidence")
    with server.SimServer(world.load("demo_2018", 2018)) as srv:
        _wait("the DAG processor to parse the annual DAG",
              lambda: True if any(d["dag_id"] == DAG_ID for d in api.call("GET", "/dags")["dags"]) else None, 300)
        api.call("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
        conf = {"year": 2018, "as_of": "2018-10-15", "mode": "sim", "allow_private": True, "inventory": str(DEMO),
                "host_map": [srv.host_map], "batch_size": 4, "concurrency": 2}
        run_id = api.call("POST", f"/dags/{DAG_ID}/dagRuns", {"logical_date": None, "conf": conf})["dag_run_id"]

        def mid_crawl():
            captured = len([k for k in store.list("evidence/2018/") if k.endswith("/capture.json")])
            running = [ti for ti in _crawl_tis(api, run_id) if ti["state"] == "running"]
            return (captured, running) if running and 1 <= captured < 11 else None

        captured, running = _wait("a crawl task in the middle of its sites", mid_crawl, 900, every=1.0)
        worker = int((var / "pids" / "worker-crawl.pid").read_text())
        os.killpg(worker, signal.SIGKILL)  # the crawl worker dies with its task processes (and browsers)
        print(f"killed the crawl worker at {time.monotonic() - t0:.0f} s: {captured}/11 sites captured, "
              f"running: {[ti['map_index'] for ti in running]}")
        restart = _script(env, "start")  # brings back only what is not running: the crawl worker
        assert restart.returncode == 0 and "worker-crawl started" in restart.stderr, restart.stderr[-2000:]

        def finished():
            state = api.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")["state"]
            return state if state in ("success", "failed") else None

        state = _wait("the run to finish", finished, 1500, every=5.0)
        assert state == "success", _logs(var)
        retried = [ti for ti in _crawl_tis(api, run_id) if ti["try_number"] >= 2]
        assert retried, "no crawl task was retried: the kill did not hit a running crawl"
        run_s = time.monotonic() - t0

        baseline = evidence.FileStore(tmp_path / "baseline")
        pipeline.evaluate(baseline, pipeline.RunSettings(year=2018, as_of=date(2018, 10, 15), mode="sim",
                                                         host_map=(srv.host_map,), allow_private=True, batch_size=4,
                                                         concurrency=2), DEMO,
                          tmp_path / "out")
    assert store.get(SCORES) == baseline.get(SCORES)
    assert store.get_json("quality/2018/crawl_health.json")["failed"] == []
    # early warnings from these captures (the detectors' own values): 苏州's home page is 40 days old, nothing else
    digest = warnings.digest(store, inventory.load(DEMO), date(2018, 10, 15))
    assert [(w.site_id, w.rule, w.value) for w in digest.warnings] == [("3205000001", "freshness.homepage", 40.0)]
    print(f"celery run with a killed crawl worker: {run_s:.0f} s; test total {time.monotonic() - t0:.0f} s; "
          f"retried: {[(ti['map_index'], ti['try_number']) for ti in retried]}", file=sys.stderr)
