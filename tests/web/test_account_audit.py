"""The account trail: what is done to and with accounts is recorded through the pages, chained
and keyed, and checked by ``flask audit verify``; a deleted entry is seen."""
import pytest
import sqlalchemy as sa
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import AccountEvent
from tests.conftest import PASSWORD

NEW_PASSWORD = "a different long passphrase"


@pytest.fixture
def admin(make):
    return make.UserFactory(admin=True, name="Ada Admin")


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True, name="Owen Officer")


def trail() -> list[tuple]:
    return [(e.event, e.user_id, e.by_user_id, e.details, e.address)
            for e in db.session.scalars(select(AccountEvent).order_by(AccountEvent.seq))]


def test_account_events_are_recorded_in_order(client, login_as, admin, officer):
    wrong = client.post("/account/sign-in", data={"email": officer.email, "password": "nope"})
    assert wrong.status_code == 200  # the form again: its transaction was rolled back
    client.post("/account/sign-in", data={"email": "nobody@example.org", "password": "x"})
    login_as(officer)
    client.post("/account/password", data={"current_password": "wrong", "new_password": "x",
                                           "confirm_password": "x"})
    client.post("/account/password", data={"current_password": PASSWORD,
                                           "new_password": NEW_PASSWORD,
                                           "confirm_password": NEW_PASSWORD})
    client.post("/account/tokens", data={"name": "laptop"})
    token_id = db.session.scalar(select(AccountEvent.details).where(
        AccountEvent.event == "token_created"))["token_id"]
    client.post(f"/account/tokens/{token_id}/revoke")
    client.post("/account/sign-out")
    login_as(admin)
    client.post(f"/council/users/{officer.id}/role", data={"role": "decision_maker"})
    client.post(f"/council/users/{officer.id}/deactivate")
    client.post(f"/council/users/{officer.id}/reactivate")
    here = "127.0.0.1"
    assert trail() == [
        ("sign_in_failed", officer.id, None, {"reason": "wrong_password"}, here),
        ("sign_in_failed", None, None, {"reason": "unknown_email"}, here),
        ("signed_in", officer.id, None, {}, here),
        ("password_change_failed", officer.id, None, {"reason": "wrong_current_password"}, here),
        ("password_changed", officer.id, None, {}, here),
        ("token_created", officer.id, None, {"token_id": token_id}, here),
        ("token_revoked", officer.id, None, {"token_id": token_id}, here),
        ("signed_in", admin.id, None, {}, here),
        ("role_changed", officer.id, admin.id,
         {"old_role": "officer", "role": "decision_maker", "tokens_revoked": 0}, here),
        ("user_deactivated", officer.id, admin.id, {"tokens_revoked": 0}, here),
        ("user_reactivated", officer.id, admin.id, {}, here),
    ]
    assert "nobody@example.org" not in str(trail()) and PASSWORD not in str(trail())


@pytest.fixture
def signed_in_thrice(client, login_as, officer, runner):
    for _ in range(3):
        login_as(officer)
        client.post("/account/sign-out")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and result.output.endswith(", 3 account events\n")


@pytest.mark.parametrize("seq", [1, 3])
def test_deleting_an_account_event_is_seen(signed_in_thrice, runner, seq):
    db.session.execute(sa.delete(AccountEvent).where(AccountEvent.seq == seq))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN: account trail " + (
        "event 2: expected event 1" if seq == 1 else
        "head: 3 events were recorded but the trail ends at event 2") in result.output


def test_rewriting_an_account_event_is_seen(signed_in_thrice, runner):
    db.session.execute(sa.update(AccountEvent).where(AccountEvent.seq == 2)
                       .values(address="203.0.113.9"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN: account trail event 2: its content was changed" in result.output


def test_admins_see_a_users_history(client, login_as, admin, officer, make):
    login_as(officer)
    client.post("/account/sign-out")
    login_as(admin)
    client.post(f"/council/users/{officer.id}/deactivate")
    page = client.get(f"/council/users/{officer.id}/history")
    assert page.status_code == 200
    text = " ".join(page.get_data(as_text=True).split())
    assert "Account history of Owen Officer" in text
    assert text.index("User deactivated") < text.index("Signed in")
    assert "Ada Admin" in text and "127.0.0.1" in text
    client.post("/account/sign-out")
    login_as(make.UserFactory(officer=True))
    assert client.get(f"/council/users/{officer.id}/history").status_code == 403
