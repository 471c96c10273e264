"""Security events are JSON lines: one per event, with the request they happened in."""
import json
import logging
import sys

from flask.logging import default_handler

from assettransfer.security_log import JsonFormatter, security_event


def test_the_app_logs_json_lines_to_standard_error(app):
    [handler] = app.logger.handlers
    assert isinstance(handler.formatter, JsonFormatter) and handler is not default_handler
    assert handler.stream is sys.stderr  # whatever it is now, not what it was when made


def test_an_event_is_one_line_of_json_with_its_request(app, security_log):
    with app.test_request_context("/account/sign-in?next=/secret", method="POST",
                                  environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        security_event("sign_in_failed", logging.WARNING, user_id=3, reason="wrong_password")
    [line] = security_log.text.splitlines()
    event = json.loads(line)
    assert {k: event[k] for k in ("level", "logger", "event", "user_id", "reason", "method",
                                  "path", "client")} == {
        "level": "WARNING", "logger": "assettransfer.security", "event": "sign_in_failed",
        "user_id": 3, "reason": "wrong_password", "method": "POST", "path": "/account/sign-in",
        "client": "203.0.113.7"}
    assert event["time"].endswith("+00:00")


def test_an_exception_is_an_error_event_with_its_traceback():
    try:
        raise ValueError("bad thing")
    except ValueError:
        record = logging.getLogger("assettransfer").makeRecord(
            "assettransfer", logging.ERROR, __file__, 1, "Exception on /x [GET]", (),
            sys.exc_info())
    event = json.loads(JsonFormatter().format(record))
    assert event["event"] == "error" and event["message"] == "Exception on /x [GET]"
    assert "ValueError: bad thing" in event["exception"]
