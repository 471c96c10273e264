"""Races on PostgreSQL: the same action on the same version at once (one wins, one gets a
conflict), and cases crossing between two stages at once (the stage tallies neither deadlock nor
miscount)."""
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


def test_cases_crossing_between_two_stages_at_once_keep_the_tallies_right(app, make):
    """Each move updates both stages' tallies; taken in opposite directions at once, they must
    not deadlock (rows are locked in one order) and must both count."""
    from assettransfer.services import tallies

    forward = make.ApplicationFactory(state="eoi_submitted")
    backward = make.ApplicationFactory(state="assessment")
    db.session.commit()
    moves = ((forward.id, "assessment"), (backward.id, "eoi_submitted"))
    db.session.remove()
    ready = threading.Barrier(2)
    errors = []

    def move(application_id, to):
        with app.app_context():
            try:
                row = db.session.get(Application, application_id)
                row.state = to
                ready.wait(timeout=10)
                db.session.commit()
            except Exception as error:  # noqa: BLE001  (any failure, a deadlock above all, is the finding)
                db.session.rollback()
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=move, args=pair) for pair in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert tallies.counts() == {"council-cat": {"eoi_submitted": 1, "assessment": 1}}
    assert tallies.recount() == []
