#!/usr/bin/env bash
# The test suite: lint, then pytest (unit, integration with Chromium and the simulated web, the DAG
# end to end on SQLite, S3 against a moto server the tests start on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check dags plugins tests
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
