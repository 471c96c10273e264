"""The accounts service: sign-up, sign-in, passwords and API tokens."""

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from assettransfer.extensions import db
from assettransfer.models import ApiToken, Role, User
from assettransfer.services import accounts, password_policy, staff
from assettransfer.services.errors import NotFound, ValidationFailed
from tests.factories import PASSWORD

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
GOOD_PASSWORD = "a long enough passphrase"


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2}


def fields(exc_info) -> dict[str, str]:
    return {e.field: e.message for e in exc_info.value.errors}


def user_with(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == email))


class TestSignUp:
    def test_creates_an_applicant_with_lower_case_email_and_hashed_password(self, app):
        assert accounts.sign_up("  Jo.Bloggs@Example.ORG ", "Jo Bloggs", GOOD_PASSWORD) is None
        user = user_with("jo.bloggs@example.org")
        assert user.id is not None
        assert user.role is Role.APPLICANT and user.active
        assert GOOD_PASSWORD not in user.password_hash
        assert PasswordHasher().verify(user.password_hash, GOOD_PASSWORD)

    def test_does_not_commit(self, app):
        accounts.sign_up("jo@example.org", "Jo", GOOD_PASSWORD)
        db.session.rollback()
        assert db.session.query(User).count() == 0

    @pytest.mark.parametrize("again", ["jo@example.org", "JO@Example.ORG"])
    def test_a_known_email_is_neither_said_nor_changed(self, app, make, again, security_log):
        # Was refused with "already exists", which told anyone which addresses have accounts.
        user = make.UserFactory(email="jo@example.org", name="Jo Original")
        old_hash = user.password_hash
        assert accounts.sign_up(again, "Jo", GOOD_PASSWORD) is None
        assert db.session.query(User).count() == 1
        assert (user.name, user.password_hash) == ("Jo Original", old_hash)
        assert [e["user_id"] for e in security_log.events("sign_up_for_existing_account")] == [
            user.id]

    def test_a_known_email_is_checked_like_a_new_one(self, app, make):
        make.UserFactory(email="jo@example.org")
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up("jo@example.org", "", "short")
        assert set(fields(exc_info)) == {"name", "password"}

    def test_refuses_a_short_password(self, app):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up("jo@example.org", "Jo", "x" * 11)
        assert fields(exc_info) == {"password": "Password must be 12 characters or more"}

    def test_accepts_a_password_of_exactly_the_minimum(self, app):
        # Was "x" * 12, which is now refused for using too few different characters.
        accounts.sign_up("jo@example.org", "Jo", "twelve chars")
        assert user_with("jo@example.org")

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


REFUSED_PASSWORDS = [
    ("password1234", password_policy.TOO_COMMON),  # on the shipped list
    ("Sunshine2024!", password_policy.TOO_COMMON),  # a listed one with digits and symbols added
    ("aaaaaaaaaaaa", password_policy.TOO_REPETITIVE),
    ("abcabcabcabc", password_policy.TOO_REPETITIVE),
    ("123456789012", password_policy.TOO_PREDICTABLE),
    ("qwertyuiopas", password_policy.TOO_PREDICTABLE),
    ("Jo Bloggs rules the roost", password_policy.TOO_PERSONAL),  # the name
    ("bloggs the cat sat", password_policy.TOO_PERSONAL),  # a word of the name
    ("my jo.blo99s address", password_policy.TOO_PERSONAL),  # the e-mail's local part
]


class TestPasswordPolicy:
    """Every way a password is chosen refuses the weak ones, saying why."""

    @pytest.mark.parametrize("password, message", REFUSED_PASSWORDS)
    def test_sign_up(self, app, password, message):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.sign_up("jo.blo99s@example.org", "Jo Bloggs", password)
        assert fields(exc_info) == {"password": message}

    @pytest.mark.parametrize("password, message", REFUSED_PASSWORDS)
    def test_change_password(self, app, make, password, message):
        user = make.UserFactory(email="jo.blo99s@example.org", name="Jo Bloggs")
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.change_password(user, PASSWORD, password)
        assert fields(exc_info) == {"new_password": message}

    @pytest.mark.parametrize("password, message", REFUSED_PASSWORDS)
    def test_create_user(self, app, password, message):
        with pytest.raises(ValidationFailed) as exc_info:
            accounts.create_user("jo.blo99s@example.org", "Jo Bloggs", "officer", password)
        assert fields(exc_info) == {"password": message}

    @pytest.mark.parametrize("password", [
        GOOD_PASSWORD, "correct horse battery", "Jo's allotment 1987", "twelve chars"])
    def test_good_passwords_pass(self, password):
        assert password_policy.password_problem(password, "jo.blo99s@example.org", "Jo") is None

    def test_the_list_ships_inside_the_package(self):
        package = Path(accounts.__file__).resolve().parent.parent
        assert password_policy.COMMON_PASSWORDS.is_relative_to(package)
        assert len(password_policy.common_passwords()) > 19_000


class TestEndSessions:
    """Each of these raises the user's session epoch, which ends every session of theirs."""

    def test_signing_out(self, app, make, security_log):
        user = make.UserFactory()
        accounts.sign_out(user)
        assert user.session_epoch == 1
        assert [e["user_id"] for e in security_log.events("signed_out")] == [user.id]

    def test_changing_the_password(self, app, make, security_log):
        user = make.UserFactory()
        accounts.change_password(user, PASSWORD, GOOD_PASSWORD)
        assert user.session_epoch == 1
        assert [e["user_id"] for e in security_log.events("password_changed")] == [user.id]

    def test_a_refused_change_keeps_them(self, app, make):
        user = make.UserFactory()
        with pytest.raises(ValidationFailed):
            accounts.change_password(user, PASSWORD, "password1234")
        assert user.session_epoch == 0

    def test_a_new_role_also_revokes_every_token(self, app, make, security_log):
        admin, user = make.UserFactory(admin=True), make.UserFactory(officer=True)
        token, plaintext = accounts.issue_token(user, "export")
        staff.change_role(admin, user, "legal")
        assert user.session_epoch == 1 and token.is_revoked
        assert accounts.user_for_token(plaintext) is None
        [event] = security_log.events("role_changed")
        assert (event["user_id"], event["by_user_id"], event["tokens_revoked"]) == (
            user.id, admin.id, 1)

    def test_the_same_role_again_changes_nothing(self, app, make):
        admin, user = make.UserFactory(admin=True), make.UserFactory(officer=True)
        token, _ = accounts.issue_token(user, "export")
        staff.change_role(admin, user, "officer")
        assert user.session_epoch == 0 and not token.is_revoked

    def test_deactivation_also_revokes_every_token(self, app, make):
        admin, user = make.UserFactory(admin=True), make.UserFactory(officer=True)
        token, plaintext = accounts.issue_token(user, "export")
        staff.deactivate(admin, user)
        assert user.session_epoch == 1 and token.is_revoked
        staff.reactivate(admin, user)
        assert accounts.user_for_token(plaintext) is None  # reactivating brings no token back


class TestTokenExpiry:
    def test_a_token_lasts_a_year_by_default(self, app, make, security_log):
        token, _ = accounts.issue_token(make.UserFactory(), "a")
        assert abs(token.expires_at - (datetime.now(UTC) + timedelta(days=365))) < timedelta(
            minutes=1)
        [event] = security_log.events("token_created")
        assert event["expires_at"] == token.expires_at.isoformat()

    def test_the_lifetime_is_a_setting(self, app, make):
        app.config["API_TOKEN_LIFETIME_DAYS"] = 30
        token, _ = accounts.issue_token(make.UserFactory(), "a")
        assert token.expires_at - token.created_at < timedelta(days=30, minutes=1)

    def test_an_expired_token_is_refused_like_a_revoked_one(self, app, make, security_log):
        user = make.UserFactory()
        token, plaintext = accounts.issue_token(user, "a")
        token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        assert token.is_expired
        assert accounts.user_for_token(plaintext) is None
        [event] = security_log.events("token_refused")
        assert (event["reason"], event["token_id"], event["user_id"]) == (
            "expired", token.id, user.id)
        assert plaintext not in security_log.text and token.hint not in security_log.text


class TestEmailConfirmation:
    """An account that signed up must confirm its address before it acts on a bid; the services
    refuse, whichever entry point calls them."""

    def test_sign_up_writes_the_link_in_its_transaction_and_a_known_address_gets_none(
            self, app, make):
        from assettransfer.models import Message

        make.UserFactory(email="known@example.org")
        accounts.sign_up("new@example.org", "Nell New", GOOD_PASSWORD)
        accounts.sign_up("known@example.org", "Kit Known", GOOD_PASSWORD)
        [message] = db.session.scalars(db.select(Message)).all()
        assert (message.kind, message.to_address) == ("confirm_email", "new@example.org")
        assert not user_with("new@example.org").email_confirmed
        db.session.rollback()
        assert db.session.query(Message).count() == 0

    def test_accounts_made_for_someone_are_confirmed(self, app, make):
        accounts.create_user("made@example.org", "Mo Made", Role.APPLICANT, GOOD_PASSWORD)
        staff.create_user(make.UserFactory(admin=True), "staff@example.gov.uk", "Sam Staff",
                          Role.OFFICER, GOOD_PASSWORD)
        assert user_with("made@example.org").email_confirmed
        assert user_with("staff@example.gov.uk").email_confirmed

    def test_every_way_of_acting_on_a_bid_is_refused(self, app, make):
        from assettransfer.services.account_links import EmailNotConfirmed
        from assettransfer.services.actions import take_action
        from assettransfer.services.applications import save_answers, start_application
        from assettransfer.services.attachments import add_attachment

        user = make.UserFactory(unconfirmed=True)
        application = make.ApplicationFactory(organisation=make.OrganisationFactory(lead=user))
        attempts = {
            "start": lambda: start_application(user, "council-cat", application.asset,
                                               application.organisation),
            "answer": lambda: save_answers(user, application, {}, None),
            "act": lambda: take_action(user, application, "withdraw"),
            "attach": lambda: add_attachment(user, application, "constitution", "c.pdf",
                                             b"%PDF-1.4"),
        }
        for name, attempt in attempts.items():
            with pytest.raises(EmailNotConfirmed) as refused:
                attempt()
            assert refused.value.status == 403, name
            assert "Confirm your email address" in refused.value.message, name

    def test_a_password_reset_confirms_the_address_it_reached(self, app, make):
        from assettransfer.models import Message
        from assettransfer.services import password_reset

        user = make.UserFactory(unconfirmed=True)
        password_reset.request_link(user.email)
        body = db.session.scalar(db.select(Message.body))
        token = body.split("/account/reset-password/")[1].split()[0]
        password_reset.reset_password(token, GOOD_PASSWORD)
        assert user.email_confirmed
