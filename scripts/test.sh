#!/bin/sh
# Install everything the tests need, then run the whole suite (arguments go to pytest).
set -eu
cd "$(dirname "$0")/.."
EXTRAS="[dev]" sh scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
