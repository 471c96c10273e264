"""The account pages: sign up, sign in and out, password, API tokens, and who may see what."""

import re

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import ApiToken, Role, User
from assettransfer.services import accounts
from assettransfer.web.account import SIGN_UP_DONE
from tests.factories import PASSWORD
from tests.web.conftest import CHEAP_ARGON2, csrf_token_from, error_summary

NEW_PASSWORD = "a different long passphrase"


def inline_error(response, field_id: str) -> str | None:
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<p id="{field_id}-error" class="govuk-error-message">(.*?)</p>', html, re.DOTALL
    )
    return (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).replace("Error:", "").strip()
        if match
        else None
    )


def signed_in_as(client) -> str | None:
    response = client.get("/account/")
    if response.status_code != 200:
        return None
    return re.search(
        r"<dd class=\"govuk-summary-list__value\">\s*(\S+@\S+?)\s*</dd>",
        response.get_data(as_text=True),
    ).group(1)


class TestSignUp:
    def test_creates_an_applicant_and_asks_them_to_sign_in(self, client, app, page):
        # Signing them straight in would tell apart an address that already had an account.
        response = client.post(
            "/account/sign-up",
            data={
                "name": "Jo Bloggs",
                "email": "Jo@Example.org",
                "password": "twelve chars",
            },
        )
        assert response.headers["Location"] == "/account/sign-in"
        user = db.session.scalar(sa.select(User))
        assert (user.email, user.name, user.role) == ("jo@example.org", "Jo Bloggs", Role.APPLICANT)
        assert signed_in_as(client) is None
        assert SIGN_UP_DONE in page(client.get("/account/sign-in"))
        client.post("/account/sign-in",
                    data={"email": "jo@example.org", "password": "twelve chars"})
        assert signed_in_as(client) == "jo@example.org"

    @pytest.mark.parametrize(
        "data, field, message",
        [
            ({"password": "elevenchars"}, "password", "Password must be 12 characters or more"),
            ({"email": "jo@example"}, "email", "Enter an email address in the correct format"),
            ({"email": ""}, "email", "Enter your email address"),
            ({"name": ""}, "name", "Enter your full name"),
            ({"password": ""}, "password", "Enter a password"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_created(
        self, client, page, data, field, message
    ):
        form = {"name": "Jo", "email": "jo@example.org", "password": "twelve chars"} | data
        response = client.post("/account/sign-up", data=form)
        assert response.status_code == 200
        assert error_summary(response)[0].startswith(message)
        assert inline_error(response, field).startswith(message)
        assert page(response).startswith("Error: Create an account")
        assert f'href="#{field}"' in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0

    def test_every_missing_field_is_listed_in_form_order(self, client):
        response = client.post("/account/sign-up", data={})
        assert error_summary(response) == [
            "Enter your full name",
            "Enter your email address",
            "Enter a password",
        ]

    def test_a_known_email_gets_the_same_answer_as_a_new_one(self, client, app, make, page):
        # Was refused with "An account with this email address already exists", which told
        # anyone which addresses have accounts.
        user = make.UserFactory(email="jo@example.org")
        old_hash = user.password_hash
        db.session.commit()
        form = {"name": "Jo", "password": "twelve chars"}
        known = client.post("/account/sign-up", data=form | {"email": "JO@example.ORG"},
                            follow_redirects=True)
        new = app.test_client().post("/account/sign-up", data=form | {"email": "new@example.org"},
                                     follow_redirects=True)
        assert known.status_code == new.status_code == 200
        assert [r.headers["Location"] for r in known.history] == [
            r.headers["Location"] for r in new.history] == ["/account/sign-in"]
        assert page(known) == page(new)
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 2
        db.session.refresh(user)
        assert user.password_hash == old_hash

    def test_entered_values_are_kept_but_not_the_password(self, client):
        response = client.post(
            "/account/sign-up",
            data={
                "name": "Jo Bloggs",
                "email": "jo@example.org",
                "password": "short pw",
            },
        )
        html = response.get_data(as_text=True)
        assert 'value="Jo Bloggs"' in html and 'value="jo@example.org"' in html
        assert "short pw" not in html


class TestSignIn:
    def test_applicant_lands_on_their_applications(self, client, applicant):
        response = client.post(
            "/account/sign-in", data={"email": applicant.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/applications/"
        assert signed_in_as(client) == applicant.email

    def test_council_staff_land_on_the_dashboard(self, client, officer):
        response = client.post(
            "/account/sign-in", data={"email": officer.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/council/"

    def test_email_is_not_case_sensitive(self, client, applicant):
        response = client.post(
            "/account/sign-in", data={"email": applicant.email.upper(), "password": PASSWORD}
        )
        assert response.status_code == 302

    def test_unknown_email_and_wrong_password_look_the_same(self, client, applicant):
        unknown = client.post(
            "/account/sign-in", data={"email": "nobody@example.org", "password": PASSWORD}
        )
        wrong = client.post(
            "/account/sign-in", data={"email": applicant.email, "password": "wrong password!"}
        )
        assert unknown.status_code == wrong.status_code == 200
        assert error_summary(unknown) == error_summary(wrong) == [accounts.SIGN_IN_FAILED]
        assert signed_in_as(client) is None

    def test_inactive_user_is_refused_with_the_same_message(self, client, make):
        user = make.UserFactory(active=False)
        response = client.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
        assert error_summary(response) == [accounts.SIGN_IN_FAILED]
        assert signed_in_as(client) is None

    def test_deactivating_a_user_ends_their_session(self, client, login_as, applicant):
        login_as(applicant)
        applicant.active = False
        db.session.commit()
        assert signed_in_as(client) is None

    def test_missing_fields(self, client):
        response = client.post("/account/sign-in", data={})
        assert error_summary(response) == ["Enter your email address", "Enter your password"]


class TestNext:
    def test_a_local_path_is_followed(self, client, applicant):
        response = client.post(
            "/account/sign-in",
            data={
                "email": applicant.email,
                "password": PASSWORD,
                "next": "/accessibility?x=1",
            },
        )
        assert response.headers["Location"] == "/accessibility?x=1"

    def test_the_sign_in_page_carries_next_from_the_query(self, client):
        response = client.get("/account/sign-in?next=/council/")
        assert 'name="next" type="hidden" value="/council/"' in response.get_data(as_text=True)

    @pytest.mark.parametrize(
        "target",
        [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "http:/evil.example",
        ],
    )
    def test_other_sites_are_refused(self, client, applicant, target):
        response = client.post(
            "/account/sign-in",
            data={
                "email": applicant.email,
                "password": PASSWORD,
                "next": target,
            },
        )
        assert response.headers["Location"] == "/applications/"

    def test_an_unsafe_next_is_dropped_from_the_form(self, client):
        response = client.get("/account/sign-in?next=//evil.example/")
        assert "evil.example" not in response.get_data(as_text=True)

    def test_a_protected_page_sends_you_back_after_sign_in(self, client, officer):
        response = client.get("/council/")
        assert response.headers["Location"] == "/account/sign-in?next=%2Fcouncil%2F"
        response = client.post(
            "/account/sign-in?next=%2Fcouncil%2F",
            data={
                "email": officer.email,
                "password": PASSWORD,
                "next": "/council/",
            },
        )
        assert response.headers["Location"] == "/council/"


class TestSignOut:
    def test_signs_out(self, client, login_as, applicant):
        login_as(applicant)
        response = client.post("/account/sign-out")
        assert response.status_code == 302
        assert signed_in_as(client) is None

    def test_is_not_a_link(self, client, login_as, applicant):
        login_as(applicant)
        assert client.get("/account/sign-out").status_code == 405
        assert signed_in_as(client) == applicant.email


class TestChangePassword:
    def test_changes_it(self, client, login_as, applicant):
        login_as(applicant)
        response = client.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
            },
            follow_redirects=True,
        )
        assert "Your password has been changed" in response.get_data(as_text=True)
        client.post("/account/sign-out")
        assert (
            client.post(
                "/account/sign-in", data={"email": applicant.email, "password": PASSWORD}
            ).status_code
            == 200
        )
        assert (
            client.post(
                "/account/sign-in", data={"email": applicant.email, "password": NEW_PASSWORD}
            ).status_code
            == 302
        )

    @pytest.mark.parametrize(
        "data, field, message",
        [
            (
                {"current_password": "not my password"},
                "current_password",
                "Your current password is not right",
            ),
            (
                {"new_password": "too short"},
                "new_password",
                "Password must be 12 characters or more",
            ),
        ],
    )
    def test_refuses(self, client, login_as, applicant, data, field, message):
        login_as(applicant)
        old_hash = applicant.password_hash
        response = client.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
            }
            | data,
        )
        assert response.status_code == 200
        assert inline_error(response, field) == message
        db.session.refresh(applicant)
        assert applicant.password_hash == old_hash

    def test_needs_sign_in(self, client):
        assert client.get("/account/password").headers["Location"].startswith("/account/sign-in")


class TestTokens:
    def create(self, client, name="Finance import"):
        response = client.post("/account/tokens", data={"name": name})
        assert response.status_code == 200
        token = re.search(
            r'<code class="app-code app-token" id="token">([^<]+)</code>',
            response.get_data(as_text=True),
        ).group(1)
        return response, token

    def test_the_token_is_shown_once(self, client, login_as, applicant):
        login_as(applicant)
        response, plaintext = self.create(client)
        assert response.headers["Cache-Control"] == "no-store"
        assert accounts.user_for_token(plaintext) == applicant
        listing = client.get("/account/tokens").get_data(as_text=True)
        assert "Finance import" in listing
        assert plaintext[:8] in listing
        assert plaintext not in listing

    def test_only_the_hash_is_stored(self, client, login_as, applicant):
        login_as(applicant)
        _, plaintext = self.create(client)
        row = db.session.execute(sa.select(ApiToken.__table__)).one()._asdict()
        assert plaintext not in [str(value) for value in row.values()]

    def test_name_is_required(self, client, login_as, applicant):
        login_as(applicant)
        response = client.post("/account/tokens", data={"name": ""})
        assert inline_error(response, "name") == "Enter a name for the token"
        assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0

    def test_revoke(self, client, login_as, applicant, page):
        login_as(applicant)
        _, plaintext = self.create(client)
        token_id = db.session.scalar(sa.select(ApiToken.id))
        response = client.post(f"/account/tokens/{token_id}/revoke", follow_redirects=True)
        assert "has been revoked" in page(response)
        assert "Revoked" in page(response)
        assert accounts.user_for_token(plaintext) is None

    def test_cannot_revoke_someone_elses(self, client, login_as, applicant, make):
        other = make.UserFactory()
        token, plaintext = accounts.issue_token(other, "theirs")
        db.session.commit()
        login_as(applicant)
        assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
        assert accounts.user_for_token(plaintext) == other

    def test_lists_only_your_own(self, client, login_as, applicant, make):
        accounts.issue_token(make.UserFactory(), "Someone else's token")
        db.session.commit()
        login_as(applicant)
        assert "Someone else" not in client.get("/account/tokens").get_data(as_text=True)


class TestOverview:
    def test_shows_who_you_are(self, client, login_as, officer, page):
        login_as(officer)
        text = page(client.get("/account/"))
        assert officer.name in text and officer.email in text and "Officer" in text


class TestCsrf:
    @pytest.fixture
    def config_overrides(self):
        return {"ARGON2_PARAMS": CHEAP_ARGON2, "WTF_CSRF_ENABLED": True}

    def test_a_post_without_the_token_is_refused_with_a_page(self, client, applicant, page):
        response = client.post(
            "/account/sign-in", data={"email": applicant.email, "password": PASSWORD}
        )
        assert response.status_code == 400
        text = page(response)
        assert "Your form could not be sent" in text
        assert "Go back, reload the page and try again" in text
        assert "Test Council" in text  # in the layout
        assert signed_in_as(client) is None

    def test_a_post_with_the_token_works(self, client, applicant):
        token = csrf_token_from(client.get("/account/sign-in"))
        response = client.post(
            "/account/sign-in",
            data={
                "email": applicant.email,
                "password": PASSWORD,
                "csrf_token": token,
            },
        )
        assert response.status_code == 302

    def test_sign_out_needs_the_token(self, client, applicant):
        token = csrf_token_from(client.get("/account/sign-in"))
        client.post(
            "/account/sign-in",
            data={"email": applicant.email, "password": PASSWORD, "csrf_token": token},
        )
        assert client.post("/account/sign-out").status_code == 400
        assert signed_in_as(client) == applicant.email
        page_token = csrf_token_from(client.get("/account/"))
        assert client.post("/account/sign-out", data={"csrf_token": page_token}).status_code == 302
        assert signed_in_as(client) is None


class TestAccess:
    def test_council_pages_send_anonymous_visitors_to_sign_in(self, client):
        response = client.get("/council/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")

    def test_council_pages_refuse_applicants(self, client, login_as, applicant, page):
        login_as(applicant)
        response = client.get("/council/")
        assert response.status_code == 403
        assert "You do not have permission to see this page" in page(response)

    @pytest.mark.parametrize("trait", ["officer", "decision_maker", "legal", "admin"])
    def test_council_pages_admit_every_council_role(self, client, login_as, make, trait):
        login_as(make.UserFactory(**{trait: True}))
        assert client.get("/council/").status_code == 200

    def test_applicant_pages_need_sign_in(self, app, client, login_as, applicant):
        # The blueprint has no pages yet: add one under its name to exercise its guard.
        app.add_url_rule(
            "/applications/probe", endpoint="applicant.probe", view_func=lambda: "inside"
        )
        assert client.get("/applications/probe").headers["Location"].startswith("/account/sign-in")
        login_as(applicant)
        assert client.get("/applications/probe").get_data(as_text=True) == "inside"
