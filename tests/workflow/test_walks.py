"""Each workflow's happy path (``assettransfer.walks``), and the driver that walks an application
along it through the services."""
import pytest
from sqlalchemy import select

from assettransfer import walks
from assettransfer.extensions import db
from assettransfer.models import Attachment, Event
from assettransfer.services.casework import assessments_of
from assettransfer.services.operations import documents_being_prepared
from assettransfer.services.reads import documents_of
from tests.workflow.conftest import attach


@pytest.mark.parametrize("workflow, final", [
    ("council-cat", "completed"), ("scotland-atr", "completed"), ("england-acv", "transferred")])
def test_each_path_takes_a_new_application_to_its_end(new_application, walk, workflow, final):
    application = walk(new_application(workflow), final)
    assert application.state == final and application.next_due_on is None


def test_a_walk_stops_on_reaching_the_state(new_application, walk):
    application = walk(new_application("council-cat"), "assessment")
    assert application.state == "assessment" and assessments_of(application) == []


def test_then_takes_steps_past_the_state(new_application, walk, people):
    application = walk(new_application("council-cat"), "assessment", then=1)
    assert [a.assessor for a in assessments_of(application)] == [people.officer]


def test_a_walk_goes_on_from_where_the_application_is_without_uploading_twice(
        new_application, walk, people):
    application = walk(new_application("council-cat"), "business_case")
    attach(application, "accounts", people.applicant)
    walk(application, "application_submitted")
    assert sorted(db.session.scalars(select(Attachment.kind))) == [
        "accounts", "business_plan", "constitution"]


def test_data_changes_an_action_of_the_walk(new_application, walk):
    application = walk(new_application("council-cat"), "recommended",
                       data={"recommend": {"summary": "Scores 73%."}})
    recommend = db.session.scalar(select(Event).where(Event.action == "recommend"))
    assert recommend.payload == {"recommendation": "approve", "summary": "Scores 73%."}
    with pytest.raises(ValueError, match="takes no action approve to change"):
        walk(application, "recommended", data={"approve": {"reasons": "Unused."}})


def test_a_state_off_the_way_ahead_is_refused_before_any_step(new_application, walk):
    application = walk(new_application("council-cat"), "business_case")
    version = application.version
    for state in ("eoi_submitted", "refused"):
        with pytest.raises(ValueError, match=f"does not go from “business_case” to “{state}”"):
            walk(application, state)
    with pytest.raises(ValueError, match="ends fewer than 1 steps after “completed”"):
        walk(application, "completed", then=1)
    assert application.state == "business_case" and application.version == version


def test_each_step_commits_and_its_letters_are_made_before_the_next(new_application, people):
    application = new_application("england-acv")
    walks.walk(application, people, "listed")
    db.session.rollback()  # nothing is left for the caller to commit
    assert application.state == "listed"
    kinds = {document.kind for document in documents_of(application)}
    assert {"nomination_acknowledgement", "listing_notice"} <= kinds
    assert not documents_being_prepared(people.officer, application)
