"""scotland-atr rules that read the other requests for the same land: the s84 bar on disposing
of it to anyone else (recorded at validation, enforced on council-cat's approval and completion)
and the s93 power to decline a repeat of a refused request."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer import walks
from assettransfer.extensions import db
from assettransfer.models import Deadline
from assettransfer.services.actions import available_actions, take_action
from assettransfer.services.errors import ValidationFailed
from assettransfer.workflow.calendar import uk_today
from assettransfer.workflow.context import SYSTEM
from tests.workflow.conftest import attach


def messages(refused):
    return [error.message for error in refused.value.errors]


class TestS84Position:
    @pytest.fixture
    def submitted(self, new_application, walk):
        return walk(new_application("scotland-atr"), "submitted")

    def test_an_exception_needs_its_date_and_evidence(self, submitted, people, act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, submitted, "validate", validation_date="2026-11-05",
                s84_position="advertised_before", on=date(2026, 11, 6))
        assert messages(refused) == [
            "Give the date the land was advertised or the negotiations began",
            "Give the evidence of the advertisement or negotiations"]

    def test_an_exception_must_begin_before_the_request_was_made(self, submitted, people, act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, submitted, "validate", validation_date="2026-11-05",
                s84_position="advertised_before", s84_exception_since="2026-11-05",
                s84_evidence="Advert in the Courier.", on=date(2026, 11, 6))
        assert messages(refused) == [
            "The exception to section 84 must have begun before the request was made on "
            "5 November 2026; 5 November 2026 is not before it"]
        act(people.officer, submitted, "validate", validation_date="2026-11-05",
            s84_position="advertised_before", s84_exception_since="2026-11-04",
            s84_evidence="Advert in the Courier, 4 November 2026.", on=date(2026, 11, 6))
        assert submitted.state == "validated"


@pytest.fixture
def other_group(make):
    """A second community body, with its own lead contact."""
    lead = make.UserFactory(name="Una Other")
    organisation = make.OrganisationFactory(name="Riverside Bowling Club", lead=lead)
    db.session.commit()
    return organisation, lead


def approval():
    """The decision maker's data for council-cat's approval, from its happy path."""
    step = next(s for s in walks.PATHS["council-cat"].steps
                if isinstance(s, walks.Act) and s.action == "approve")
    return step.data_now()


def scottish_request(asset, organisation, lead):
    """A scotland-atr request for ``asset`` by ``organisation``, sent to the council."""
    application = walks.begin(lead, "scotland-atr", asset, organisation)
    db.session.commit()
    attach(application, "constitution", lead)
    take_action(lead, application, "submit")
    db.session.commit()
    return application


class TestS84BarsOtherDisposals:
    def test_approval_is_refused_while_a_request_by_another_body_is_live(
            self, new_application, walk, people, act, asset, other_group):
        cat = walk(new_application("council-cat"), "recommended")
        request = scottish_request(asset, *other_group)
        approve = approval()
        with pytest.raises(ValidationFailed) as refused:
            act(people.decision_maker, cat, "approve", **approve)
        assert messages(refused) == [
            f"Section 84 of the Community Empowerment (Scotland) Act 2015: asset transfer request "
            f"{request.reference} by Riverside Bowling Club for this land is live (received, to "
            f"be validated), so the land may not be disposed of to anyone else until that "
            f"request is disposed of, unless an exception is recorded on it"]
        blocked = next(a for a in available_actions(people.decision_maker, cat)
                       if a.name == "approve")
        assert request.reference in blocked.blocked_by[0]
        # An exception recorded at validation lifts the bar.
        act(people.officer, request, "validate", validation_date=uk_today().isoformat(),
            s84_position="negotiations_before", s84_exception_since="2026-01-05",
            s84_evidence="Heads of terms with the café operator, January 2026.")
        act(people.decision_maker, cat, "approve", **approve)
        assert cat.state == "heads_of_terms"

    def test_completion_is_refused_until_the_request_ends(self, new_application, walk, people,
                                                          act, asset, other_group):
        cat = walk(new_application("council-cat"), "sign_off", then=2)  # both have signed
        request = scottish_request(asset, *other_group)
        with pytest.raises(ValidationFailed, check=lambda e: request.reference in str(
                [m.message for m in e.errors])):
            act(people.legal, cat, "complete")
        take_action(other_group[1], request, "withdraw", data={})
        db.session.commit()
        act(people.legal, cat, "complete")
        assert cat.state == "completed"

    def test_a_draft_or_the_same_bodys_own_request_does_not_bar(
            self, new_application, walk, people, act, asset, other_group):
        cat = walk(new_application("council-cat"), "recommended")
        walks.begin(other_group[1], "scotland-atr", asset, other_group[0])  # a draft
        own = new_application("scotland-atr")
        attach(own, "constitution", people.applicant)
        act(people.applicant, own, "submit")
        act(people.decision_maker, cat, "approve", **approval())
        assert cat.state == "heads_of_terms"


def refused_request(application, people, act, walk, made_on: date):
    """Take ``application`` to a final refusal; it was made (validated) on ``made_on``."""
    walk(application, "submitted")
    act(people.officer, application, "validate", validation_date=made_on.isoformat(),
        s84_position="barred", on=made_on)
    walk(application, "recommended")
    act(people.decision_maker, application, "refuse", reasons="Needed for a school.")
    take_action(SYSTEM, application, "close", data={"expired_on": "2026-12-01"})
    db.session.commit()
    assert application.state == "closed"
    return application


class TestS93RepeatRequests:
    @pytest.fixture
    def repeat(self, new_application, walk):
        def make_repeat():
            return walk(new_application("scotland-atr"), "submitted")

        return make_repeat

    @pytest.mark.parametrize("on, applies", [
        (date(2027, 3, 3), True),   # the day before the last day of the two years
        (date(2027, 3, 4), True),   # the last day: 2 years beginning with 5 March 2025
        (date(2027, 3, 5), False),  # the second anniversary is outside them
    ])
    def test_the_two_years_begin_with_the_day_the_earlier_request_was_made(
            self, new_application, walk, people, act, repeat, on, applies):
        earlier = refused_request(new_application("scotland-atr"), people, act, walk,
                                  date(2025, 3, 5))
        request = repeat()
        decline = dict(earlier_request=earlier.reference, earlier_made_on="2025-03-05")
        if applies:
            act(people.officer, request, "decline_repeat_request", on=on, **decline)
            assert request.state == "declined"
            window = db.session.scalar(select(Deadline).where(
                Deadline.application_id == request.id, Deadline.name == "repeat_request"))
            assert window.due_on == date(2027, 3, 4)
            assert window.rule == "2 years beginning with 5 March 2025 (s93; guidance para 9.5)"
        else:
            with pytest.raises(ValidationFailed) as refused:
                act(people.officer, request, "decline_repeat_request", on=on, **decline)
            assert messages(refused) == [
                f"Section 93 does not apply: no request for the same land and the same type of "
                f"transfer (lease) was refused within the two years before this one "
                f"({earlier.reference} was made on 5 March 2025, so the 2 years beginning with "
                f"5 March 2025 ended on 4 March 2027)"]

    @pytest.mark.parametrize("on, applies", [(date(2030, 2, 28), True),
                                             (date(2030, 3, 1), False)])
    def test_from_29_february_the_two_years_end_on_28_february(
            self, new_application, walk, people, act, repeat, on, applies):
        earlier = refused_request(new_application("scotland-atr"), people, act, walk,
                                  date(2028, 2, 29))
        request = repeat()
        try:
            act(people.officer, request, "decline_repeat_request", on=on,
                earlier_request=earlier.reference, earlier_made_on="2028-02-29")
        except ValidationFailed as refused:
            assert not applies and "ended on 28 February 2030" in refused.errors[0].message
        else:
            assert applies and request.state == "declined"

    def test_only_for_the_same_type_of_transfer(self, new_application, walk, people, act,
                                                repeat):
        earlier = new_application("scotland-atr")
        earlier.answers = {**earlier.answers,
                           "land": {**earlier.answers["land"], "request_type": "other_rights"}}
        refused_request(earlier, people, act, walk, date(2026, 3, 5))
        request = repeat()
        blocked = next(a for a in available_actions(people.officer, request)
                       if a.name == "decline_repeat_request")
        assert blocked.blocked_by == (
            "Section 93 does not apply: no request for the same land and the same type of "
            "transfer (lease) was refused within the two years before this one",)

    def test_only_once_the_refusal_is_final(self, new_application, walk, people, act, repeat):
        earlier = walk(new_application("scotland-atr"), "recommended")
        act(people.decision_maker, earlier, "refuse", reasons="r")  # the review period is open
        request = repeat()
        blocked = next(a for a in available_actions(people.officer, request)
                       if a.name == "decline_repeat_request")
        assert blocked.blocked_by[0].startswith("Section 93 does not apply")

    def test_the_earlier_request_named_must_be_the_one(self, new_application, walk, people, act,
                                                       repeat):
        earlier = refused_request(new_application("scotland-atr"), people, act, walk,
                                  date(2026, 3, 5))
        request = repeat()
        assert next(a for a in available_actions(people.officer, request)
                    if a.name == "decline_repeat_request").possible
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, request, "decline_repeat_request", earlier_request="ATR-1999-0001",
                earlier_made_on="2026-03-05")
        assert messages(refused) == [
            f"ATR-1999-0001 is not a refused request for the same land and the same type of "
            f"transfer made within the last two years; {earlier.reference} is"]
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, request, "decline_repeat_request",
                earlier_request=earlier.reference.lower(), earlier_made_on="2026-03-06")
        assert messages(refused) == [
            f"{earlier.reference} was made on 5 March 2026 (its validation date), "
            f"not 6 March 2026"]
