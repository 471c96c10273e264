"""Any community interest group may ask to be treated as a potential bidder (Localism Act 2011
s95(3)(a)); the first request during the interim moratorium means the full moratorium applies,
and the owner is told of each request (s98)."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Document, Event
from assettransfer.services.actions import available_actions, take_action
from assettransfer.services.errors import NotAllowed, NotFound, ValidationFailed
from assettransfer.services.interest import ask_to_bid
from assettransfer.workflow.calendar import uk_today
from tests.workflow.acv import (
    deadline,
    disposal_notified_on,
    letter_text,
    letters,
    other_group,
)

# The owner's notice received on Friday 13 November 2026: the interim moratorium is six weeks
# beginning with that day, to Thursday 24 December; the full one six months, to 12 May 2027.
NOTICE = date(2026, 11, 13)
LAST_DAY, DAY_AFTER = date(2026, 12, 24), date(2026, 12, 25)
GROUP = {"group_name": "Red Lion Community Pub Ltd", "group_address": "3 High Street\nExampleton"}


@pytest.fixture
def moratorium(new_application, people, act):
    return disposal_notified_on(act, people, new_application("england-acv"), NOTICE)


def record(act, people, application, day, **group):
    return act(people.officer, application, "record_interest", on=day,
               received_on=day.isoformat(), **(group or GROUP))



def test_a_request_on_the_last_day_of_the_interim_moratorium_starts_the_full_one(
        moratorium, people, act):
    assert deadline(moratorium, "interim_moratorium").due_on == LAST_DAY
    event = record(act, people, moratorium, LAST_DAY)
    assert moratorium.state == "full_moratorium"
    assert deadline(moratorium, "interim_moratorium").met_at is not None
    full = deadline(moratorium, "full_moratorium")
    assert (full.due_on, full.met_at) == (date(2027, 5, 12), None)
    assert set(letters(moratorium, event)) == {"interest_acknowledgement",
                                               "interest_notice_owner"}
    to_owner = letter_text(moratorium, "interest_notice_owner")
    assert "Dear Brewery Holdings Ltd" in to_owner and "1 King Street" in to_owner
    assert "Red Lion Community Pub Ltd" in to_owner and "Wednesday 12 May 2027" in to_owner
    to_group = letter_text(moratorium, "interest_acknowledgement")
    assert "Red Lion Community Pub Ltd" in to_group and "3 High Street" in to_group


def test_a_request_after_the_interim_moratorium_is_refused(moratorium, people, act):
    with pytest.raises(ValidationFailed) as refused:
        record(act, people, moratorium, DAY_AFTER)
    assert [e.message for e in refused.value.errors] == [
        "The end of the interim moratorium ended on 24 December 2026"]
    assert moratorium.state == "interim_moratorium"


def test_a_request_received_before_the_owner_s_notice_is_not_one_in_the_moratorium(
        moratorium, people, act):
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, moratorium, "record_interest", on=NOTICE,
            received_on=date(2026, 11, 12).isoformat(), **GROUP)
    assert [e.message for e in refused.value.errors] == [
        "The date is before the period began on 13 November 2026"]
    record(act, people, moratorium, NOTICE)  # the day the notice arrived is day one
    assert moratorium.state == "full_moratorium"


def test_every_group_asking_in_the_interim_period_is_recorded_and_passed_to_the_owner(
        moratorium, people, act):
    act(people.applicant, moratorium, "express_interest", statement="We will bid.",
        on=date(2026, 11, 20))
    assert moratorium.state == "full_moratorium"
    second = record(act, people, moratorium, LAST_DAY)
    assert (second.from_state, second.to_state) == ("full_moratorium", "full_moratorium")
    assert "interest_notice_owner" in letters(moratorium, second)
    assert db.session.scalar(select(Document.version).where(
        Document.kind == "interest_notice_owner", Document.superseded_at.is_(None))) == 2
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        record(act, people, moratorium, DAY_AFTER)


def test_the_nominator_may_still_ask_after_another_group_has(moratorium, people, act):
    record(act, people, moratorium, date(2026, 11, 16))
    with pytest.raises(ValidationFailed):
        act(people.applicant, moratorium, "express_interest", statement="Us too.", on=DAY_AFTER)
    act(people.applicant, moratorium, "express_interest", statement="Us too.", on=LAST_DAY)
    assert [e.action for e in db.session.scalars(
        select(Event).where(Event.to_state == "full_moratorium").order_by(Event.seq))] == [
        "record_interest", "express_interest"]


def test_a_registered_group_asks_in_the_app(new_application, people, act):
    application = disposal_notified_on(act, people, new_application("england-acv"), uk_today())
    group = other_group(people)
    request = ask_to_bid(people.outsider, application.asset, group)
    db.session.commit()
    assert application.state == "full_moratorium"
    assert (request.group, request.received_on) == (group, uk_today())
    assert request.full_moratorium_ends == deadline(application, "full_moratorium").due_on
    assert request.protected_period_ends == deadline(application, "protected_period").due_on
    event = db.session.scalar(select(Event).where(Event.action == "record_interest"))
    assert (event.actor_id, event.actor_role) == (people.outsider.id, "applicant")
    assert event.payload["group_name"] == group.name
    assert event.payload["received_on"] == uk_today().isoformat()
    assert group.postcode in event.payload["group_address"]


def test_the_app_keeps_to_the_same_clock(moratorium, people):
    group = other_group(people)
    with pytest.raises(ValidationFailed) as refused:
        ask_to_bid(people.outsider, moratorium.asset, group, on=DAY_AFTER)
    assert refused.value.errors[0].message.endswith("ended on 24 December 2026")
    ask_to_bid(people.outsider, moratorium.asset, group, on=LAST_DAY)
    assert moratorium.state == "full_moratorium"


def test_who_may_ask_in_the_app_and_when(new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    with pytest.raises(ValidationFailed, match="is not in a moratorium"):
        ask_to_bid(people.outsider, application.asset, other_group(people))
    act(people.officer, application, "notify_disposal", notice_received_on=uk_today().isoformat(),
        disposal_details="Sale.")
    with pytest.raises(ValidationFailed, match="Your group nominated this asset"):
        ask_to_bid(people.member, application.asset, people.organisation)
    with pytest.raises(NotAllowed):
        ask_to_bid(people.officer, application.asset, other_group(people))
    with pytest.raises(NotAllowed):  # a member of another group may not ask in the nominator's
        ask_to_bid(people.outsider, application.asset, people.organisation)
    with pytest.raises(NotFound):  # nor see the nomination and take the action on it directly
        take_action(people.outsider, application, "record_interest",
                    data={**GROUP, "received_on": uk_today().isoformat()})
    assert [a.name for a in available_actions(people.applicant, application)] == [
        "express_interest"]
    assert application.state == "interim_moratorium"
