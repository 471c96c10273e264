"""Random sequences of actions by random users keep the workflow's invariants."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from assettransfer.extensions import db
from assettransfer.models import Attachment, Event
from assettransfer.services.actions import take_action
from assettransfer.services.audit import verify
from assettransfer.services.errors import Conflict, DomainError
from assettransfer.workflow import workflows
from assettransfer.workflow.calendar import uk_today
from tests.workflow.conftest import attach

WORKFLOW = "council-cat"
USERS = ("applicant", "member", "outsider", "officer", "officer2", "decision_maker", "legal")
ACTIONS = ("submit_eoi", "accept_eoi", "decline_eoi", "submit_application", "request_information",
           "provide_information", "start_assessment", "recommend", "approve", "refuse",
           "agree_heads_of_terms", "issue_legal_pack", "complete", "withdraw")


def sample_value(field):
    """A plausible value for a field, so that random walks get past data validation."""
    if field.options:
        return field.options[0].value
    return {
        "text": "Ann Lead", "long_text": "Because the community needs it.", "number": 25,
        "money": "1.00", "date": uk_today().isoformat(), "yes_no": True, "email": "a@example.org",
        "postcode": "EH1 1YZ", "password": "correct horse battery",
    }[field.type]


steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.sampled_from(USERS),
        st.booleans(),  # give the action's data, or none
        st.booleans(),  # send a stale version
    ),
    min_size=1, max_size=12,
)


def event_count(application):
    return db.session.scalar(select(func.count(Event.id))
                             .where(Event.application_id == application.id))


def has_attachments(application):
    return db.session.scalar(select(func.count(Attachment.id))
                             .where(Attachment.application_id == application.id)) > 0


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_random_walks_keep_the_invariants(steps, new_application, people):
    application = new_application(WORKFLOW)
    workflow = workflows()[WORKFLOW]
    for action_name, who, with_data, stale in steps:
        if application.state == "business_case" and not has_attachments(application):
            for kind in ("business_plan", "accounts", "constitution"):
                attach(application, kind, people.applicant)
        action = workflow.actions[action_name]
        data = {f.name: sample_value(f) for f in action.fields} if with_data else {}
        before = (application.state, application.version, event_count(application))
        version = before[1] - 1 if stale else before[1]
        try:
            take_action(getattr(people, who), application, action_name, data=data,
                        expected_version=version)
            db.session.commit()
            succeeded = True
        except DomainError as error:
            db.session.rollback()
            succeeded = False
            if stale and who != "outsider":  # an outsider learns nothing, not even a conflict
                assert isinstance(error, Conflict)
        db.session.refresh(application)
        assert application.state in workflow.states
        if succeeded:
            assert not stale, "a stale version must never change anything"
            assert event_count(application) == before[2] + 1
            assert application.version > before[1]
        else:
            assert (application.state, application.version, event_count(application)) == before
    assert verify().problems == []
