#!/bin/sh
# Install everything the tests need, then run the whole suite (arguments go to pytest).
# One worker process per core (pytest-xdist); each file's tests run in one worker, because the
# tests of a file may share a Redis database or a server they start. Each worker has its own
# SQLite file or PostgreSQL schema. Pass -n 0 to run in this process (to debug, say).
set -eu
cd "$(dirname "$0")/.."
EXTRAS="[dev]" sh scripts/setup.sh
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
