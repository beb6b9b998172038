#!/usr/bin/env bash
# The test suite: lint, then pytest (unit, integration with Chromium and the simulated web, the DAG
# end to end on SQLite, S3 against a moto server the tests start on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check dags plugins tests
# Two workers, one test module each at a time (module fixtures stay in one process): much of the
# suite waits on browsers, Airflow and servers, so two workers on two cores finish well before one.
exec .venv/bin/pytest -q -p no:cacheprovider -n 2 --dist loadfile --durations=30 "$@"
