#!/bin/sh
# Install, migrate, load the demo authority (first run only) and serve on http://127.0.0.1:5000
set -eu
cd "$(dirname "$0")/.."
EXTRAS="" sh scripts/setup.sh
export FLASK_APP=assettransfer
# This server speaks plain HTTP on this machine, so the session cookie cannot be HTTPS-only.
export FLASK_SESSION_COOKIE_SECURE="${FLASK_SESSION_COOKIE_SECURE:-false}"
.venv/bin/flask db upgrade
if .venv/bin/flask demo --password "${DEMO_PASSWORD:-demo-password-2026}"; then
    echo "Demo accounts above use the password: ${DEMO_PASSWORD:-demo-password-2026}"
fi
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
