"""The app factory's configuration: defaults, instance file, FLASK_* environment, test config."""
import json
import stat

import pytest
import sqlalchemy as sa
from flask import Flask

from assettransfer import create_app
from assettransfer.config import is_production, redis_urls
from assettransfer.extensions import db
from assettransfer.models import Application, User


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A fresh instance folder, and an environment without FLASK_* settings."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    for name in ("FLASK_SQLALCHEMY_DATABASE_URI", "FLASK_SECRET_KEY", "FLASK_AUTHORITY_NAME",
                 "FLASK_AUDIT_KEYS", "FLASK_AUDIT_KEY_ID", "FLASK_RATELIMIT_STORAGE_URI",
                 "FLASK_STORAGE_DIR", "FLASK_METRICS_TOKEN", "FLASK_METRICS_ALLOWED_ADDRESSES",
                 "FLASK_JOBS_BROKER_URL", "FLASK_SEAL_PKCS12_PATH", "FLASK_SEAL_KEY_PATH",
                 "FLASK_SEAL_CERT_PATH", "FLASK_SEAL_TSA_URL", "FLASK_SEAL_TSA_KEY_PATH",
                 "FLASK_SEAL_TSA_CERT_PATH", "FLASK_SIGNING_CA_KEY_PATH",
                 "FLASK_SIGNING_CA_CERT_PATH"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_defaults_use_sqlite_in_the_instance_folder(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/assettransfer.sqlite"
    assert app.config["STORAGE_DIR"] == str(instance / "storage")
    assert app.config["AUTHORITY_NAME"] == "Example Council"
    assert app.config["WORKFLOWS"] == ["scotland-atr", "council-cat"]  # the default nation's


def test_each_source_overrides_the_one_before(instance, monkeypatch):
    instance.mkdir()
    (instance / "config.py").write_text(
        'AUTHORITY_NAME = "File Council"\nAUTHORITY_EMAIL = "file@example.gov.uk"\n'
        'AUTHORITY_ADDRESS = "File Street"\n')
    monkeypatch.setenv("FLASK_AUTHORITY_EMAIL", "env@example.gov.uk")
    monkeypatch.setenv("FLASK_AUTHORITY_ADDRESS", "Env Street")
    monkeypatch.setenv("FLASK_WORKFLOWS", '["council-cat"]')
    app = create_app({"AUTHORITY_ADDRESS": "Test Street"})
    assert app.config["AUTHORITY_NAME"] == "File Council"
    assert app.config["AUTHORITY_EMAIL"] == "env@example.gov.uk"
    assert app.config["AUTHORITY_ADDRESS"] == "Test Street"
    assert app.config["WORKFLOWS"] == ["council-cat"]


@pytest.mark.parametrize(("nation", "offered"), [
    ("england", ["england-acv", "council-cat"]),
    ("wales", ["council-cat"]),
    ("northern-ireland", ["council-cat"]),
])
def test_the_processes_offered_follow_the_nation(instance, nation, offered):
    assert create_app({"AUTHORITY_NATION": nation}).config["WORKFLOWS"] == offered


def test_an_unknown_nation_stops_the_app(instance):
    with pytest.raises(ValueError, match="AUTHORITY_NATION must be one of .* not 'cornwall'"):
        create_app({"AUTHORITY_NATION": "cornwall"})


def test_a_secret_key_is_made_once_private_and_kept(instance):
    first = create_app().config["SECRET_KEY"]
    key_file = instance / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 40 and key_file.read_text() == first
    assert create_app().config["SECRET_KEY"] == first


def test_a_configured_secret_key_is_used_and_nothing_written(instance, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (instance / "secret_key").exists()


def test_emails_are_unique_whatever_their_case(app, make):
    make.UserFactory(email="ann@example.org")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(User).values(
            email="ANN@example.org".lower(), name="Ann", password_hash="x", role="applicant",
            active=True, created_at=sa.func.now()))
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):  # stored addresses are lower case, by constraint
        db.session.execute(sa.insert(User).values(
            email="Bob@example.org", name="Bob", password_hash="x", role="applicant", active=True,
            created_at=sa.func.now()))
    db.session.rollback()


def test_unknown_roles_and_dangling_references_are_refused(app, make):
    with pytest.raises(sa.exc.IntegrityError):  # the CHECK constraint, past the ORM's own check
        db.session.execute(sa.text(
            "INSERT INTO users (email, name, password_hash, role, active, created_at) "
            "VALUES ('c@example.org', 'C', 'x', 'mayor', true, CURRENT_TIMESTAMP)"))
    db.session.rollback()
    organisation = make.OrganisationFactory()
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Application).values(
            reference="X-1", asset_id=999999, organisation_id=organisation.id,
            workflow="council-cat", state="eoi_draft", version=1, answers={},
            created_at=sa.func.now(), updated_at=sa.func.now()))
    db.session.rollback()


class TestSessionCookie:
    def test_secure_by_default(self, instance):
        app = create_app()
        assert app.config["SESSION_COOKIE_SECURE"] is True
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True
        assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"

    @pytest.mark.parametrize("local", [{"TESTING": True}, {"DEBUG": True}])
    def test_not_secure_for_local_development_over_http(self, instance, local):
        assert create_app(local).config["SESSION_COOKIE_SECURE"] is False

    def test_the_setting_wins(self, instance, monkeypatch):
        monkeypatch.setenv("FLASK_SESSION_COOKIE_SECURE", "false")
        assert create_app().config["SESSION_COOKIE_SECURE"] is False
        assert create_app({"TESTING": True, "SESSION_COOKIE_SECURE": True}).config[
            "SESSION_COOKIE_SECURE"] is True

    def test_flask_refuses_cookies_older_than_the_absolute_timeout(self, instance):
        app = create_app({"SESSION_ABSOLUTE_TIMEOUT": 3600})
        assert app.permanent_session_lifetime.total_seconds() == 3600


SERVER_DATABASE = "postgresql+psycopg://db.example/assettransfer"


@pytest.fixture
def production(instance, monkeypatch, tmp_path):
    """The environment of a production server with every setting it needs; a test takes away
    what it is about."""
    settings = {
        "FLASK_SQLALCHEMY_DATABASE_URI": SERVER_DATABASE,
        "FLASK_SECRET_KEY": "s" * 40,
        "FLASK_AUDIT_KEYS": json.dumps({"2026": "a" * 32}),
        "FLASK_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/11",
        "FLASK_STORAGE_DIR": str(tmp_path / "shared-volume"),
        "FLASK_JOBS_BROKER_URL": "redis://127.0.0.1:6379/12",
        "FLASK_SEAL_KEY_PATH": "/etc/assettransfer/seal.key.pem",
        "FLASK_SEAL_CERT_PATH": "/etc/assettransfer/seal.cert.pem",
        "FLASK_SEAL_TSA_URL": "https://tsa.example/",
        "FLASK_SIGNING_CA_KEY_PATH": "/etc/assettransfer/signing-ca.key.pem",
        "FLASK_SIGNING_CA_CERT_PATH": "/etc/assettransfer/signing-ca.cert.pem",
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    return settings


class TestProduction:
    def test_starts_with_every_setting_it_needs(self, production):
        app = create_app()
        assert is_production(app)
        assert app.config["SECRET_KEY"] == "s" * 40
        assert app.config["STORAGE_DIR"] == production["FLASK_STORAGE_DIR"]

    def test_refuses_to_start_naming_every_setting_missing(self, production, monkeypatch,
                                                           instance):
        for name in ("FLASK_SECRET_KEY", "FLASK_AUDIT_KEYS", "FLASK_RATELIMIT_STORAGE_URI",
                     "FLASK_STORAGE_DIR", "FLASK_JOBS_BROKER_URL", "FLASK_SEAL_KEY_PATH",
                     "FLASK_SEAL_TSA_URL", "FLASK_SIGNING_CA_KEY_PATH"):
            monkeypatch.delenv(name)
        with pytest.raises(ValueError) as refused:
            create_app()
        message = str(refused.value)
        assert "docs/operations.md" in message
        for reason in ("SECRET_KEY must be set in production",
                       "AUDIT_KEYS must be set in production",
                       "RATELIMIT_STORAGE_URI must be set in production",
                       "memory:// counts in each process",
                       "STORAGE_DIR must be set in production",
                       "JOBS_BROKER_URL must be set in production",
                       "SEAL_KEY_PATH and SEAL_CERT_PATH, must be set in production",
                       "SEAL_TSA_URL (an RFC 3161 timestamp authority)",
                       "SIGNING_CA_KEY_PATH and SIGNING_CA_CERT_PATH must be set in production"):
            assert reason in message
        # Nothing was made for it meanwhile: no key files in the instance folder.
        assert not (instance / "secret_key").exists() and not (instance / "audit_key").exists()
        assert not (instance / "seal").exists() and not (instance / "signing-ca").exists()

    def test_refuses_to_start_without_a_seal_key(self, production, monkeypatch):
        monkeypatch.delenv("FLASK_SEAL_CERT_PATH")  # half a pair is no key
        with pytest.raises(ValueError, match="SEAL_PKCS12_PATH .* must be set in production"):
            create_app()
        monkeypatch.setenv("FLASK_SEAL_PKCS12_PATH", "/etc/assettransfer/seal.p12")
        assert is_production(create_app())

    def test_timestamps_from_the_apps_own_key_need_it_configured(self, production, monkeypatch):
        monkeypatch.delenv("FLASK_SEAL_TSA_URL")
        with pytest.raises(ValueError, match="SEAL_TSA_URL"):
            create_app()
        monkeypatch.setenv("FLASK_SEAL_TSA_KEY_PATH", "/etc/assettransfer/tsa.key.pem")
        monkeypatch.setenv("FLASK_SEAL_TSA_CERT_PATH", "/etc/assettransfer/tsa.cert.pem")
        assert is_production(create_app())

    def test_refuses_to_start_without_a_signing_authority(self, production, monkeypatch):
        monkeypatch.delenv("FLASK_SIGNING_CA_CERT_PATH")  # half a pair is no authority
        with pytest.raises(ValueError, match="SIGNING_CA_KEY_PATH and SIGNING_CA_CERT_PATH"):
            create_app()

    @pytest.mark.parametrize(("setting", "value", "reason"), [
        ("FLASK_SECRET_KEY", "dev", "SECRET_KEY must have at least 32 characters"),
        ("FLASK_RATELIMIT_STORAGE_URI", "memory://", "RATELIMIT_STORAGE_URI must be set"),
        ("FLASK_STORAGE_DIR", "{instance}/storage", "STORAGE_DIR must be set"),
    ])
    def test_refuses_a_setting_that_will_not_do(self, production, monkeypatch, instance,
                                                setting, value, reason):
        monkeypatch.setenv(setting, value.format(instance=instance))
        with pytest.raises(ValueError, match=reason):
            create_app()

    def test_a_secret_key_in_the_instance_folder_is_not_enough(self, production, monkeypatch,
                                                               instance):
        monkeypatch.delenv("FLASK_SECRET_KEY")
        create_app({"TESTING": True})  # made one, as a development run would
        assert (instance / "secret_key").exists()
        with pytest.raises(ValueError, match="SECRET_KEY must be set in production"):
            create_app()

    @pytest.mark.parametrize("local", [{"TESTING": True}, {"DEBUG": True},
                                       {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite"}])
    def test_development_and_tests_need_none_of_it(self, instance, local):
        app = create_app({"SQLALCHEMY_DATABASE_URI": SERVER_DATABASE} | local)
        assert not is_production(app)

    def test_metrics_are_off_until_someone_is_allowed_to_read_them(self, production,
                                                                   monkeypatch):
        assert create_app().config["METRICS_ALLOWED_ADDRESSES"] == []
        monkeypatch.setenv("FLASK_METRICS_ALLOWED_ADDRESSES", '["10.0.0.0/8"]')
        assert create_app().config["METRICS_ALLOWED_ADDRESSES"] == ["10.0.0.0/8"]

    def test_metrics_are_open_to_this_machine_in_development(self, instance):
        assert create_app().config["METRICS_ALLOWED_ADDRESSES"] == ["127.0.0.1", "::1"]

    def test_an_address_that_is_not_one_stops_the_app(self, instance):
        with pytest.raises(ValueError, match="'intranet' is not an IP address or network"):
            create_app({"METRICS_ALLOWED_ADDRESSES": ["10.0.0.0/8", "intranet"]})


def test_the_redis_urls_come_from_every_setting_that_may_name_one():
    config = {"RATELIMIT_STORAGE_URI": "memory://", "JOBS_BROKER_URL": "rediss://broker:6380/0"}
    assert redis_urls(config) == {"JOBS_BROKER_URL": "rediss://broker:6380/0"}
    assert redis_urls({"RATELIMIT_STORAGE_URI": "redis://limits:6379/0"}) == {
        "RATELIMIT_STORAGE_URI": "redis://limits:6379/0"}


class TestAuditKeys:

    def test_made_once_private_and_kept_in_development(self, instance):
        app = create_app()
        key_file = instance / "audit_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert app.config["AUDIT_KEYS"] == {"instance": key_file.read_text()}
        assert app.config["AUDIT_KEY_ID"] == "instance"
        assert create_app().config["AUDIT_KEYS"] == app.config["AUDIT_KEYS"]

    def test_production_refuses_to_start_without_keys(self, production, monkeypatch, instance):
        monkeypatch.delenv("FLASK_AUDIT_KEYS")
        with pytest.raises(ValueError, match="AUDIT_KEYS must be set in production"):
            create_app()
        assert not (instance / "audit_key").exists()

    def test_keys_from_the_environment(self, production, monkeypatch):
        keys = {"2026": "a" * 32, "2027": "b" * 32}
        monkeypatch.setenv("FLASK_AUDIT_KEYS", json.dumps(keys))
        with pytest.raises(ValueError, match="AUDIT_KEY_ID must name the key"):
            create_app()
        monkeypatch.setenv("FLASK_AUDIT_KEY_ID", "2027")
        assert create_app().config["AUDIT_KEY_ID"] == "2027"

    def test_a_short_key_is_refused(self, instance):
        with pytest.raises(ValueError, match="AUDIT_KEYS old: a key must have at least 32"):
            create_app({"AUDIT_KEYS": {"old": "short"}})
