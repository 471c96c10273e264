"""Accounts ready for the internet: throttled guessing, sessions that end, API tokens that expire,
passwords that are not the first ones guessed, and a log of it all (issue #14)."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from assettransfer.extensions import db
from assettransfer.services import accounts, password_policy
from assettransfer.throttle import limiter
from assettransfer.web.sessions import SEEN_AT, SIGNED_IN_AT
from tests.conftest import _postgres_url
from tests.factories import PASSWORD
from tests.web.conftest import CHEAP_ARGON2, inline_error

NEW_PASSWORD = "a different long passphrase"
WRONG = "not the password at all"


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/account/sign-in", data={"email": email, "password": password}, **kwargs)


def is_signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def signed_in_client(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def assert_throttled_page(response, page, window=60):
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= window + 1  # its last second too
    text = page(response)
    assert "Too many attempts" in text
    assert re.search(r"You can try again from \d+ \w+ \d{4} at \d+:\d\d[ap]m", text)


class TestSignInThrottling:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "SIGN_IN_LIMIT_PER_ACCOUNT": "3 per minute",
                "SIGN_IN_LIMIT_PER_ADDRESS": "5 per minute"}

    def test_wrong_passwords_then_the_right_one_is_refused(self, client, applicant, page,
                                                           security_log):
        for _ in range(3):
            assert sign_in(client, applicant.email, WRONG).status_code == 200
        assert_throttled_page(sign_in(client, applicant.email), page)
        assert not is_signed_in(client)
        [event] = security_log.events("throttled")
        assert (event["limit"], event["rate"], event["path"]) == (
            "SIGN_IN_LIMIT_PER_ACCOUNT", "3 per 1 minute", "/account/sign-in")

    def test_the_account_is_counted_whatever_the_case_or_spaces(self, client, applicant, page):
        for email in (applicant.email.upper(), f" {applicant.email} ", applicant.email):
            sign_in(client, email, WRONG)
        assert_throttled_page(sign_in(client, applicant.email), page)

    def test_from_another_address_the_account_is_still_throttled(self, client, applicant, page):
        for _ in range(3):
            sign_in(client, applicant.email, WRONG)
        elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
        assert_throttled_page(sign_in(client, applicant.email, environ_base=elsewhere), page)

    def test_one_address_guessing_many_accounts_is_throttled(self, client, make, page):
        users = [make.UserFactory() for _ in range(6)]
        db.session.commit()
        for user in users[:5]:
            assert sign_in(client, user.email, WRONG).status_code == 200
        assert_throttled_page(sign_in(client, users[5].email), page)

    def test_signing_in_and_out_is_not_counted(self, client, applicant):
        for _ in range(6):
            assert sign_in(client, applicant.email).status_code == 302
            client.post("/account/sign-out")

    def test_other_accounts_and_addresses_are_unaffected(self, client, applicant, officer):
        for _ in range(3):
            sign_in(client, applicant.email, WRONG)
        assert sign_in(client, officer.email).status_code == 302

    def test_forwarded_for_is_ignored_without_a_trusted_proxy(self, client, make, page):
        users = [make.UserFactory() for _ in range(6)]
        db.session.commit()
        for number, user in enumerate(users[:5]):
            sign_in(client, user.email, WRONG, headers={"X-Forwarded-For": f"198.51.100.{number}"})
        response = sign_in(client, users[5].email, headers={"X-Forwarded-For": "198.51.100.99"})
        assert_throttled_page(response, page)

    def test_the_sign_in_page_still_shows_and_the_window_ends(self, client, applicant):
        for _ in range(3):
            sign_in(client, applicant.email, WRONG)
        assert sign_in(client, applicant.email).status_code == 429
        assert client.get("/account/sign-in").status_code == 200  # only attempts are refused
        limiter.reset()  # as the minute ending would
        assert sign_in(client, applicant.email).status_code == 302


class TestBehindATrustedProxy:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "SIGN_IN_LIMIT_PER_ADDRESS": "2 per minute",
                "TRUSTED_PROXIES": 1}

    def test_the_client_is_the_address_the_proxy_saw(self, client, make, page):
        users = [make.UserFactory() for _ in range(4)]
        db.session.commit()
        one, other = {"X-Forwarded-For": "198.51.100.1"}, {"X-Forwarded-For": "198.51.100.2"}
        sign_in(client, users[0].email, WRONG, headers=one)
        sign_in(client, users[1].email, WRONG, headers=one)
        assert sign_in(client, users[2].email, headers=other).status_code == 302
        assert_throttled_page(sign_in(client, users[3].email, headers=one), page)


class TestSignUpThrottling:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "SIGN_UP_LIMIT_PER_ADDRESS": "2 per hour"}

    def test_accounts_asked_for_from_one_address_are_limited(self, client, page):
        for number in range(2):
            response = client.post("/account/sign-up", data={
                "name": "Jo", "email": f"jo{number}@example.org", "password": "twelve chars"})
            assert response.status_code == 302
        assert_throttled_page(client.post("/account/sign-up", data={
            "name": "Jo", "email": "jo9@example.org", "password": "twelve chars"}), page, 3600)


class TestPasswordRules:
    """The forms say why a password is refused (the rules: tests/services/test_accounts.py)."""

    @pytest.mark.parametrize("password, message", [
        ("password1234", password_policy.TOO_COMMON),
        ("aaaaaaaaaaaa", password_policy.TOO_REPETITIVE),
        ("Jo Bloggs the great", password_policy.TOO_PERSONAL),
    ])
    def test_sign_up(self, client, password, message):
        response = client.post("/account/sign-up", data={
            "name": "Jo Bloggs", "email": "jo@example.org", "password": password})
        assert inline_error(response, "password") == message

    def test_change_password(self, client, login_as, applicant):
        login_as(applicant)
        response = client.post("/account/password", data={
            "current_password": PASSWORD, "new_password": "password1234"})
        assert inline_error(response, "new_password") == password_policy.TOO_COMMON

    def test_an_admin_making_an_account(self, client, login_as, make):
        login_as(make.UserFactory(admin=True))
        response = client.post("/council/users/new", data={
            "name": "Owen Officer", "email": "owen@example.gov.uk", "role": "officer",
            "password": "aaaaaaaaaaaa"})
        assert inline_error(response, "password") == password_policy.TOO_REPETITIVE


class TestSessions:
    def test_a_cookie_copied_before_signing_out_no_longer_works(self, client, login_as,
                                                              applicant):
        login_as(applicant)
        copied = client.get_cookie("session").value
        client.post("/account/sign-out")
        client.set_cookie("session", copied)
        assert not is_signed_in(client)

    def test_signing_out_ends_the_other_sessions_too(self, app, client, login_as, applicant):
        login_as(applicant)
        laptop = signed_in_client(app, applicant)
        client.post("/account/sign-out")
        assert not is_signed_in(laptop)

    def test_a_new_password_ends_the_other_sessions_but_not_this_one(self, app, client, login_as,
                                                                     applicant, page):
        login_as(applicant)
        laptop = signed_in_client(app, applicant)
        response = client.post("/account/password", follow_redirects=True, data={
            "current_password": PASSWORD, "new_password": NEW_PASSWORD})
        assert "You have been signed out everywhere else" in page(response)
        assert is_signed_in(client)
        assert not is_signed_in(laptop)

    def test_a_new_role_ends_their_sessions_and_tokens(self, app, client, login_as, officer,
                                                       make):
        _, plaintext = accounts.issue_token(officer, "export")
        db.session.commit()
        theirs = signed_in_client(app, officer)
        login_as(make.UserFactory(admin=True))
        client.post(f"/council/users/{officer.id}/role", data={"role": "legal"})
        assert not is_signed_in(theirs)
        assert accounts.user_for_token(plaintext) is None

    def test_deactivation_ends_their_sessions_and_tokens(self, app, client, login_as, officer,
                                                         make):
        _, plaintext = accounts.issue_token(officer, "export")
        db.session.commit()
        theirs = signed_in_client(app, officer)
        login_as(make.UserFactory(admin=True))
        client.post(f"/council/users/{officer.id}/deactivate")
        assert not is_signed_in(theirs)
        assert accounts.user_for_token(plaintext) is None

    def test_signing_in_starts_a_new_session(self, client, applicant):
        with client.session_transaction() as session:
            session["planted"] = "by someone else"
        sign_in(client, applicant.email)
        with client.session_transaction() as session:
            assert "planted" not in session
            assert session["_user_id"] == f"{applicant.id}:0"

    @pytest.mark.parametrize("key, setting", [(SEEN_AT, "SESSION_IDLE_TIMEOUT"),
                                              (SIGNED_IN_AT, "SESSION_ABSOLUTE_TIMEOUT")])
    def test_a_session_ends_after_its_timeouts(self, app, client, login_as, applicant, key,
                                               setting, security_log):
        login_as(applicant)
        with client.session_transaction() as session:
            session[key] -= app.config[setting]
        assert not is_signed_in(client)
        [event] = security_log.events("session_ended")
        assert event["reason"] == ("idle_timeout" if key == SEEN_AT else "absolute_timeout")

    def test_using_the_service_keeps_a_session_alive(self, app, client, login_as, applicant):
        login_as(applicant)
        with client.session_transaction() as session:
            session[SEEN_AT] -= app.config["SESSION_IDLE_TIMEOUT"] - 90
            session[SIGNED_IN_AT] -= app.config["SESSION_IDLE_TIMEOUT"] - 90
        assert is_signed_in(client)
        with client.session_transaction() as session:
            session[SEEN_AT] -= 100  # would be idle, had the last request not been recorded
        assert is_signed_in(client)

    def test_the_defaults(self, app):
        assert app.config["SESSION_IDLE_TIMEOUT"] == 30 * 60
        assert app.config["SESSION_ABSOLUTE_TIMEOUT"] == 12 * 60 * 60
        assert app.permanent_session_lifetime == timedelta(hours=12)  # was Flask's 31 days


class TestCookie:
    @pytest.fixture
    def config_overrides(self):
        """Not testing: as production runs, which on PostgreSQL needs production's settings."""
        production = {"SECRET_KEY": "s" * 40}
        if _postgres_url():  # named only: signing in seals nothing and starts no job
            production |= {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/14",
                           "JOBS_BROKER_URL": "redis://127.0.0.1:6379/14",
                           "SEAL_KEY_PATH": "/etc/assettransfer/seal.key.pem",
                           "SEAL_CERT_PATH": "/etc/assettransfer/seal.cert.pem",
                           "SEAL_TSA_URL": "https://tsa.example/",
                           "SIGNING_CA_KEY_PATH": "/etc/assettransfer/signing-ca.key.pem",
                           "SIGNING_CA_CERT_PATH": "/etc/assettransfer/signing-ca.cert.pem"}
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "TESTING": False, **production}

    def test_the_session_cookie_is_secure_http_only_and_lax(self, client, applicant):
        response = sign_in(client, applicant.email)
        [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
        attributes = {part.strip().split("=")[0] for part in cookie.split(";")}
        assert {"Secure", "HttpOnly", "SameSite"} <= attributes
        assert "SameSite=Lax" in cookie
        assert "Expires" not in attributes  # gone when the browser closes


class TestTokenExpiry:
    def create(self, client):
        response = client.post("/account/tokens", data={"name": "Finance import"})
        return response, re.search(r'id="token">([^<]+)<', response.get_data(as_text=True))[1]

    def test_the_expiry_is_shown_at_creation_and_in_the_list(self, client, login_as, applicant,
                                                            page):
        login_as(applicant)
        response, _ = self.create(client)
        year = datetime.now(UTC).year + 1
        assert re.search(rf"It expires on \d+ \w+ {year} at", page(response))
        listing = page(client.get("/account/tokens"))
        assert "Expires" in listing and re.search(rf"\d+ \w+ {year} at \d+:\d\d[ap]m", listing)

    def test_an_expired_token_is_refused_and_shown_as_expired(self, client, login_as, applicant,
                                                              page):
        login_as(applicant)
        _, plaintext = self.create(client)
        token = applicant.api_tokens[0]
        token.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
        response = client.get("/api/v1/assets", headers={"Authorization": f"Bearer {plaintext}"})
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
        assert "has expired" in response.get_json()["detail"]
        assert "Expired" in page(client.get("/account/tokens"))


class TestSecurityLog:
    def test_a_failed_sign_in_is_logged_without_the_password(self, client, applicant,
                                                             security_log):
        sign_in(client, applicant.email, "my secret guess 2026")
        sign_in(client, "my other secret guess", "and a password")
        assert "secret guess" not in security_log.text and "and a password" not in security_log.text
        wrong, unknown = security_log.events("sign_in_failed")
        assert (wrong["user_id"], wrong["reason"], wrong["level"]) == (
            applicant.id, "wrong_password", "WARNING")
        assert (unknown["user_id"], unknown["reason"]) == (None, "unknown_email")
        assert (wrong["method"], wrong["path"], wrong["client"]) == (
            "POST", "/account/sign-in", "127.0.0.1")

    def test_each_account_event_is_one_json_line(self, client, applicant, security_log):
        sign_in(client, applicant.email)
        client.post("/account/password", data={"current_password": PASSWORD,
                                               "new_password": NEW_PASSWORD})
        client.post("/account/tokens", data={"name": "Finance import"})
        token_id = applicant.api_tokens[0].id
        client.post(f"/account/tokens/{token_id}/revoke")
        client.post("/account/sign-out")
        assert [e["event"] for e in security_log.events()] == [
            "signed_in", "password_changed", "token_created", "token_revoked", "signed_out"]
        assert all(e["user_id"] == applicant.id for e in security_log.events())
        assert PASSWORD not in security_log.text and NEW_PASSWORD not in security_log.text

    def test_access_refusals_are_logged(self, client, login_as, applicant, make, security_log):
        token, _ = accounts.issue_token(make.UserFactory(), "theirs")
        db.session.commit()
        login_as(applicant)
        assert client.get("/council/").status_code == 403
        assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
        refusals = security_log.events("access_refused")
        assert [(e["status"], e["path"], e["user_id"]) for e in refusals] == [
            (403, "/council/", applicant.id),
            (404, f"/account/tokens/{token.id}/revoke", applicant.id)]
