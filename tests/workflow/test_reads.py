"""What each audience sees of an application's audit trail."""
from assettransfer.extensions import db
from assettransfer.models import Event
from assettransfer.services import casework
from assettransfer.services.reads import events_for


def recommended(new_application, walk, people, act):
    app_ = walk(new_application("council-cat"), "assessment", then=2)  # both officers have scored
    casework.add_note(people.officer, app_, "Chair is keen.")
    db.session.commit()
    act(people.officer, app_, "recommend", recommendation="refuse", summary="Weak finances.")
    return app_


def test_the_group_does_not_see_internal_data_or_casework(new_application, people, act, walk):
    app_ = recommended(new_application, walk, people, act)
    seen = events_for(people.applicant, app_)
    actions = [e.action for e in seen]
    assert "add_note" not in actions and "save_assessment" not in actions
    recommend = next(e for e in seen if e.action == "recommend")
    assert recommend.payload == {}
    assert recommend.hash == db.session.get(Event, recommend.id).hash


def test_council_staff_see_everything_and_nothing_stored_changes(
        new_application, people, act, walk):
    app_ = recommended(new_application, walk, people, act)
    events_for(people.applicant, app_)
    db.session.commit()
    seen = events_for(people.decision_maker, app_)
    recommend = next(e for e in seen if e.action == "recommend")
    assert recommend.payload == {"recommendation": "refuse", "summary": "Weak finances."}
    assert {"add_note", "save_assessment"} <= {e.action for e in seen}
