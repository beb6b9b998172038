"""The annual DAG end to end (`airflow dags test`, SQLite) for 2017 then 2018 on the simulated web."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govweb import evidence, pipeline
from govweb.sim import server, world
from tests.dags.conftest import REPO

pytestmark = [pytest.mark.airflow, pytest.mark.browser]
AIRFLOW = str(Path(sys.executable).parent / "airflow")
FRAMEWORK = "performance_2018"


def run_dag(env: dict, year: int, host_map: str) -> str:
    conf = {"mode": "sim", "batch_size": 4, "inventory": str(REPO / "include/inventory/demo_2018.csv")}
    env = {**env, "GOVWEB_SIM_HOST_MAP": host_map}  # sim mode takes the simulated web's address from configuration
    proc = subprocess.run([AIRFLOW, "dags", "test", "govweb_annual_evaluation", f"{year}-10-15", "-c",
                           json.dumps(conf)], env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "state=success" in log, log[-4000:]
    return log


@pytest.fixture(scope="module")
def dag_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dag")
    env = {**os.environ, "AIRFLOW_HOME": str(tmp / "airflow"), "GOVWEB_STORE": "file",
           "GOVWEB_STORE_PATH": str(tmp / "evidence"), "GOVWEB_OUT": str(tmp / "out")}
    migrate = subprocess.run([AIRFLOW, "db", "migrate"], env=env, capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    logs = {}
    for year in (2017, 2018):
        with server.SimServer(world.load("demo_2018", year)) as srv:
            logs[year] = run_dag(env, year, srv.host_map)
    return evidence.FileStore(tmp / "evidence"), tmp / "out", logs


def test_rankings_with_ties_and_year_over_year_delta(dag_runs):
    store, _, _ = dag_runs
    rankings = pipeline.read_table(store, f"results/2018/{FRAMEWORK}/rankings.csv")
    province = rankings[rankings["group"] == "province"]
    assert list(province["name"]) == ["北京市人民政府", "上海市人民政府", "四川省人民政府", "吉林省人民政府"]
    assert list(province["rank"]) == [1, 1, 2, 3] and list(province["tie"]) == [True, True, False, False]
    jilin = province[province["site_id"] == "2200000007"].iloc[0]
    assert jilin["delta"] > 0  # its 2017 version also lacked search and had broken links
    suzhou = rankings[rankings["site_id"] == "3205000001"].iloc[0]
    assert bool(suzhou["vetoed"])


def test_evidence_blobs_exist_for_every_site(dag_runs):
    store, _, _ = dag_runs
    sites = pipeline.load_staged(store, 2018)
    assert len(sites) == 11
    for s in sites:
        cap = store.get_json(f"evidence/2018/{s.site_id}/capture.json")
        assert cap["status"] == "ok"
        home = cap["pages"][0]
        assert store.get(home["html_key"]) and store.get(home["screenshot_key"]).startswith(b"\x89PNG")
        assert all(store.exists(p["html_key"]) for p in cap["pages"] if p["html_key"])


def test_report_and_quality_records(dag_runs):
    store, out, logs = dag_runs
    html = (out / "2018" / "index.html").read_text(encoding="utf-8")
    assert "省级政府" in html and "北京市人民政府" in html
    assert store.exists("reports/2018/index.html")
    assert store.exists(f"quality/2018/{FRAMEWORK}.json") and store.exists("quality/2018/inventory.json")
    health = store.get_json("quality/2018/crawl_health.json")
    assert health["failed"] == [] and health["sites"] == 11
    # every site's crawl time, so next year's crawl starts the slowest first
    assert len(health["seconds"]) == 11 and all(v > 0 for v in health["seconds"].values())
    # 2017, a first run: its home pages timed for the order; 2018: 2017's crawl times, nothing timed
    assert "timed 11 home pages for the crawl order" in logs[2017]
    assert "11 of 11 sites timed last year, 0 home pages timed now" in logs[2018]
    assert "home pages for the crawl order" not in logs[2018]
    # progress of the long crawl is visible in the task logs: 11 sites in batches of 4, 4 and 3
    assert logs[2018].count("links checked") == 11
    assert logs[2018].count("[4/4]") == 2 and logs[2018].count("[3/3]") == 1
