"""Connection arguments for an Airflow metadata database on SQLite (the demo, `airflow standalone`, tests).

Airflow reads them through `[database] sql_alchemy_connect_args = govweb.airflow_db.SQLITE_CONNECT_ARGS`
(`scripts/airflow_env.sh` sets it). SQLite lets one writer in at a time and Python's driver gives up after
5 s of waiting; with a scheduler busy on a loaded 2-core machine, `airflow backfill create` then failed with
"database is locked". Waiting up to 60 s lets the CLI queue behind the scheduler instead (and still
fails, with that message, well inside the 120 s a caller such as the UI test gives a CLI command). PostgreSQL
deployments (compose, `scripts/celery_local.sh`) do not use this.
"""

from __future__ import annotations

SQLITE_BUSY_TIMEOUT_S = 60.0
SQLITE_CONNECT_ARGS: dict[str, object] = {"timeout": SQLITE_BUSY_TIMEOUT_S}
