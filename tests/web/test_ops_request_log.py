"""One JSON line per request, with its request id, user, route, status and duration."""

import io
import json
import logging

import pytest

from assettransfer.request_log import LOGGER_NAME
from assettransfer.security_log import JsonFormatter
from tests.factories import PASSWORD


@pytest.fixture
def request_lines():
    """The request log's lines so far, as production writes them (JSON objects, formatted while
    their request runs)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_the_request_logger_records_each_request_at_info(client, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    response = client.get("/healthz")
    [record] = [r for r in caplog.records if r.name == LOGGER_NAME]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "GET /healthz 200"
    assert (record.request_id, record.route, record.status) == (
        response.headers["X-Request-ID"], "/healthz", 200)
    # Formatted away from its request (a queue's handler, say), the line has all it needs.
    line = json.loads(JsonFormatter().format(record))
    assert {"request_id", "user_id", "method", "route", "endpoint", "status",
            "duration_ms"} <= line.keys()


def test_each_request_is_one_line_with_its_route_not_its_path(client, make, request_lines):
    asset = make.AssetFactory()
    response = client.get(f"/assets/{asset.id}?page=2")
    [line] = request_lines()
    assert {k: line[k] for k in ("level", "logger", "event", "user_id", "route", "endpoint",
                                 "method", "status", "path")} == {
        "level": "INFO", "logger": "assettransfer.requests", "event": "request",
        "user_id": None, "route": "/assets/<int:asset_id>", "endpoint": "public.asset",
        "method": "GET", "status": 200, "path": f"/assets/{asset.id}"}
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32


def test_the_signed_in_user_and_the_status_the_client_got(client, login_as, make,
                                                          request_lines):
    user = login_as(make.UserFactory())
    client.get("/no-such-page")
    sign_in, not_found = request_lines()
    assert (sign_in["route"], sign_in["method"], sign_in["status"]) == (
        "/account/sign-in", "POST", 302)
    assert not_found["user_id"] == user.id
    assert (not_found["route"], not_found["endpoint"], not_found["status"]) == (None, None, 404)


def test_an_api_request_names_the_token_s_user(app, client, make, request_lines):
    from assettransfer.services import accounts

    user = make.UserFactory()
    _, token = accounts.issue_token(user, "logging test")
    response = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    [line] = request_lines()
    assert line["user_id"] == user.id and line["route"] == "/api/v1/applications"


def test_every_line_of_a_request_carries_its_id(client, make, request_lines, security_log):
    user = make.UserFactory()
    response = client.post("/account/sign-in",
                           data={"email": user.email, "password": PASSWORD + "x"})
    request_id = response.headers["X-Request-ID"]
    [failed] = security_log.events("sign_in_failed")
    assert failed["request_id"] == request_id
    assert request_lines()[0]["request_id"] == request_id
    assert client.get("/healthz").headers["X-Request-ID"] != request_id


class TestBehindTheProxy:
    @pytest.fixture
    def config_overrides(self):
        return {"TRUSTED_PROXIES": 1}

    def test_the_proxy_s_request_id_is_kept(self, client, request_lines):
        sent = "5f0c7c1e-8f1d-4c7a-9a3b-0d2f6b1e9c4a"
        response = client.get("/healthz", headers={"X-Request-ID": sent})
        assert response.headers["X-Request-ID"] == sent
        assert request_lines()[0]["request_id"] == sent

    @pytest.mark.parametrize("sent", ["", "two words", "x" * 129, "<script>", "ü"])
    def test_one_that_is_not_a_plain_token_is_replaced(self, client, sent):
        response = client.get("/healthz", headers={"X-Request-ID": sent})
        made = response.headers["X-Request-ID"]
        assert made != sent and len(made) == 32


def test_without_a_proxy_to_trust_a_sent_id_is_not_believed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "chosen-by-the-client"})
    assert response.headers["X-Request-ID"] != "chosen-by-the-client"
