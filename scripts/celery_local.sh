#!/usr/bin/env bash
# The CeleryExecutor deployment on one machine, without Docker (issue 11; same topology as
# docker-compose.yaml): Debian redis-server (broker) and PostgreSQL (metadata DB + Celery results),
# `airflow db migrate`, then the scheduler, the DAG processor, the API server, the triggerer, one
# Celery worker on the `default` queue and one on the `crawl` queue (the browser tasks).
#
#   scripts/celery_local.sh start     # installs redis-server/postgresql with apt when missing; idempotent:
#                                     # starts only what is not running
#   scripts/celery_local.sh status    # one line per service: running (pid) or stopped
#   scripts/celery_local.sh stop      # stops everything this script started (pid files), nothing else
#   scripts/celery_local.sh leftovers # pids still carrying this deployment's mark (nothing after stop)
#   scripts/celery_local.sh env       # the environment, to run the airflow CLI against it:
#                                     #   eval "$(scripts/celery_local.sh env)"; airflow dags list
#
# Everything lives under var/celery/ (GOVWEB_CELERY_VAR): pids/, logs/, pgdata/, redis/, airflow/
# (AIRFLOW_HOME), evidence/ (the file evidence store). Settings (environment, with defaults):
#   GOVWEB_CELERY_PG_PORT (54329)  GOVWEB_CELERY_REDIS_PORT (63790)  GOVWEB_CELERY_API_PORT (28080)
#   GOVWEB_CELERY_LOG_PORT (28793: worker log servers use it and the next two ports)
#   GOVWEB_CELERY_CONCURRENCY (2 task slots per worker)
#   GOVWEB_CELERY_HEARTBEAT_TIMEOUT (60 s: a task whose worker died is failed, then retried, after this)
#   GOVWEB_STORE / GOVWEB_STORE_PATH / GOVWEB_OUT as in scripts/airflow_env.sh
# Any AIRFLOW__SECTION__KEY already exported wins over the defaults below.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR=${GOVWEB_CELERY_VAR:-$ROOT/var/celery}
PIDS=$VAR/pids
LOGS=$VAR/logs
PG_PORT=${GOVWEB_CELERY_PG_PORT:-54329}
REDIS_PORT=${GOVWEB_CELERY_REDIS_PORT:-63790}
API_PORT=${GOVWEB_CELERY_API_PORT:-28080}
LOG_PORT=${GOVWEB_CELERY_LOG_PORT:-28793}
CONCURRENCY=${GOVWEB_CELERY_CONCURRENCY:-2}
PGBIN=${GOVWEB_PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
AIRFLOW_SERVICES=(scheduler dag-processor api-server triggerer worker-default worker-crawl)

log() { printf '[celery_local] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

airflow_env() {
  local db="airflow@127.0.0.1:$PG_PORT/airflow"
  local -A defaults=(
    [AIRFLOW_HOME]=$VAR/airflow
    [AIRFLOW__CORE__EXECUTOR]=CeleryExecutor
    [AIRFLOW__DATABASE__SQL_ALCHEMY_CONN]=postgresql+psycopg2://$db
    [AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC]=postgresql+asyncpg://$db
    [AIRFLOW__CELERY__BROKER_URL]=redis://127.0.0.1:$REDIS_PORT/0
    [AIRFLOW__CELERY__RESULT_BACKEND]=db+postgresql+psycopg2://$db  # SQLAlchemy 2.1: bare postgresql:// means psycopg 3
    [AIRFLOW__API_AUTH__JWT_SECRET]=govweb-local-jwt-secret-change-me
    [AIRFLOW__API__SECRET_KEY]=govweb-local-api-secret-change-me
    [AIRFLOW__API__BASE_URL]=http://127.0.0.1:$API_PORT
    [AIRFLOW__CORE__EXECUTION_API_SERVER_URL]=http://127.0.0.1:$API_PORT/execution/
    [AIRFLOW__CORE__LOAD_EXAMPLES]=false
    [AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION]=true
    [AIRFLOW__CORE__DAGS_FOLDER]=$ROOT/dags
    [AIRFLOW__CORE__PLUGINS_FOLDER]=$ROOT/plugins
    # no login on a local deployment bound to 127.0.0.1 (compose uses the FAB auth manager)
    [AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS]=true
    [AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT]=${GOVWEB_CELERY_HEARTBEAT_TIMEOUT:-60}
    [AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT]=$((LOG_PORT + 2))
    [GOVWEB_STORE]=file
    [GOVWEB_STORE_PATH]=$VAR/evidence
    [GOVWEB_OUT]=$VAR/out
  )
  local k
  for k in "${!defaults[@]}"; do
    [[ -n ${!k:-} ]] || export "$k=${defaults[$k]}"
  done
  export PATH=$ROOT/.venv/bin:$PATH
  return 0
}

# --- prerequisites -----------------------------------------------------------------------------

apt_install() {
  [[ $(id -u) == 0 ]] || die "$* missing and not root: install with apt-get install -y $*"
  log "installing $* with apt"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

prerequisites() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ -n $PGBIN && -x $PGBIN/postgres ]] || missing+=(postgresql)
  ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  # The metadata DB needs PostgreSQL drivers (psycopg2 sync, asyncpg async) and a celery the provider can
  # load: all three are in uv.lock (celery<5.7: provider 3.26 imports celery.backends.database.retry).
  "$ROOT/.venv/bin/python" -c 'import psycopg2, asyncpg; from celery.backends.database import retry' ||
    die "the .venv lacks the PostgreSQL drivers or a compatible celery: run 'make setup' (uv sync --frozen)"
}

# --- pid files ---------------------------------------------------------------------------------

pid_of() {  # pid of a running service started by this script, else nothing
  local f=$PIDS/$1.pid pid
  [[ -f $f ]] || return 1
  pid=$(cat "$f")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  if [[ $2 == airflow ]]; then  # a process group this script made with setsid, running airflow or celery
    [[ $(ps -o pgid= -p "$pid" | tr -d ' ') == "$pid" ]] && grep -qaE 'airflow|celery' "/proc/$pid/cmdline" || return 1
  else
    grep -qa "$2" "/proc/$pid/cmdline" 2>/dev/null || return 1
  fi
  echo "$pid"
}

marker() {  # a word of the command line that identifies each service's process
  case $1 in
    redis) echo redis-server ;;
    postgres) echo postgres ;;
    *) echo airflow ;;  # setproctitle rewrites the command lines: "airflow api_server -- ...", "[celeryd: ..."
  esac
}

# --- redis and postgres --------------------------------------------------------------------------

start_redis() {
  pid_of redis redis-server >/dev/null && return 0
  mkdir -p "$VAR/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$VAR/redis" --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log"
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && { log "redis on 127.0.0.1:$REDIS_PORT"; return 0; }
    sleep 0.2
  done
  die "redis did not answer on port $REDIS_PORT (see $LOGS/redis.log)"
}

as_pg() {  # PostgreSQL refuses to run as root: run its tools as the postgres user then
  if [[ $(id -u) == 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

start_postgres() {
  local data=$VAR/pgdata sock=$VAR/pgsock
  pid_of postgres postgres >/dev/null && return 0
  mkdir -p "$data" "$sock"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$data" "$sock" && chmod 700 "$data"
  if [[ ! -f $data/PG_VERSION ]]; then
    as_pg "$PGBIN/initdb" -D "$data" -U airflow --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 ||
      die "initdb failed (see $LOGS/initdb.log)"
  fi
  touch "$LOGS/postgres.log"
  [[ $(id -u) == 0 ]] && chown postgres "$LOGS/postgres.log"
  as_pg "$PGBIN/pg_ctl" -D "$data" -l "$LOGS/postgres.log" -w -t 60 \
    -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1" start >/dev/null ||
    die "postgres did not start (see $LOGS/postgres.log)"
  head -1 "$data/postmaster.pid" >"$PIDS/postgres.pid"
  "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U airflow -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname='airflow'" | grep -q 1 ||
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U airflow airflow
  log "postgres on 127.0.0.1:$PG_PORT"
}

# --- airflow ---------------------------------------------------------------------------------------

airflow_cmd() {
  case $1 in
    worker-default) echo "airflow celery worker -q default -c $CONCURRENCY -H default@%h --without-mingle" ;;
    worker-crawl) echo "airflow celery worker -q crawl -c $CONCURRENCY -H crawl@%h --without-mingle" ;;
    api-server) echo "airflow api-server --host 127.0.0.1 --port $API_PORT --workers 1" ;;
    *) echo "airflow $1" ;;
  esac
}

start_airflow() {
  local name=$1 port_env=()
  pid_of "$name" "$(marker "$name")" >/dev/null && return 0
  case $name in  # each worker serves its task logs on its own port
    worker-default) port_env=(AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$LOG_PORT) ;;
    worker-crawl) port_env=(AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=$((LOG_PORT + 1))) ;;
  esac
  # setsid: each service leads its own process group, so stop reaches its children (task processes)
  # shellcheck disable=SC2046
  # GOVWEB_CELERY_DEPLOYMENT marks every process of this deployment, down to the browsers tasks start
  # (Chromium leads its own process group): `stop` sweeps what the group kill missed by that mark only.
  env "${port_env[@]}" GOVWEB_CELERY_DEPLOYMENT="$VAR" setsid $(airflow_cmd "$name") >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
  log "$name started (pid $!, log $LOGS/$name.log)"
}

wait_api() {
  for _ in $(seq 180); do
    curl -fsS "http://127.0.0.1:$API_PORT/api/v2/version" >/dev/null 2>&1 && { log "api-server on :$API_PORT"; return 0; }
    pid_of api-server airflow >/dev/null || die "api-server exited (see $LOGS/api-server.log)"
    sleep 1
  done
  die "api-server did not answer on :$API_PORT within 180 s (see $LOGS/api-server.log)"
}

start() {
  mkdir -p "$PIDS" "$LOGS" "$VAR/airflow"
  prerequisites
  airflow_env
  start_redis
  start_postgres
  if [[ ! -f $VAR/airflow/.migrated ]] || ! pid_of scheduler airflow >/dev/null; then
    airflow db migrate >"$LOGS/db-migrate.log" 2>&1 || die "airflow db migrate failed (see $LOGS/db-migrate.log)"
    touch "$VAR/airflow/.migrated"
  fi
  start_airflow api-server
  wait_api
  local s
  for s in "${AIRFLOW_SERVICES[@]}"; do start_airflow "$s"; done
  status
}

stop_group() {  # TERM the service's process group, then KILL what is left after 20 s
  local name=$1 pid
  pid=$(pid_of "$name" "$(marker "$name")") || { rm -f "$PIDS/$name.pid"; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$PIDS/$name.pid"
  log "$name stopped"
}

marked() {  # pids of live processes carrying this deployment's mark (only airflow/python/browser processes looked at)
  local d pid
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [[ $pid == "$$" ]] && continue
    grep -qaE 'chrom|airflow|celery|python|node' "$d/cmdline" 2>/dev/null || continue
    { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF "GOVWEB_CELERY_DEPLOYMENT=$VAR" && echo "$pid"
  done
  return 0
}

stop() {
  airflow_env
  local i left
  for ((i = ${#AIRFLOW_SERVICES[@]} - 1; i >= 0; i--)); do stop_group "${AIRFLOW_SERVICES[i]}"; done
  left=$(marked | tr '\n' ' ')
  if [[ -n ${left// /} ]]; then
    log "killing leftovers of this deployment (task browsers and the like): $left"
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  if pid_of redis redis-server >/dev/null; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$(cat "$PIDS/redis.pid")" || true
    log "redis stopped"
  fi
  rm -f "$PIDS/redis.pid"
  if pid_of postgres postgres >/dev/null; then
    as_pg "$PGBIN/pg_ctl" -D "$VAR/pgdata" -m fast -w stop >/dev/null && log "postgres stopped"
  fi
  rm -f "$PIDS/postgres.pid"
}

status() {
  local s pid rc=0
  for s in redis postgres "${AIRFLOW_SERVICES[@]}"; do
    if pid=$(pid_of "$s" "$(marker "$s")"); then
      printf '%-16s running (pid %s)\n' "$s" "$pid"
    else
      printf '%-16s stopped\n' "$s"
      rc=3
    fi
  done
  return $rc
}

print_env() {
  airflow_env
  local k
  for k in AIRFLOW_HOME PATH PYTHONPATH GOVWEB_STORE GOVWEB_STORE_PATH GOVWEB_OUT $(compgen -e | grep '^AIRFLOW__'); do
    [[ -n ${!k:-} ]] && printf 'export %s=%q\n' "$k" "${!k}"
  done
  return 0
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  leftovers) marked ;;  # processes of this deployment still alive (none after stop)
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env|leftovers" >&2; exit 2 ;;
esac
