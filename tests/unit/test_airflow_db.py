"""The SQLite metadata database of the demo and tests waits for the scheduler's lock instead of failing."""

from __future__ import annotations

import os
import subprocess
import sys

from govweb import airflow_db

PROBE = """
from airflow import settings
settings.configure_orm()
print(settings.engine.raw_connection().driver_connection.execute("pragma busy_timeout").fetchone()[0])
"""


def test_airflow_sqlite_engine_takes_the_busy_timeout(tmp_path):
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path),
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "govweb.airflow_db.SQLITE_CONNECT_ARGS"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert int(out.stdout.strip().splitlines()[-1]) == int(airflow_db.SQLITE_BUSY_TIMEOUT_S * 1000)
