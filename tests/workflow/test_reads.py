"""What each audience sees of an application's audit trail."""
from assettransfer.extensions import db
from assettransfer.models import Event
from assettransfer.services import casework
from assettransfer.services.reads import events_for
from tests.workflow.conftest import attach
from tests.workflow.test_council_cat import GOOD_SCORES


def recommended(new_application, people, act):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi")
    act(people.officer, app_, "accept_eoi")
    for kind in ("business_plan", "accounts", "constitution"):
        attach(app_, kind, people.applicant)
    act(people.applicant, app_, "submit_application")
    act(people.officer, app_, "start_assessment")
    for officer in (people.officer, people.officer2):
        casework.save_assessment(officer, app_, GOOD_SCORES, {})
    casework.add_note(people.officer, app_, "Chair is keen.")
    db.session.commit()
    act(people.officer, app_, "recommend", recommendation="refuse", summary="Weak finances.")
    return app_


def test_the_group_does_not_see_internal_data_or_casework(new_application, people, act):
    app_ = recommended(new_application, people, act)
    seen = events_for(people.applicant, app_)
    actions = [e.action for e in seen]
    assert "add_note" not in actions and "save_assessment" not in actions
    recommend = next(e for e in seen if e.action == "recommend")
    assert recommend.payload == {}
    assert recommend.hash == db.session.get(Event, recommend.id).hash


def test_council_staff_see_everything_and_nothing_stored_changes(new_application, people, act):
    app_ = recommended(new_application, people, act)
    events_for(people.applicant, app_)
    db.session.commit()
    seen = events_for(people.decision_maker, app_)
    recommend = next(e for e in seen if e.action == "recommend")
    assert recommend.payload == {"recommendation": "refuse", "summary": "Weak finances."}
    assert {"add_note", "save_assessment"} <= {e.action for e in seen}
