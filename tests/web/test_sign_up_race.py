"""Ten sign-ups for one e-mail address at once, on PostgreSQL: one account, and every request
gets the answer a known address gets (never a 500, never a hint that the address was taken)."""
import threading

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import User
from assettransfer.web.account import SIGN_UP_DONE

pytestmark = pytest.mark.postgres
SIGN_UPS = 10


@pytest.fixture
def config_overrides():
    return {"SIGN_UP_LIMIT_PER_ADDRESS": "1000 per hour"}


@pytest.fixture(autouse=True)
def needs_postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... "
                    "(SQLite serialises writers, so it cannot show the race)")


def test_simultaneous_sign_ups_for_one_email_make_one_account_and_no_errors(app):
    form = {"name": "Jo Bloggs", "email": "race@example.org",
            "password": "a long and unusual passphrase"}
    db.session.commit()
    ready = threading.Barrier(SIGN_UPS)
    answers = []

    def sign_up():
        with app.app_context():
            client = app.test_client()
            ready.wait(timeout=10)
            response = client.post("/account/sign-up", data=form, follow_redirects=True)
        answers.append((response.status_code, SIGN_UP_DONE in response.get_data(as_text=True)))

    threads = [threading.Thread(target=sign_up) for _ in range(SIGN_UPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert answers == [(200, True)] * SIGN_UPS
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.email == "race@example.org")) == 1
