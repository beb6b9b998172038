# Sourced by the demo and tests: an embedded Airflow (SQLite, LocalExecutor) under var/airflow.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export AIRFLOW_HOME=${AIRFLOW_HOME:-$ROOT/var/airflow}
export AIRFLOW__CORE__DAGS_FOLDER=$ROOT/dags
export AIRFLOW__CORE__PLUGINS_FOLDER=$ROOT/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES=false
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=true
export AIRFLOW__LOGGING__LOGGING_LEVEL=${AIRFLOW__LOGGING__LOGGING_LEVEL:-INFO}
export GOVWEB_STORE=${GOVWEB_STORE:-file}
export GOVWEB_STORE_PATH=${GOVWEB_STORE_PATH:-$ROOT/var/evidence}
export GOVWEB_OUT=${GOVWEB_OUT:-$ROOT/out}
export PATH=$ROOT/.venv/bin:$PATH
# SQLite waits for the scheduler's write lock instead of failing after 5 s (see plugins/govweb/airflow_db.py)
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS=govweb.airflow_db.SQLITE_CONNECT_ARGS
