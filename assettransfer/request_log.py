"""One JSON line per request answered, and its request id.

Each request gets an id: the ``X-Request-ID`` the reverse proxy sent, when there are proxies to
trust (``TRUSTED_PROXIES``) and the id is a plain token, else one made here. The response carries
it back in ``X-Request-ID``, and every line logged while the request runs carries it too (the
formatter of ``security_log`` adds it), so a user's report, the proxy's log and ours meet.

When the request is answered, the logger ``assettransfer.requests`` writes a ``request`` event:
the user (or null), the route (the URL rule, so ``/council/cases/<int:application_id>`` rather
than one case's path), the endpoint, the status and the time taken in milliseconds; the formatter
adds the method, path and client. The same measurement is counted in the metrics.
"""

import logging
import re
import time
import uuid

from flask import Flask, current_app, g, request
from flask_login import current_user

from . import metrics

LOGGER_NAME = "assettransfer.requests"
REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and the punctuation of UUIDs and tracing ids; nothing that could forge a line.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:=+/-]{1,128}")
_logger = logging.getLogger(LOGGER_NAME)


def init_app(app: Flask) -> None:
    """Give each request of ``app`` its id, and log it when answered. Call before other hooks
    are registered, so the id is there for them and the line records what they did."""
    _logger.setLevel(logging.INFO)
    app.before_request(_begin)
    app.after_request(_answered)


def _begin() -> None:
    g.request_started = time.perf_counter()
    g.request_id = _id_from_proxy() or uuid.uuid4().hex


def _id_from_proxy() -> str | None:
    if not current_app.config["TRUSTED_PROXIES"]:
        return None  # anyone could have written it
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if _VALID_REQUEST_ID.fullmatch(sent) else None


def _user_id() -> int | None:
    if "api_user_id" in g:  # set by the API's token check
        return g.api_user_id
    return current_user.id if current_user.is_authenticated else None


def _answered(response):
    seconds = time.perf_counter() - g.request_started
    response.headers[REQUEST_ID_HEADER] = g.request_id
    rule = request.url_rule
    _logger.info(
        "%s %s %s", request.method, rule.rule if rule else "(no route)", response.status_code,
        # The request's own fields too, so a handler that formats later has them.
        extra={"event": "request", "request_id": g.request_id, "user_id": _user_id(),
               "method": request.method, "route": rule and rule.rule,
               "endpoint": request.endpoint, "status": response.status_code,
               "duration_ms": round(seconds * 1000, 1)},
    )
    metrics.observe_request(request.endpoint, request.method, response.status_code, seconds)
    return response
