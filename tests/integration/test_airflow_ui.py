"""As an operator: a running Airflow (standalone), the trigger form submitted for 2018 in sim mode with no other
field touched, the run succeeds. The deployment's include folder holds a small 2018 inventory (3 demo sites)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from govweb.sim import server, world
from govweb.sim.process import free_port
from tests.conftest import sim_host_map

pytestmark = [pytest.mark.airflow, pytest.mark.browser, pytest.mark.timeout(1500)]
REPO = Path(__file__).resolve().parents[2]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
SITES = ("1100000088", "3100000052", "2200000007")
SHOTS = REPO / "var" / "ui"


def wait_for(predicate, timeout: float, what: str, every: float = 2.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = predicate()
        if got:
            return got
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def airflow_ui(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ui")
    include = tmp / "include"
    shutil.copytree(REPO / "include", include)
    demo = (REPO / "include/inventory/demo_2018.csv").read_text(encoding="utf-8").splitlines()
    small = [demo[0]] + [line for line in demo[1:] if line.split(",")[0] in SITES]
    for year in (2016, 2017, 2018):
        folder = include / f"inventory/{year}"
        (folder / "inventory.csv").write_text("\n".join(small) + "\n", encoding="utf-8")
        # the year's manual inputs follow its inventory (rows naming other sites fail the score stage):
        # the expert sheet keeps the three sites' rows; none of them has an innovation case
        sheet = (folder / "expert_scores.csv").read_text(encoding="utf-8").splitlines()
        kept = [r for r in sheet if r.startswith("#") or r.startswith("site_id,") or r.split(",")[0] in SITES]
        (folder / "expert_scores.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
        (folder / "innovation_cases.yaml").unlink()
    sim = server.SimServer(world.load("demo_2018", 2018), tls_port=0, loader=lambda y: world.load("demo_2018", y))
    sim.__enter__()
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(AIRFLOW).parent}:{os.environ.get('PATH', '')}",
           "AIRFLOW_HOME": str(tmp / "airflow"), "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
           "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO / "plugins"), "AIRFLOW__CORE__LOAD_EXAMPLES": "false",
           "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True", "AIRFLOW__API__PORT": str(port),
           "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
           "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
           "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
           "AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL": "10",
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "govweb.airflow_db.SQLITE_CONNECT_ARGS",
           "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "true",
           "GOVWEB_INCLUDE": str(include), "GOVWEB_STORE": "file", "GOVWEB_STORE_PATH": str(tmp / "evidence"),
           "GOVWEB_OUT": str(tmp / "out"), "GOVWEB_SIM_HOST_MAP": sim_host_map(sim),
           # archive mode (past years) reaches the simulated web's Wayback-compatible archive on loopback
           "GOVWEB_ARCHIVE_HOST_MAP": f"archive.gov.test=127.0.0.1:{sim.port}", "GOVWEB_ARCHIVE_ALLOW_PRIVATE": "true"}
    log = open(tmp / "standalone.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen([AIRFLOW, "standalone"], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: http_ok(f"{base}/api/v2/version"), 300, "the API server")
        yield base, env, tmp
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        sim.__exit__(None, None, None)


def runs(env: dict) -> list[dict]:
    """The DAG's runs; none when the CLI could not answer this time (the caller polls again)."""
    try:
        out = subprocess.run([AIRFLOW, "dags", "list-runs", "govweb_annual_evaluation", "-o", "json"], env=env,
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return []
    rows = [line for line in out.stdout.splitlines() if line.startswith("[")]  # warnings share stdout
    try:
        return json.loads(rows[-1]) if rows else []
    except json.JSONDecodeError:
        return []


def paused(env: dict) -> bool:
    try:
        out = subprocess.run([AIRFLOW, "dags", "list", "-o", "json"], env=env, capture_output=True, text=True,
                             timeout=120)
    except subprocess.TimeoutExpired:
        return True
    rows = [line for line in out.stdout.splitlines() if line.startswith("[")]
    try:
        dags = json.loads(rows[-1]) if rows else []
    except json.JSONDecodeError:
        return True
    return next((str(d.get("is_paused")).lower() in ("true", "1") for d in dags
                 if d.get("dag_id") == "govweb_annual_evaluation"), True)


def finished(env: dict, prefix: str, count: int) -> list[dict] | None:
    """The finished runs whose id starts with `prefix`, once there are `count` of them."""
    done = [r for r in runs(env) if r["run_id"].startswith(prefix) and r.get("state") in ("success", "failed")]
    return done if len(done) >= count else None


def test_trigger_form_for_2018_in_sim_mode_runs_to_success(airflow_ui):
    from playwright.sync_api import sync_playwright

    base, env, tmp = airflow_ui
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100}, locale="zh-CN")
        def dag_page_ready() -> bool:
            page.goto(f"{base}/dags/govweb_annual_evaluation", wait_until="networkidle", timeout=60000)
            return page.get_by_test_id("trigger-dag-button").count() > 0
        wait_for(dag_page_ready, 300, "the DAG in the UI", every=5)
        page.get_by_test_id("trigger-dag-button").click()
        page.get_by_text("评估对象 What to evaluate").click()
        page.locator("input[name=element_year]").fill("2018")
        mode = page.locator("input[role=combobox]").first
        mode.click()
        mode.fill("sim")
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        assert page.locator("input[name=element_mode]").input_value() == "sim"
        page.screenshot(path=str(SHOTS / "trigger_form.png"), full_page=True)
        page.get_by_test_id("trigger-dag-submit").click()
        # the dialog triggers the run, then unpauses the DAG (its default) in a second request: keep the page
        # open until both landed (closing it after a fixed 2 s left the DAG paused on a loaded machine)
        wait_for(lambda: runs(env) and not paused(env), 180, "the trigger dialog's run and unpause", every=3)
        browser.close()
    run = wait_for(lambda: finished(env, "manual__", 1), 1200, "the run to finish", every=10)[0]
    assert run["state"] == "success", (tmp / "standalone.log").read_text(encoding="utf-8")[-5000:]
    captures = sorted((tmp / "evidence" / "evidence" / "2018").glob("*/capture.json"))
    assert {p.parent.name for p in captures} == set(SITES)
    assert all(json.loads(p.read_text(encoding="utf-8"))["mode"] == "sim" for p in captures)
    assert (tmp / "out" / "2018" / "index.html").is_file()


def test_unpausing_schedules_the_latest_year_which_has_no_inventory_and_fails_first(airflow_ui):
    """The trigger dialog unpaused the DAG: the scheduler's run for the latest 15 October (a year without an
    inventory) fails in its first task, and nothing was staged or crawled for that year."""
    _, env, tmp = airflow_ui
    run = wait_for(lambda: finished(env, "scheduled__", 1), 600, "the scheduled run", every=10)[0]
    year = int(run["logical_date"][:4])
    assert run["state"] == "failed"
    tis = subprocess.run([AIRFLOW, "tasks", "states-for-dag-run", "govweb_annual_evaluation", run["run_id"], "-o",
                          "json"], env=env, capture_output=True, text=True, timeout=120)
    rows = [line for line in tis.stdout.splitlines() if line.startswith("[")]
    states = {t["task_id"]: t["state"] for t in json.loads(rows[-1])}
    assert states["resolve_run"] == "failed" and states.get("stage_inventory") in ("upstream_failed", None)
    assert not (tmp / "evidence" / "inventory" / str(year)).exists()
    assert not (tmp / "evidence" / "evidence" / str(year)).exists()


def create_backfill(env: dict, start: str, end: str, attempts: int = 5) -> subprocess.CompletedProcess:
    """`airflow backfill create`, run again when SQLite reported a lock conflict with the scheduler. SQLite answers
    `database is locked` at once, whatever the busy timeout, when waiting could deadlock (a read transaction
    upgrading to a write while the scheduler commits); Airflow then removes the partial backfill so that the
    operator can run the command again, which is what an operator does and what this helper does."""
    for attempt in range(attempts):
        out = subprocess.run([AIRFLOW, "backfill", "create", "--dag-id", "govweb_annual_evaluation", "--from-date",
                              start, "--to-date", end], env=env, capture_output=True, text=True, timeout=300)
        if out.returncode == 0 or "database is locked" not in out.stdout + out.stderr:
            return out
        time.sleep(5 + 5 * attempt)
    return out


def test_backfill_evaluates_past_years_from_the_archive(airflow_ui):
    """`airflow backfill create` over 2016-2017 with the scheduler running: one run per year, both in archive
    mode, captures carrying snapshot timestamps of their own year; 2017 scores differ from 2018 where the
    simulated web's content differs."""
    _, env, tmp = airflow_ui
    out = create_backfill(env, "2016-10-15", "2017-10-16")
    assert out.returncode == 0, out.stdout + out.stderr
    done = wait_for(lambda: finished(env, "backfill__", 2), 1500, "both backfill runs", every=15)
    assert {r["state"] for r in done} == {"success"}, (tmp / "standalone.log").read_text(encoding="utf-8")[-5000:]
    evidence = tmp / "evidence" / "evidence"
    for year in (2016, 2017):
        caps = [json.loads(p.read_text(encoding="utf-8")) for p in (evidence / str(year)).glob("*/capture.json")]
        assert {c["site_id"] for c in caps} == set(SITES)
        assert all(c["mode"] == "archive" and c["snapshots"] for c in caps)
        assert all(ts.startswith(str(year)) for c in caps for ts in c["snapshots"].values())
    import csv

    def totals(year: int) -> dict[str, str]:
        path = tmp / "evidence" / "results" / str(year) / "performance_2018" / "scores.csv"
        with open(path, encoding="utf-8") as fh:
            return {r["site_id"]: r["total"] for r in csv.DictReader(fh) if r["framework"] != "inspection_2019"}

    t2017, t2018 = totals(2017), totals(2018)
    assert set(t2017) == set(SITES) and t2017 != t2018  # Jilin's 2017 site lacked search and had broken links
