"""/healthz, /readyz and /metrics: what a supervisor, a load balancer and Prometheus are told."""

import os

import pytest
import sqlalchemy as sa

from assettransfer import create_app, metrics
from assettransfer.extensions import db
from assettransfer.web import ops
from tests.conftest import AUDIT_KEY

# Database 11 is this suite's; nothing is written to it, it is only pinged.
REDIS_URL = os.environ.get("TEST_OPS_REDIS_URL", "redis://127.0.0.1:6379/11")
NOBODY_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def statements(app):
    """The SQL statements the app's engine runs while the test does."""
    ran = []

    def record(conn, cursor, statement, *args):
        ran.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    yield ran
    sa.event.remove(db.engine, "before_cursor_execute", record)


def test_healthz_says_the_process_answers_without_asking_the_database(client, statements):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert statements == []


def test_readyz_checks_the_database_and_the_storage(client, app, statements):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["failed"] == []
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["storage"] == {"ok": True}
    assert body["checks"]["redis"] == {"ok": True, "settings": []}  # none configured
    assert statements[0] == "SELECT 1" and len(statements) == 2  # and the jobs' figures
    assert body["checks"]["jobs"] == {"ok": True, "pending": 0, "failed": 0,
                                      "oldest_pending_seconds": None}
    assert body["checks"]["seal"] == {
        "ok": True,
        "key": "development: a self-signed key made in the instance folder, NOT a production key",
        "timestamps": "the app's own timestamping key (weaker than a timestamp authority's)",
        "signing_authority": ("development: a self-signed CA made in the instance folder, NOT a "
                              "production key")}
    # The probe file is gone: the storage holds only what the app stored.
    assert list(os.scandir(app.config["STORAGE_DIR"])) == []


def test_readyz_is_503_naming_storage_that_cannot_be_written(app, client, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("in the way")
    app.config["STORAGE_DIR"] = str(not_a_folder)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready" and body["failed"] == ["storage"]
    assert body["checks"]["storage"] == {"ok": False, "error": "failed (see the log)"}
    assert body["checks"]["database"] == {"ok": True}


def test_readyz_is_503_when_the_configured_seal_key_cannot_be_loaded(app, client, tmp_path):
    app.config.update(SEAL_KEY_PATH=str(tmp_path / "absent.pem"),
                      SEAL_CERT_PATH=str(tmp_path / "absent.cert.pem"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["seal"]


def test_readyz_is_503_naming_a_database_it_cannot_reach(tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "AUDIT_KEYS": {"test": AUDIT_KEY},
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/no/such/folder/db.sqlite",
        "STORAGE_DIR": str(tmp_path / "storage"),
    })
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database", "jobs"]
    assert app.test_client().get("/healthz").status_code == 200  # alive all the same


class TestRedis:
    @pytest.fixture
    def config_overrides(self):
        return {"JOBS_BROKER_URL": NOBODY_LISTENS}

    def test_a_configured_redis_that_does_not_answer_is_named(self, client):
        response = client.get("/readyz")
        assert response.status_code == 503
        body = response.get_json()
        assert body["failed"] == ["redis"]
        assert body["checks"]["redis"] == {
            "ok": False, "error": "no answer from the Redis of JOBS_BROKER_URL"}

    def test_every_redis_setting_is_pinged(self, app, client):
        redis = pytest.importorskip("redis", reason="the redis package is not installed ([dev])")
        try:
            redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            pytest.skip(f"Redis is not reachable at {REDIS_URL} (set TEST_OPS_REDIS_URL): {exc}")
        app.config.update(RATELIMIT_STORAGE_URI=REDIS_URL, JOBS_BROKER_URL=REDIS_URL)
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.get_json()["checks"]["redis"] == {
            "ok": True, "settings": ["RATELIMIT_STORAGE_URI", "JOBS_BROKER_URL"]}


def test_a_check_added_to_the_list_shows_its_figures_and_can_fail(client, monkeypatch):
    checks = dict(ops.READINESS_CHECKS, jobs=lambda: {"pending": 3, "failed": 0})
    monkeypatch.setattr(ops, "READINESS_CHECKS", checks)
    ready = client.get("/readyz").get_json()
    assert ready["checks"]["jobs"] == {"ok": True, "pending": 3, "failed": 0}

    def backlog():
        raise ops.NotReady("412 jobs waiting for over an hour")

    monkeypatch.setitem(checks, "jobs", backlog)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["jobs"] == {
        "ok": False, "error": "412 jobs waiting for over an hour"}


def _samples(text: str, name: str) -> dict[str, float]:
    """The samples of ``name`` in Prometheus's text format, by their labels."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            labels, _, value = line.rpartition(" ")
            found[labels[len(name):]] = float(value)
    return found


class TestMetrics:
    def test_requests_are_counted_and_timed_by_endpoint_and_status(self, client, make):
        asset = make.AssetFactory()
        client.get("/healthz")
        client.get("/healthz")
        client.get(f"/assets/{asset.id}")
        client.get("/no-such-page")
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response.content_type.startswith("text/plain; version=")
        text = response.get_data(as_text=True)
        counts = _samples(text, "assettransfer_http_requests_total")
        assert counts['{endpoint="ops.healthz",method="GET",status="200"}'] == 2
        # By endpoint, not by path: one series for every asset.
        assert counts['{endpoint="public.asset",method="GET",status="200"}'] == 1
        assert counts['{endpoint="(none)",method="GET",status="404"}'] == 1
        timed = _samples(text, "assettransfer_http_request_duration_seconds_count")
        assert timed['{endpoint="public.asset",method="GET",status="200"}'] == 1

    def test_only_allowed_addresses_may_read_them(self, client):
        assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
        elsewhere = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert elsewhere.status_code == 403
        assert "assettransfer_http" not in elsewhere.get_data(as_text=True)

    def test_a_network_may_be_allowed(self, app, client):
        app.config["METRICS_ALLOWED_ADDRESSES"] = ["10.0.0.0/8"]
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
        assert client.get("/metrics").status_code == 403

    def test_or_whoever_bears_the_token(self, app, client):
        app.config.update(METRICS_TOKEN="scrape-token-of-some-length",
                          METRICS_ALLOWED_ADDRESSES=[])
        remote = {"REMOTE_ADDR": "203.0.113.9"}
        bearer = {"Authorization": "Bearer scrape-token-of-some-length"}
        assert client.get("/metrics", headers=bearer, environ_base=remote).status_code == 200
        for wrong in ("Bearer scrape-token", "scrape-token-of-some-length", "Bearer é"):
            response = client.get("/metrics", headers={"Authorization": wrong},
                                  environ_base=remote)
            assert response.status_code == 403
        assert client.get("/metrics", environ_base=remote).status_code == 403

    def test_off_when_nobody_may_read_them(self, app, client):
        app.config["METRICS_ALLOWED_ADDRESSES"] = []
        assert client.get("/metrics").status_code == 404

    def test_gauges_are_read_when_scraped(self, app, client):
        figures = {"pending": 4}
        metrics.add_gauge(app, "test_waiting", "Things waiting", lambda: figures["pending"])
        metrics.add_gauge(app, "test_age_seconds", "Since the last time",
                          lambda: None)  # nothing yet: no figure rather than a made-up one

        def broken():
            raise RuntimeError("database gone")

        metrics.add_gauge(app, "test_broken", "A figure that cannot be read", broken)
        text = client.get("/metrics").get_data(as_text=True)
        assert _samples(text, "test_waiting") == {"": 4}
        assert "test_age_seconds" not in text and "test_broken" not in text
        assert "assettransfer_http_requests_total" in text  # the rest is still there
        figures["pending"] = 1
        text = client.get("/metrics").get_data(as_text=True)
        assert _samples(text, "test_waiting") == {"": 1}

    def test_the_jobs_and_the_sweep_have_gauges(self, client):
        text = client.get("/metrics").get_data(as_text=True)
        assert _samples(text, "assettransfer_jobs_pending") == {"": 0}
        assert _samples(text, "assettransfer_jobs_failed") == {"": 0}
        # Nothing waits and no sweep has run: no made-up ages.
        assert "assettransfer_jobs_oldest_pending_seconds " not in text
        assert "assettransfer_sweep_age_seconds " not in text
