"""Security events as JSON lines: one line per event, through the standard ``logging`` module.

``security_event("sign_in_failed", user_id=7, reason="wrong_password")`` writes to the logger
``assettransfer.security``, a child of the app's logger (``assettransfer``), whose handler
``init_app`` makes write :class:`JsonFormatter` lines to standard error. Every line has the time
(UTC), level, logger, event and message, then the event's own fields, then the request it
happened in (method, path without the query string, client address, and the request id
``request_log`` gave it). A record carrying an exception (Flask logs each unhandled one) is an
``error`` event with its traceback.

Callers pass only identifiers and reasons: never a password, a token, an e-mail address that was
typed but matched no account (it may be a password typed into the wrong box), or an answer
from a form. This module imports nothing of the application, so every layer may use it.
"""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

LOGGER_NAME = "assettransfer.security"
_logger = logging.getLogger(LOGGER_NAME)
# The attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def security_event(event: str, level: int = logging.INFO, **fields) -> None:
    """Log ``event`` (a snake_case name) with its ``fields`` (JSON-serialisable values)."""
    _logger.log(level, event, extra={"event": event, **fields})


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", "error" if record.exc_info else "message"),
            "message": record.getMessage(),
        }
        line |= {k: v for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES}
        if has_request_context():
            line |= {"method": request.method, "path": request.path,
                     "client": request.remote_addr, "request_id": g.get("request_id")}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class _StandardError(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (as ``logging.lastResort`` does), so a
    stream that a test runner swapped in is never written to after it is closed."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def init_app(app: Flask) -> None:
    """Write the app's log (Flask's errors and the security events) as JSON lines to standard
    error, in place of Flask's plain-text default; a handler the deployer set up is left alone."""
    _logger.setLevel(logging.INFO)
    logger = app.logger
    if any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        return  # an app made earlier in this process has done it
    logger.removeHandler(default_handler)
    if not logger.handlers:
        handler = _StandardError()
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
