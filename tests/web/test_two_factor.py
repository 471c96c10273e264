"""Two-factor sign-in through the pages: set-up, the second step, the staff rule (issue #14)."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from assettransfer.extensions import db
from assettransfer.services import two_factor
from assettransfer.web.sessions import PENDING
from tests.factories import PASSWORD
from tests.web.conftest import CHEAP_ARGON2


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2, "TWO_FACTOR_LIMIT_PER_ACCOUNT": "3 per minute"}


def sign_in(client, user, password=PASSWORD):
    return client.post("/account/sign-in", data={"email": user.email, "password": password})


def give_code(client, code):
    return client.post("/account/sign-in/code", data={"code": code})


def now_code(user) -> str:
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).now()


def is_signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture
def officer(make):
    """An officer who turned two-factor sign-in on two minutes ago; and their recovery codes."""
    user = make.UserFactory(officer=True)
    two_factor.begin_setup(user)
    then = datetime.now(UTC) - timedelta(minutes=2)
    codes = two_factor.enable(user, pyotp.TOTP(user.totp_secret).at(then), at=then)
    db.session.commit()
    return user, codes


class TestSetUp:
    def test_set_up_confirm_then_codes_shown_once_and_other_sessions_end(self, app, make, page):
        user = make.UserFactory(legal=True)
        elsewhere = app.test_client()
        assert sign_in(elsewhere, user).status_code == 302
        client = app.test_client()
        sign_in(client, user)
        response = client.get("/account/two-factor")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', response.text).group(1)
        qr = client.get("/account/two-factor/qr.svg")
        assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data

        wrong = client.post("/account/two-factor", data={"code": "123456"})
        assert "Enter the 6-digit code your authenticator app shows now" in page(wrong)
        db.session.refresh(user)
        assert not user.has_two_factor

        done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
        assert done.headers["Cache-Control"] == "no-store"
        codes = re.findall(r"<code>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})</code>", done.text)
        assert len(codes) == 10
        db.session.refresh(user)
        assert user.has_two_factor
        assert is_signed_in(client) and not is_signed_in(elsewhere)
        # Neither the secret nor the codes are shown again.
        again = client.get("/account/two-factor")
        assert secret not in again.text and codes[0] not in again.text
        assert client.get("/account/two-factor/qr.svg").status_code == 403

    def test_wrong_set_up_codes_are_throttled_and_right_ones_not_counted(self, app, make):
        user = make.UserFactory(officer=True)
        client = app.test_client()
        sign_in(client, user)
        client.get("/account/two-factor")
        for _ in range(2):
            assert client.post("/account/two-factor", data={"code": "abcdef"}).status_code == 422
        done = client.post("/account/two-factor", data={"code": now_code(user)})
        assert done.status_code == 200
        off = {"password": PASSWORD, "code": "abcdef"}
        assert client.post("/account/two-factor/off", data=off).status_code == 422
        assert client.post("/account/two-factor/off", data=off).status_code == 429

    def test_applicants_are_not_offered_it(self, client, make, page):
        applicant = make.UserFactory()
        sign_in(client, applicant)
        assert "Two-factor" not in page(client.get("/account/"))
        assert client.get("/account/two-factor").status_code == 403

    def test_turning_it_off_takes_the_password_and_a_code(self, app, officer):
        user, codes = officer
        client = app.test_client()
        sign_in(client, user)
        give_code(client, codes[0])
        refused = client.post("/account/two-factor/off",
                              data={"password": "not it at all", "code": codes[1]})
        assert refused.status_code == 422
        db.session.refresh(user)
        assert user.has_two_factor
        done = client.post("/account/two-factor/off", data={"password": PASSWORD, "code": codes[1]})
        assert done.status_code == 302
        db.session.refresh(user)
        assert not user.has_two_factor and is_signed_in(client)


class TestSigningIn:
    def test_the_password_alone_signs_no_one_in(self, client, officer, security_log):
        user, _ = officer
        response = sign_in(client, user)
        assert response.headers["Location"] == "/account/sign-in/code"
        for path in ("/account/", "/council/", "/account/two-factor"):
            assert client.get(path).status_code == 302, path
        assert give_code(client, now_code(user)).status_code == 302
        assert is_signed_in(client)
        assert client.get("/council/").status_code == 200
        assert [e["event"] for e in security_log.events() if e["event"] != "user_created"][-2:] \
            == ["password_accepted", "two_factor_passed"]

    def test_wrong_and_replayed_codes_are_refused(self, app, officer, page):
        user, _ = officer
        client = app.test_client()
        sign_in(client, user)
        wrong = give_code(client, "000000" if now_code(user) != "000000" else "111111")
        assert "Enter a correct code" in page(wrong) and not is_signed_in(client)
        code = now_code(user)
        assert give_code(client, code).status_code == 302
        other = app.test_client()
        sign_in(other, user)
        assert "Enter a correct code" in page(give_code(other, code))
        assert not is_signed_in(other)

    def test_a_recovery_code_works_once(self, app, officer):
        user, codes = officer
        first, second = app.test_client(), app.test_client()
        sign_in(first, user)
        assert give_code(first, codes[3]).status_code == 302
        sign_in(second, user)
        assert give_code(second, codes[3]).status_code == 422
        assert not is_signed_in(second)

    def test_the_second_step_expires(self, app, client, officer):
        user, _ = officer
        sign_in(client, user)
        with client.session_transaction() as session:
            state = session[PENDING]
            state["at"] -= app.config["TWO_FACTOR_PENDING_TIMEOUT"]
            session[PENDING] = state
        response = give_code(client, now_code(user))
        assert response.headers["Location"] == "/account/sign-in"
        assert not is_signed_in(client)

    def test_ending_sessions_ends_the_second_step_too(self, client, officer):
        user, _ = officer
        sign_in(client, user)
        user.session_epoch += 1
        db.session.commit()
        assert give_code(client, now_code(user)).status_code == 302
        assert not is_signed_in(client)

    def test_wrong_codes_are_throttled_per_account(self, client, officer, page):
        user, _ = officer
        sign_in(client, user)
        for _ in range(3):
            assert give_code(client, "abcdef").status_code == 422
        assert give_code(client, now_code(user)).status_code == 429
        assert not is_signed_in(client)

    def test_the_next_page_is_kept_through_both_steps(self, client, officer):
        user, _ = officer
        client.post("/account/sign-in?next=/account/tokens",
                    data={"email": user.email, "password": PASSWORD, "next": "/account/tokens"})
        assert give_code(client, now_code(user)).headers["Location"] == "/account/tokens"

    def test_applicants_sign_in_with_their_password_alone(self, client, make):
        assert sign_in(client, make.UserFactory()).status_code == 302
        assert is_signed_in(client)


class TestRequiredForStaff:
    def test_an_admin_requires_it_and_staff_must_set_it_up_first(self, app, make, page):
        admin, officer, applicant = (make.UserFactory(admin=True),
                                     make.UserFactory(officer=True), make.UserFactory())
        client = app.test_client()
        sign_in(client, admin)
        assert "Require two-factor sign-in for all staff" in page(client.get("/council/users/"))
        client.post("/council/users/two-factor", data={"required": "yes"})
        assert two_factor.required_for_staff()

        staff = app.test_client()
        sign_in(staff, officer)
        for path in ("/council/", "/account/", "/account/tokens"):
            response = staff.get(path)
            assert response.headers["Location"] == "/account/two-factor", path
        assert staff.get("/account/two-factor").status_code == 200
        assert staff.get("/account/two-factor/qr.svg").status_code == 200

        # The admin who required it is staff too.
        assert client.get("/council/users/").headers["Location"] == "/account/two-factor"
        two_factor.set_required_for_staff(admin, False)
        db.session.commit()
        assert is_signed_in(staff)

        group = app.test_client()
        sign_in(group, applicant)
        assert is_signed_in(group)

    def test_only_admins_may_require_it(self, client, make):
        sign_in(client, make.UserFactory(officer=True))
        assert client.post("/council/users/two-factor", data={"required": "yes"}).status_code == 403
        assert not two_factor.required_for_staff()
