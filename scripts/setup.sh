#!/bin/sh
# Shared set-up for scripts/serve.sh and scripts/test.sh: a virtual environment in .venv with the
# app installed (EXTRAS picks the optional dependencies), and the GOV.UK Frontend assets built.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:-}"
if [ ! -f assettransfer/static/govuk/govuk-frontend.min.css ] || [ package.json -nt assettransfer/static/govuk/govuk-frontend.min.css ]; then
    npm ci --no-audit --no-fund --loglevel=error
    .venv/bin/python scripts/build_assets.py
fi
