#!/usr/bin/env bash
# The demo evaluation on embedded defaults: the simulated government web on loopback, Airflow on
# SQLite, evidence on the local filesystem. Runs the annual DAG for 2017 then 2018 (so the 2018
# report shows year-over-year progress) and leaves the report in out/2018/index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/airflow_env.sh
YEARS=${DEMO_YEARS:-"2017 2018"}
mkdir -p var
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
TLS_PORT=$(free_port)
airflow db migrate >var/airflow-migrate.log 2>&1 || { cat var/airflow-migrate.log; exit 1; }
SIM_PID=""
trap '[ -n "$SIM_PID" ] && kill $SIM_PID 2>/dev/null || true' EXIT
for YEAR in $YEARS; do
  govweb sim serve --year "$YEAR" --port "$PORT" --tls-port "$TLS_PORT" >"var/sim-$YEAR.log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.2; done
  export GOVWEB_SIM_HOST_MAP="*.gov.test=127.0.0.1:$PORT,tls:$TLS_PORT"  # sim mode reaches the simulated web here
  CONF=$(printf '{"mode": "sim", "force": true, "inventory": "%s/include/inventory/demo_2018.csv"}' "$PWD")
  echo "demo: evaluating $YEAR (simulated web on 127.0.0.1:$PORT)"
  airflow dags test govweb_annual_evaluation "$YEAR-10-15" -c "$CONF" >"var/dag-$YEAR.log" 2>&1 \
    || { tail -n 60 "var/dag-$YEAR.log"; echo "demo: the $YEAR run failed; full log in var/dag-$YEAR.log" >&2; exit 1; }
  grep -q "state=success\|DagRunState.SUCCESS\|Marking run .* successful" "var/dag-$YEAR.log" \
    || { tail -n 40 "var/dag-$YEAR.log"; echo "demo: the $YEAR run did not succeed" >&2; exit 1; }
  kill $SIM_PID; wait $SIM_PID 2>/dev/null || true; SIM_PID=""
done
echo "demo: report at $GOVWEB_OUT/2018/index.html (evidence in $GOVWEB_STORE_PATH)"
# The certificates (a separate step: Chromium prints them) and pictures of what a reader sees: the report's
# first screen, one scorecard and one certificate page (pdftoppm), as PNG under out/screenshots/.
govweb publish --year 2018 --store env --out "$GOVWEB_OUT/2018" --certificates-only \
  --screenshots "$GOVWEB_OUT/screenshots" >var/publish-2018.log 2>&1 \
  || { tail -n 30 var/publish-2018.log; echo "demo: certificates or screenshots failed" >&2; exit 1; }
grep '^screenshot: ' var/publish-2018.log | sed 's/^/demo: /'
