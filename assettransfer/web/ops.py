"""What the machines around the app ask it: is the process alive, can it serve, its metrics.

* ``/healthz``: the process answers (nothing else is touched, the database included): a
  supervisor restarts a process that does not.
* ``/readyz``: every check of :data:`READINESS_CHECKS` passes: a load balancer sends requests
  only to a process that is ready. 503 names each check that failed; why is logged, not shown.
* ``/metrics``: Prometheus's figures (``metrics.py``), for a request bearing ``METRICS_TOKEN`` or
  from an address in ``METRICS_ALLOWED_ADDRESSES``; not found while neither is set.

No sign-in, no throttling, no transaction: these are not pages (see docs/operations.md).
"""

import hmac
import ipaddress
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, request

from .. import metrics
from ..config import redis_urls
from ..extensions import db
from ..services.operations import job_figures
from ..services.verification import seal_in_use

bp = Blueprint("ops", __name__)
_logger = logging.getLogger(__name__)
# No check may keep a probe waiting longer than a probe waits.
REDIS_TIMEOUT_SECONDS = 2
_REDIS_CLIENTS = "assettransfer.redis_clients"


class NotReady(Exception):
    """A readiness check failed for a reason that may be shown: its message."""


def database() -> None:
    db.session.execute(sa.text("SELECT 1"))


def storage() -> None:
    """Files can be written to, and read back from, the storage folder."""
    folder = Path(current_app.config["STORAGE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    # A leading dot: never the name of a stored file (documents/storage.py refuses them).
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".readyz-") as probe:
        probe.write(b"ready")
        probe.flush()
        if Path(probe.name).read_bytes() != b"ready":
            raise NotReady("what was written to the storage folder did not read back")


def redis() -> dict:
    """Every Redis configured (``config.redis_urls``) answers PING; which settings name one."""
    urls = redis_urls(current_app.config)
    silent = []
    for setting, url in urls.items():
        try:
            _redis_client(url).ping()
        except Exception:
            _logger.warning("No answer from the Redis of %s", setting, exc_info=True)
            silent.append(setting)
    if silent:
        raise NotReady(f"no answer from the Redis of {', '.join(silent)}")
    return {"settings": list(urls)}


def _redis_client(url: str):
    """One client (so one connection pool) per URL for the life of the app."""
    import redis as redis_py  # the [redis] extra: needed only once a Redis is configured

    clients = current_app.extensions.setdefault(_REDIS_CLIENTS, {})
    if url not in clients:
        clients[url] = redis_py.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS)
    return clients[url]


def jobs() -> dict:
    """The outbox's figures, shown and never failing: a job that failed is for an admin to
    retry (``/council/jobs/``), not a reason to stop sending this process requests."""
    figures = job_figures()
    return {"pending": figures.pending, "failed": figures.failed,
            "oldest_pending_seconds": figures.oldest_pending_seconds}


def seal() -> dict:
    """The seal's key loads (a wrong password or a missing file would fail every document's
    job); which key it is (a development key says it is not for production) and where the
    timestamps come from."""
    return seal_in_use()


# What /readyz checks, by name. A check returns None or details to show (JSON values), and
# raises when this process cannot serve: NotReady with a reason to show, anything else logged.
READINESS_CHECKS: dict[str, Callable[[], dict | None]] = {
    "database": database,
    "storage": storage,
    "redis": redis,
    "jobs": jobs,
    "seal": seal,
}


def _outcome(name: str, check: Callable[[], dict | None]) -> dict:
    try:
        return {"ok": True, **(check() or {})}
    except NotReady as refusal:
        return {"ok": False, "error": str(refusal)}
    except Exception:
        _logger.exception("Readiness check %s failed", name)
        return {"ok": False, "error": "failed (see the log)"}


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}


@bp.get("/readyz")
def readyz():
    checks = {name: _outcome(name, check) for name, check in READINESS_CHECKS.items()}
    failed = [name for name, outcome in checks.items() if not outcome["ok"]]
    body = {"status": "not ready" if failed else "ready", "failed": failed, "checks": checks}
    return body, 503 if failed else 200, {"Cache-Control": "no-store"}


def _bearer_matches(token: str) -> bool:
    sent = request.headers.get("Authorization", "").encode()
    return hmac.compare_digest(sent, f"Bearer {token}".encode())


def _address_allowed(allowed: list[str]) -> bool:
    try:
        client = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(entry, strict=False) for entry in allowed)


@bp.get("/metrics", endpoint="metrics")
def metrics_page():
    token = current_app.config["METRICS_TOKEN"]
    allowed = current_app.config["METRICS_ALLOWED_ADDRESSES"]
    if not token and not allowed:
        abort(404)  # off: nobody was given a way to read them
    if not ((token and _bearer_matches(token)) or _address_allowed(allowed)):
        abort(403)
    body, content_type = metrics.exposition()
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}
