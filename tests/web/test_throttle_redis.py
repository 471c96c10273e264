"""Throttling with its counts in Redis (``RATELIMIT_STORAGE_URI``), as production keeps them so
that every process sees the same counts. Skipped, saying why, when Redis cannot be reached."""

import os
import uuid

import pytest

from tests.factories import PASSWORD
from tests.web.conftest import CHEAP_ARGON2

# Database 15, and keys named after an address made for this run: other runs are not disturbed.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client():
    redis = pytest.importorskip("redis", reason="the redis package is not installed ([dev] extra)")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        client.close()
        pytest.skip(f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL): {exc}")
    yield client
    client.close()


@pytest.fixture
def config_overrides(redis_client):
    return {"ARGON2_PARAMS": CHEAP_ARGON2, "RATELIMIT_STORAGE_URI": REDIS_URL,
            "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute",
            # The address is 127.0.0.1 for every test run on this machine: not what this tests.
            "SIGN_IN_LIMIT_PER_ADDRESS": "1000 per minute"}


def test_sign_in_counts_are_kept_in_redis(redis_client, client, make):
    from assettransfer.extensions import db
    from assettransfer.throttle import limiter

    email = f"redis-{uuid.uuid4().hex}@example.org"
    user = make.UserFactory(email=email)
    db.session.commit()
    try:
        for _ in range(3):
            client.post("/account/sign-in", data={"email": email, "password": "wrong guess!"})
        assert type(limiter.storage).__name__ == "RedisStorage"
        assert list(redis_client.scan_iter(match=f"*{email}*"))
        response = client.post("/account/sign-in", data={"email": user.email,
                                                         "password": PASSWORD})
        assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    finally:
        for key in redis_client.scan_iter(match=f"*{email}*"):
            redis_client.delete(key)
