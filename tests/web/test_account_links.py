"""Links sent by e-mail, followed as a person would from their inbox (the messages the service
keeps in MESSAGES_DIR without a mail server): confirming a new account's address before it can
act on a bid, and resetting a forgotten password."""

import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from assettransfer.extensions import db
from assettransfer.models import AccountEvent, Application, Message, MessageStatus, User
from assettransfer.services import accounts, two_factor
from tests.factories import PASSWORD
from tests.web.conftest import CHEAP_ARGON2, error_summary

SERVICE_URL = "https://assets.example.gov.uk"
NEW_PASSWORD = "kettle harbour violin sunrise"


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2, "SERVICE_URL": SERVICE_URL}


def inbox(app, address: str | None = None) -> list[dict]:
    """The messages sent, oldest first (to ``address`` only, if given)."""
    folder = Path(app.config["MESSAGES_DIR"])
    sent = [json.loads(path.read_text()) for path in sorted(folder.glob("message-*.json"))]
    return [m for m in sent if address is None or m["address"] == address]


def link_in(message: dict) -> str:
    """The path of the message's link, which must point at the service, not at a request's
    Host."""
    url = re.search(r"https?://\S+", message["body"]).group()
    assert url.startswith(f"{SERVICE_URL}/account/"), url
    return urlsplit(url).path


def later(monkeypatch, seconds: int) -> None:
    """Every signed link is now ``seconds`` older."""
    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now + seconds)


def changed(token: str, index: int) -> str:
    """``token`` with one character replaced (not the last: its low bits may not count)."""
    replacement = "A" if token[index] != "A" else "B"
    return token[:index] + replacement + token[index:][1:]


def trail(event: str) -> list[AccountEvent]:
    return list(db.session.scalars(sa.select(AccountEvent).where(AccountEvent.event == event)))


def sign_in(client, email, password=PASSWORD):
    return client.post("/account/sign-in", data={"email": email, "password": password})


def start_form(organisation) -> dict:
    return {"organisation": str(organisation.id), "workflow": "council-cat"}


class TestConfirmEmail:
    def test_sign_up_blocks_starting_a_bid_until_the_link_is_followed(
            self, app, client, make, asset, page):
        client.post("/account/sign-up", data={"name": "Ann Lead", "email": "Ann@Example.org",
                                              "password": NEW_PASSWORD})
        [message] = inbox(app)
        assert (message["address"], message["subject"]) == (
            "ann@example.org", "Confirm your email address")
        assert "within 3 days" in message["body"]
        user = db.session.scalar(sa.select(User).where(User.email == "ann@example.org"))
        assert not user.email_confirmed
        organisation = make.OrganisationFactory(lead=user)

        # Signed in, the account sees its pages but cannot start a bid.
        assert sign_in(client, "ann@example.org", NEW_PASSWORD).status_code == 302
        assert "Your email address is not confirmed yet" in page(client.get("/account/"))
        refused = client.post(f"/applications/start/{asset.id}", data=start_form(organisation))
        assert refused.status_code == 403
        assert "You cannot start or work on an application until you confirm" in page(refused)
        assert "Send the link again" in page(refused)
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0

        confirmed = client.get(link_in(message))
        assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/account/"
        assert "ann@example.org is confirmed" in page(client.get("/account/"))
        db.session.refresh(user)
        assert user.email_confirmed and len(trail("email_confirmed")) == 1

        started = client.post(f"/applications/start/{asset.id}", data=start_form(organisation))
        assert started.status_code == 302
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 1

    def test_the_api_refuses_an_unconfirmed_account_with_a_problem(self, client, make, asset,
                                                                   security_log):
        user = make.UserFactory(unconfirmed=True)
        organisation = make.OrganisationFactory(lead=user)
        _, token = accounts.issue_token(user, "script")
        response = client.post("/api/v1/applications",
                               json={"workflow": "council-cat", "asset_id": asset.id,
                                     "organisation_id": organisation.id},
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403
        assert response.mimetype == "application/problem+json"
        assert "Confirm your email address" in response.json["detail"]
        assert [e["user_id"] for e in security_log.events("access_refused")
                if e.get("reason") == "email_not_confirmed"] == [user.id]
        assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0

    @pytest.mark.parametrize("spoil", [
        lambda token: changed(token, 3),
        lambda token: changed(token, -5),
        lambda token: token.split(".")[0],
        lambda token: "not-a-token",
    ], ids=["what it says changed", "signature changed", "cut short", "made up"])
    def test_a_tampered_link_confirms_nothing(self, app, client, make, page, spoil):
        user = make.UserFactory(unconfirmed=True)
        sign_in(client, user.email)
        client.post("/account/confirm-email/send")
        path = link_in(inbox(app)[0])
        response = client.get(path.rsplit("/", 1)[0] + "/" + spoil(path.rsplit("/", 1)[1]))
        assert response.status_code == 400
        assert "This link does not work" in page(response)
        db.session.refresh(user)
        assert not user.email_confirmed

    def test_an_expired_link_confirms_nothing(self, app, client, make, page, monkeypatch):
        user = make.UserFactory(unconfirmed=True)
        assert sign_in(client, user.email).status_code == 302
        assert client.post("/account/confirm-email/send").status_code == 302
        later(monkeypatch, app.config["CONFIRM_EMAIL_TIMEOUT"] + 1)
        response = client.get(link_in(inbox(app)[0]))
        assert response.status_code == 400 and "has expired" in page(response)
        db.session.refresh(user)
        assert not user.email_confirmed

    def test_following_the_link_again_changes_nothing(self, app, client, make):
        client.post("/account/sign-up", data={"name": "Bo Lead", "email": "bo@example.org",
                                              "password": NEW_PASSWORD})
        path = link_in(inbox(app)[0])
        assert client.get(path).headers["Location"] == "/account/sign-in"
        first = db.session.scalar(sa.select(User.email_confirmed_at))
        assert client.get(path).status_code == 302
        assert db.session.scalar(sa.select(User.email_confirmed_at)) == first
        assert len(trail("email_confirmed")) == 1

    def test_a_link_for_an_address_since_changed_confirms_nothing(self, app, client, make):
        client.post("/account/sign-up", data={"name": "Cy Lead", "email": "cy@example.org",
                                              "password": NEW_PASSWORD})
        user = db.session.scalar(sa.select(User))
        user.email = "cy.new@example.org"
        db.session.commit()
        assert client.get(link_in(inbox(app)[0])).status_code == 400
        db.session.refresh(user)
        assert not user.email_confirmed

    def test_admin_and_command_line_accounts_are_confirmed(self, app, runner, client, make):
        result = runner.invoke(args=["users", "create", "officer@example.gov.uk", "--name",
                                     "Olu Officer", "--role", "officer", "--password",
                                     NEW_PASSWORD])
        assert result.exit_code == 0, result.output
        admin = make.UserFactory(admin=True)
        assert sign_in(client, admin.email).status_code == 302
        made = client.post("/council/users/new", data={
            "email": "group@example.org", "name": "Gail Group", "role": "applicant",
            "password": NEW_PASSWORD})
        assert made.status_code == 302
        for email in ("officer@example.gov.uk", "group@example.org"):
            assert db.session.scalar(sa.select(User).where(User.email == email)).email_confirmed
        assert inbox(app) == []  # nobody is asked to confirm

    def test_confirmed_accounts_are_not_sent_another_link(self, app, client, applicant, page):
        sign_in(client, applicant.email)
        assert "is confirmed" in page(client.get("/account/confirm-email"))
        assert client.post("/account/confirm-email/send").status_code == 302
        assert inbox(app) == []


class TestSendTheLinkAgain:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "SERVICE_URL": SERVICE_URL,
                "CONFIRM_EMAIL_LIMIT_PER_ACCOUNT": "2 per hour"}

    def test_a_new_link_works_and_asking_is_throttled(self, app, client, make, page):
        user = make.UserFactory(unconfirmed=True)
        sign_in(client, user.email)
        sent = client.post("/account/confirm-email/send")
        assert sent.headers["Location"] == "/account/confirm-email"
        assert f"We have sent a new link to {user.email}" in page(client.get(sent.location))
        assert client.post("/account/confirm-email/send").status_code == 302
        assert client.post("/account/confirm-email/send").status_code == 429
        assert len(inbox(app, user.email)) == 2
        assert client.get(link_in(inbox(app)[-1])).status_code == 302
        db.session.refresh(user)
        assert user.email_confirmed


def ask_for_reset(client, email):
    return client.post("/account/reset-password", data={"email": email})


class TestPasswordReset:
    def test_the_sign_in_page_offers_it(self, client, page):
        html = client.get("/account/sign-in").get_data(as_text=True)
        assert re.search(r'href="/account/reset-password"[^>]*>Forgotten your password\?', html)

    def test_a_new_password_by_the_link_ends_every_session_and_the_link(
            self, app, client, applicant, page, security_log):
        elsewhere = app.test_client()
        assert sign_in(elsewhere, applicant.email).status_code == 302

        asked = ask_for_reset(client, f"  {applicant.email.upper()} ")
        assert asked.headers["Location"] == "/account/reset-password/sent"
        assert "works once, for 1 hour" in page(client.get(asked.location))
        [message] = inbox(app)
        assert (message["address"], message["subject"]) == (applicant.email,
                                                            "Reset your password")
        path = link_in(message)
        form = client.get(path)
        assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"

        weak = client.post(path, data={"new_password": "password"})
        assert weak.status_code == 200 and error_summary(weak)
        done = client.post(path, data={"new_password": NEW_PASSWORD})
        assert done.headers["Location"] == "/account/sign-in"
        assert "Your password has been changed" in page(client.get(done.location))

        assert elsewhere.get("/account/").status_code == 302  # signed out everywhere
        assert sign_in(client, applicant.email).status_code == 200  # the old password
        assert sign_in(client, applicant.email, NEW_PASSWORD).status_code == 302
        # The link worked once.
        used = app.test_client().get(path)
        assert used.status_code == 400 and "already been used" in page(used)
        assert app.test_client().post(path, data={"new_password": "another long passphrase"}
                                      ).status_code == 400
        assert [e.user_id for e in trail("password_reset_sent")] == [applicant.id]
        assert [e.user_id for e in trail("password_reset")] == [applicant.id]
        assert [e["user_id"] for e in security_log.events("password_reset")] == [applicant.id]

    def test_the_copy_kept_once_sent_holds_no_working_link(self, app, client, applicant):
        ask_for_reset(client, applicant.email)
        [message] = inbox(app)
        assert link_in(message)  # what the recipient got
        kept = db.session.scalar(sa.select(Message).where(Message.kind == "password_reset"))
        assert kept.status is MessageStatus.SENT
        assert "http" not in kept.body and "(link removed once sent)" in kept.body

    def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(
            self, app, client, make, applicant, page):
        inactive = make.UserFactory(active=False)
        answers = [ask_for_reset(app.test_client(), email)
                   for email in (applicant.email, "nobody@example.org", inactive.email)]
        assert {(a.status_code, a.location) for a in answers} == {
            (302, "/account/reset-password/sent")}
        assert [m["address"] for m in inbox(app)] == [applicant.email]

    def test_a_malformed_address_is_explained(self, client):
        response = ask_for_reset(client, "not an address")
        assert error_summary(response) == [
            "Enter an email address in the correct format, like name@example.com"]

    def test_the_link_expires(self, app, client, applicant, page, monkeypatch):
        ask_for_reset(client, applicant.email)
        path = link_in(inbox(app)[0])
        later(monkeypatch, app.config["PASSWORD_RESET_TIMEOUT"] + 1)
        assert client.get(path).status_code == 400
        assert client.post(path, data={"new_password": NEW_PASSWORD}).status_code == 400
        assert sign_in(client, applicant.email).status_code == 302  # the old password stands

    def test_a_tampered_link_or_another_kinds_link_is_refused(self, app, client, make, page):
        user = make.UserFactory(unconfirmed=True)
        sign_in(client, user.email)
        client.post("/account/confirm-email/send")
        ask_for_reset(client, user.email)
        confirm, reset = (link_in(m) for m in inbox(app))
        token = reset.rsplit("/", 1)[1]
        for path in (f"/account/reset-password/{changed(token, 3)}",
                     "/account/reset-password/" + confirm.rsplit("/", 1)[1]):
            assert client.get(path).status_code == 400, path
        assert client.get(f"/account/confirm-email/{token}").status_code == 400

    def test_two_factor_sign_in_still_asks_for_the_code(self, app, client, make):
        officer = make.UserFactory(officer=True)
        two_factor.begin_setup(officer)
        two_factor.enable(officer, pyotp.TOTP(officer.totp_secret).now())
        db.session.commit()
        ask_for_reset(client, officer.email)
        client.post(link_in(inbox(app)[0]), data={"new_password": NEW_PASSWORD})
        signed = sign_in(client, officer.email, NEW_PASSWORD)
        assert signed.headers["Location"] == "/account/sign-in/code"
        assert client.get("/account/").status_code == 302  # not signed in without the code


class TestResetThrottle:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "SERVICE_URL": SERVICE_URL,
                "PASSWORD_RESET_LIMIT_PER_ACCOUNT": "2 per hour",
                "PASSWORD_RESET_LIMIT_PER_ADDRESS": "4 per hour"}

    def test_per_address_typed_known_or_not(self, app, client, applicant):
        for email in (applicant.email, "nobody@example.org"):
            assert [ask_for_reset(client, email.upper()).status_code for _ in range(3)] == [
                302, 302, 429], email
        assert len(inbox(app)) == 2

    def test_per_client_address(self, client):
        codes = [ask_for_reset(client, f"person{n}@example.org").status_code for n in range(5)]
        assert codes == [302, 302, 302, 302, 429]
