#!/usr/bin/env bash
# Install what govweb-eval needs on a fresh Debian machine: Chromium + a CJK font + poppler (apt), uv, and the
# Python environment in .venv/ from the committed lock file. Idempotent: fast when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromium-headless-shell ] || need_apt+=(chromium-headless-shell)  # the crawler's browser
command -v fc-list >/dev/null 2>&1 || need_apt+=(fontconfig)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)  # certificate PDF -> PNG preview
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh family 2>/dev/null)" ]; then
  need_apt+=(fonts-wqy-zenhei)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bootstrap: need root (or sudo) to apt-get install ${need_apt[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  echo "bootstrap: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
  || { echo "bootstrap: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
UV_VERSION=0.13.9
if ! command -v uv >/dev/null 2>&1; then
  echo "bootstrap: installing uv $UV_VERSION"
  "$PY" -m pip install -q "uv==$UV_VERSION"
fi
UV=$(command -v uv || echo "$PY -m uv")
$UV sync --frozen --python "$PY" --quiet
echo "bootstrap: ready (.venv/bin/govweb, .venv/bin/airflow)"
