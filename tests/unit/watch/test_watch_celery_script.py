"""scripts/celery_local.sh describes the compose topology: same executor/broker/DB kinds, same Airflow services,
and workers for the `default` and `crawl` queues (the running deployment: tests/integration/test_celery_local.py)."""

import os
import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "celery_local.sh"


def script_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "GOVWEB_"))}
    out = subprocess.run(["bash", str(SCRIPT), "env"], env={**env, "GOVWEB_CELERY_VAR": str(tmp_path)},
                         capture_output=True, text=True, timeout=60, check=True).stdout
    return dict(re.findall(r"^export ([A-Z_]+)=(.*)$", out, re.M))


def test_env_matches_the_compose_settings(tmp_path):
    env = script_env(tmp_path)
    compose = yaml.safe_load((REPO / "docker-compose.yaml").read_text())
    common = compose["x-airflow-common"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == common["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://127.0.0.1:")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
    for key in ("AIRFLOW__CORE__LOAD_EXAMPLES", "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"):
        assert env[key] == common[key], key
    assert env["AIRFLOW_HOME"] == str(tmp_path / "airflow")


def test_the_script_runs_every_compose_airflow_service_and_both_queues():
    text = SCRIPT.read_text()
    services = re.search(r"AIRFLOW_SERVICES=\(([^)]*)\)", text).group(1).split()
    compose = yaml.safe_load((REPO / "docker-compose.yaml").read_text())["services"]
    for name in ("scheduler", "dag-processor", "triggerer"):
        assert compose[f"airflow-{name}"]["command"] == name and name in services
    assert compose["airflow-apiserver"]["command"] == "api-server" and "api-server" in services
    assert {"worker-default", "worker-crawl"} <= set(services)
    assert "celery worker -q default " in text and "celery worker -q crawl " in text
    assert "redis-server" in text and "pg_ctl" in text and "apt-get install" in text


def test_usage_and_status_without_a_deployment(tmp_path):
    bad = subprocess.run(["bash", str(SCRIPT), "nonsense"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "usage" in bad.stderr
    st = subprocess.run(["bash", str(SCRIPT), "status"], env={**os.environ, "GOVWEB_CELERY_VAR": str(tmp_path)},
                        capture_output=True, text=True, timeout=60)
    assert st.returncode == 3 and st.stdout.count("stopped") == 8
