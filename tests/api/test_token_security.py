"""Guessing API tokens is throttled per client address; refusals and errors are logged."""
import pytest

from .conftest import CHEAP_ARGON2
from .test_errors import problem

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2, "API_TOKEN_LIMIT_PER_ADDRESS": "3 per minute"}


def guess(api, number, **kwargs):
    return api.get("/assets", headers={"Authorization": f"Bearer guess-{number}"}, **kwargs)


def test_refused_tokens_are_throttled_per_address(api, security_log):
    for number in range(3):
        problem(guess(api, number), 401)
    throttled = api.get("/assets", "officer")  # even a good token, from this address
    body = problem(throttled, 429)
    seconds = int(throttled.headers["Retry-After"])
    assert 0 < seconds <= 61 and f"try again in {seconds} seconds" in body["detail"]
    assert api.get("/assets", "officer", environ_base=ELSEWHERE).status_code == 200
    assert [e["reason"] for e in security_log.events("token_refused")] == ["unknown"] * 3
    [event] = security_log.events("throttled")
    assert (event["limit"], event["path"]) == ("API_TOKEN_LIMIT_PER_ADDRESS", "/api/v1/assets")
    assert "guess-" not in security_log.text


def test_the_count_is_shared_by_every_operation(api):
    problem(guess(api, 1), 401)
    problem(api.get("/applications", headers={"Authorization": "Bearer guess-2"}), 401)
    problem(api.get("/workflows", headers={"Authorization": "Bearer guess-3"}), 401)
    problem(guess(api, 4), 429)


def test_good_tokens_are_not_counted(api):
    for _ in range(5):
        assert api.get("/assets", "officer").status_code == 200


def test_api_access_refusals_are_logged(api, draft, people, security_log):
    problem(api.get(f"/applications/{draft['id']}", "outsider"), 404)
    [event] = security_log.events("access_refused")
    assert (event["status"], event["user_id"]) == (404, people.outsider.id)


def test_a_server_error_is_logged_as_a_json_error_event(app, api, monkeypatch, security_log):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("assettransfer.api.views_register.assets.search_assets", broken)
    problem(api.get("/assets", "officer"), 500)
    [event] = security_log.events("error")
    assert event["level"] == "ERROR" and event["path"] == "/api/v1/assets"
    assert "RuntimeError: the disk is full" in event["exception"]
