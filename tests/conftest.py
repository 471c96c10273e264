"""Shared fixtures: an app per test on a clean database (SQLite, or PostgreSQL when
``FLASK_SQLALCHEMY_DATABASE_URI`` points at one), clients, and ``login_as``.

Requests and commands run as in production, so a view or command that forgets to commit fails its
tests. The test itself holds one application context (its own session, where factories and
direct service calls work); each test-client request and each CLI command runs in a fresh context
with a session of its own. What the test set up is committed before each request, as if another
request had made it, and the test's session reads the outcome afresh afterwards: it sees only what
the request committed.
"""
import io
import json
import logging
import os
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient, FlaskCliRunner

from assettransfer import create_app
from assettransfer.extensions import db
from assettransfer.security_log import JsonFormatter
from tests import factories

PASSWORD = "correct horse battery"
AUDIT_KEY = "test-audit-key-of-at-least-32-characters"


def _postgres_url() -> str | None:
    url = os.environ.get("FLASK_SQLALCHEMY_DATABASE_URI", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """The URL and engine options of a database made for this test run, with every table."""
    url = _postgres_url()
    if url:
        schema = f"test_{uuid.uuid4().hex[:12]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
        options = {}
    app = create_app(_test_config(url, options, tmp_path_factory.mktemp("storage")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url, options
    if _postgres_url():
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _test_config(url, engine_options, storage_dir) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "AUDIT_KEYS": {"test": AUDIT_KEY},
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "STORAGE_DIR": str(storage_dir),
        "MESSAGES_DIR": str(storage_dir.with_name("messages")),
        "WTF_CSRF_ENABLED": False,
        # Cheap hashing: the factories' users sign in hundreds of times.
        "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        "AUTHORITY_NAME": "Test Council",
        "AUTHORITY_NATION": "scotland",
        "WORKFLOWS": ["scotland-atr", "england-acv", "council-cat"],
    }


@pytest.fixture
def config_overrides() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


class _OwnSession:
    """Runs one request or command in an application context (so a database session) of its
    own, after committing what the test set up; the test's objects are reloaded afterwards."""

    def __init__(self, app):
        self.app = app

    def __enter__(self):
        db.session.commit()
        self.context = self.app.app_context()
        self.context.push()

    def __exit__(self, *exc_info):
        self.context.pop()  # removes the request's session: what it did not commit is undone
        db.session.expire_all()


class ProductionClient(FlaskClient):
    def run_wsgi_app(self, environ, buffered=False):
        with _OwnSession(self.application):
            return super().run_wsgi_app(environ, buffered=buffered)


class ProductionCliRunner(FlaskCliRunner):
    def invoke(self, cli=None, args=None, **kwargs):
        with _OwnSession(self.app):
            return super().invoke(cli, args, **kwargs)


@pytest.fixture
def app(database, tmp_path, config_overrides):
    url, options = database
    config = _test_config(url, options, tmp_path / "storage") | config_overrides
    app = create_app(config)
    app.test_client_class = ProductionClient
    app.test_cli_runner_class = ProductionCliRunner
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Sign a user in on ``client`` through the real sign-in form."""

    def login(user, password=PASSWORD):
        response = client.post(
            "/account/sign-in", data={"email": user.email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def make(app):
    """The factories, bound to this test's database session."""
    return factories


class SecurityLog:
    """What the app logged while a test ran (its security events, and Flask's errors), as the
    JSON lines production writes."""

    def __init__(self):
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def events(self, name: str | None = None) -> list[dict]:
        lines = [json.loads(line) for line in self.text.splitlines()]
        return [line for line in lines if name is None or line["event"] == name]


@pytest.fixture
def security_log():
    log = SecurityLog()
    handler = logging.StreamHandler(log.stream)
    handler.setFormatter(JsonFormatter())
    # Not the line each request adds (request_log.py): tests/web/test_ops_request_log.py reads it.
    handler.addFilter(lambda record: record.name != "assettransfer.requests")
    logger = logging.getLogger("assettransfer")  # the app's logger; security events propagate to it
    logger.addHandler(handler)
    yield log
    logger.removeHandler(handler)
