"""Airflow tests run against a throw-away AIRFLOW_HOME (SQLite), never the user's."""

import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_HOME = tempfile.mkdtemp(prefix="govweb-airflow-")
os.environ["AIRFLOW_HOME"] = _HOME
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(REPO / "plugins")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "false"
os.environ["AIRFLOW__CORE__EXECUTOR"] = "LocalExecutor"
