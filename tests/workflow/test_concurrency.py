"""Two people take the same action on the same version at once: one wins, one gets a conflict."""
import threading

import pytest
from sqlalchemy import func, select

from assettransfer.extensions import db
from assettransfer.models import Application, Event
from assettransfer.services.actions import take_action
from assettransfer.services.errors import DomainError

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def needs_postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set FLASK_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://... "
                    "(SQLite serialises writers, so it cannot show the race)")


def test_same_action_same_version_at_once(app, new_application, people):
    application = new_application("council-cat")
    application_id, version = application.id, application.version
    user_ids = (people.applicant.id, people.member.id)
    db.session.remove()
    ready = threading.Barrier(2)
    outcomes = []

    def submit(user_id):
        with app.app_context():
            try:
                from assettransfer.models import User

                user = db.session.get(User, user_id)
                row = db.session.get(Application, application_id)
                ready.wait(timeout=10)
                take_action(user, row, "submit_eoi", expected_version=version)
                db.session.commit()
                outcomes.append("ok")
            except DomainError as error:
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["Conflict", "ok"]
    assert db.session.scalar(select(func.count(Event.id)).where(
        Event.application_id == application_id, Event.action == "submit_eoi")) == 1
    assert db.session.get(Application, application_id).state == "eoi_submitted"
