"""The accounts service: sign-up, sign-in, passwords and API tokens."""

import hashlib
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher

from assettransfer.extensions import db
from assettransfer.models import ApiToken, Role, User
from assettransfer.services import accounts
from assettransfer.services.errors import NotFound, ValidationFailed
from tests.factories import PASSWORD

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
GOOD_PASSWORD = "a long enough passphrase"


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2}


def fields(exc_info) -> dict[str, str]:
    return {e.field: e.message for e in exc_info.value.errors}


class TestSignUp:
    def test_creates_an_applicant_with_lower_case_email_and_hashed_password(self, app):
        user = accounts.sign_up("  Jo.Bloggs@Example.ORG ", "Jo Bloggs", GOOD_PASSWORD)
        assert user.id is not None
        assert user.email == "jo.bloggs@example.org"
        assert user.role is Role.APPLICANT and user.active
        assert GOOD_PASSWORD not in user.password_hash
        assert PasswordHasher().verify(user.password_hash, GOOD_PASSWORD)

    def test_does_not_commit(self, app):
        accounts.sign_up("jo@example.org", "Jo", GOOD_PASSWORD)
        db.session.rollback()
        assert db.session.query(User).count() == 0

    @pytest.mark.parametrize("again", ["jo@example.org", "JO@Example.ORG"])
    def test_refuses_an_email_already_used_in_any_case(self, app, make, again):
        make.UserFactory(email="jo@example.org")
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up(again, "Jo", GOOD_PASSWORD)
        assert "already exists" in fields(exc_info)["email"]

    def test_refuses_a_short_password(self, app):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up("jo@example.org", "Jo", "x" * 11)
        assert fields(exc_info) == {"password": "Password must be 12 characters or more"}

    def test_accepts_a_password_of_exactly_the_minimum(self, app):
        assert accounts.sign_up("jo@example.org", "Jo", "x" * 12).id

    @pytest.mark.parametrize(
        "email", ["jo", "jo@", "@example.org", "jo@@example.org", "jo example@x.org"]
    )
    def test_refuses_a_malformed_email(self, app, email):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up(email, "Jo", GOOD_PASSWORD)
        assert "correct format" in fields(exc_info)["email"]

    def test_reports_every_missing_field_at_once(self, app):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up("", "  ", "")
        assert set(fields(exc_info)) == {"email", "name", "password"}


class TestCreateUser:
    @pytest.mark.parametrize("role", list(Role))
    def test_any_role(self, app, role):
        assert accounts.create_user("a@example.org", "A", role.value, GOOD_PASSWORD).role is role

    def test_unknown_role(self, app):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.create_user("a@example.org", "A", "overlord", GOOD_PASSWORD)
        assert "officer" in fields(exc_info)["role"]


class TestAuthenticate:
    def test_right_password_records_the_sign_in(self, app, make):
        user = make.UserFactory(email="jo@example.org")
        assert user.last_login_at is None
        assert accounts.authenticate("Jo@Example.org", PASSWORD) is user
        assert user.last_login_at is not None

    @pytest.mark.parametrize(
        "email, password, active",
        [
            ("nobody@example.org", PASSWORD, True),  # unknown email
            ("jo@example.org", "wrong horse battery", True),  # wrong password
            ("jo@example.org", PASSWORD, False),  # right password, inactive user
            ("jo@example.org", "", True),
        ],
    )
    def test_every_failure_gives_the_same_message(self, app, make, email, password, active):
        make.UserFactory(email="jo@example.org", active=active)
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.authenticate(email, password)
        assert exc_info.value.message == accounts.SIGN_IN_FAILED
        assert [e.message for e in exc_info.value.errors] == [accounts.SIGN_IN_FAILED]

    def test_a_corrupt_hash_is_a_failure_not_a_crash(self, app, make):
        make.UserFactory(email="jo@example.org", password_hash="not-a-hash")
        with pytest.raises(ValidationFailed):
            accounts.authenticate("jo@example.org", PASSWORD)


class TestRehash:
    @pytest.fixture
    def config_overrides(self):
        # argon2-cffi's default cost, stronger than the factories' hash
        return {"ARGON2_PARAMS": {}}

    def test_weak_hash_is_upgraded_on_sign_in(self, app, make):
        user = make.UserFactory()
        old = user.password_hash
        accounts.authenticate(user.email, PASSWORD)
        assert user.password_hash != old
        assert not PasswordHasher().check_needs_rehash(user.password_hash)
        assert PasswordHasher().verify(user.password_hash, PASSWORD)


class TestChangePassword:
    def test_changes_it(self, app, make):
        user = make.UserFactory()
        accounts.change_password(user, PASSWORD, GOOD_PASSWORD)
        assert accounts.authenticate(user.email, GOOD_PASSWORD) is user
        with pytest.raises(ValidationFailed):
            accounts.authenticate(user.email, PASSWORD)

    def test_wrong_current_password(self, app, make):
        user = make.UserFactory()
        old = user.password_hash
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.change_password(user, "not my password", GOOD_PASSWORD)
        assert set(fields(exc_info)) == {"current_password"}
        assert user.password_hash == old

    def test_new_password_too_short(self, app, make):
        user = make.UserFactory()
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.change_password(user, PASSWORD, "short")
        assert set(fields(exc_info)) == {"new_password"}


class TestTokens:
    def test_issue_stores_only_the_hash_and_a_hint(self, app, make):
        user = make.UserFactory()
        token, plaintext = accounts.issue_token(user, " Finance import ")
        assert len(plaintext) >= 43  # 32 random bytes, base64url
        assert token.name == "Finance import"
        assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
        assert token.hint == plaintext[:8]
        stored = db.session.execute(db.select(ApiToken.__table__)).one()._asdict()
        assert plaintext not in [str(v) for v in stored.values()]

    def test_tokens_differ(self, app, make):
        user = make.UserFactory()
        assert accounts.issue_token(user, "a")[1] != accounts.issue_token(user, "b")[1]

    def test_token_needs_a_name(self, app, make):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.issue_token(make.UserFactory(), "  ")
        assert set(fields(exc_info)) == {"name"}

    def test_user_for_a_valid_token_records_its_use(self, app, make):
        user = make.UserFactory()
        token, plaintext = accounts.issue_token(user, "a")
        assert token.last_used_at is None
        before = datetime.now(UTC)
        assert accounts.user_for_token(plaintext) is user
        assert token.last_used_at >= before

    def test_revoked_token_finds_nobody(self, app, make):
        user = make.UserFactory()
        token, plaintext = accounts.issue_token(user, "a")
        accounts.revoke_token(user, token.id)
        assert token.is_revoked
        assert accounts.user_for_token(plaintext) is None

    @pytest.mark.parametrize("plaintext", ["", "made-up-token", None])
    def test_unknown_token_finds_nobody(self, app, make, plaintext):
        accounts.issue_token(make.UserFactory(), "a")
        assert accounts.user_for_token(plaintext) is None

    def test_inactive_users_token_finds_nobody(self, app, make):
        user = make.UserFactory()
        _, plaintext = accounts.issue_token(user, "a")
        user.active = False
        assert accounts.user_for_token(plaintext) is None

    def test_cannot_revoke_someone_elses_token(self, app, make):
        owner, other = make.UserFactory(), make.UserFactory()
        token, plaintext = accounts.issue_token(owner, "a")
        with pytest.raises(NotFound):
            accounts.revoke_token(other, token.id)
        assert accounts.user_for_token(plaintext) is owner

    def test_revoking_twice_keeps_the_first_time(self, app, make):
        user = make.UserFactory()
        token, _ = accounts.issue_token(user, "a")
        first = accounts.revoke_token(user, token.id).revoked_at
        assert accounts.revoke_token(user, token.id).revoked_at == first
