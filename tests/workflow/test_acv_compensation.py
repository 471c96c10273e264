"""Compensation for a private owner (SI 2012/2421 regs 14-16): a claim within 13 weeks after the
loss, a decision with reasons, a review asked for within eight weeks and decided by someone else,
then an appeal to the First-tier Tribunal; while the land is listed or after the listing ends."""
from datetime import date

import pytest

from assettransfer.extensions import db
from assettransfer.models import Role
from assettransfer.services.actions import take_action
from assettransfer.services.errors import ValidationFailed
from assettransfer.workflow.calendar import uk_today
from assettransfer.workflow.context import SYSTEM
from tests.workflow.acv import deadline, letter_text, letters, listed_on

CLAIMANT = {"claimant_name": "Brewery Holdings Ltd", "claimant_address": "1 King Street\nLeeds",
            "private_owner": "yes", "amount": "12500",
            "details": "Four months' delay in the sale, and security costs; invoices enclosed."}


def claim(act, people, application, received: date, loss: date, **changes):
    return act(people.officer, application, "record_compensation_claim", on=received,
               received_on=received.isoformat(), loss_incurred_until=loss.isoformat(),
               **{**CLAIMANT, **changes})


@pytest.fixture
def listed(new_application, people, act):
    return listed_on(act, people, new_application("england-acv"), date(2026, 6, 1))


def test_a_claim_is_made_before_the_end_of_13_weeks_after_the_loss(listed, people, act):
    # reg 14(5)(b): 13 weeks after Monday 30 November 2026 end on Monday 1 March 2027.
    with pytest.raises(ValidationFailed) as refused:
        claim(act, people, listed, date(2027, 3, 2), date(2026, 11, 30))
    assert [e.message for e in refused.value.errors] == [
        "The last day to claim compensation for the loss ended on 1 March 2027: 13 weeks after "
        "30 November 2026 (SI 2012/2421 reg 14(5)(b))"]
    claim(act, people, listed, date(2027, 3, 1), date(2026, 11, 30))
    window = deadline(listed, "compensation_claim")
    assert (window.starts_on, window.due_on) == (date(2026, 11, 30), date(2027, 3, 1))
    assert window.met_at is not None and listed.next_due_on != date(2027, 3, 1)
    assert listed.state == "listed"  # the claim runs beside the listing


def test_a_public_body_cannot_claim(listed, people, act):
    with pytest.raises(ValidationFailed) as refused:
        claim(act, people, listed, date(2027, 1, 4), date(2026, 12, 1), private_owner="no")
    assert [e.message for e in refused.value.errors] == [
        "Reg 15: a public authority or other body the regulations exclude cannot claim "
        "compensation"]


def test_decision_review_and_appeal_each_on_their_clock(listed, people, act):
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, listed, "decide_compensation", decision="refused", reasons="r")
    assert [e.message for e in refused.value.errors] == [
        "There is no claim for compensation awaiting a decision"]
    claim(act, people, listed, date(2027, 3, 1), date(2026, 11, 30))
    decided = act(people.officer, listed, "decide_compensation", on=date(2027, 3, 31),
                  decision="agreed", amount="4000", reasons="Only the security costs are shown.")
    assert letters(listed, decided) == {"compensation_decision":
                                        "Decision on a claim for compensation"}
    text = letter_text(listed, "compensation_decision")
    assert "Dear Brewery Holdings Ltd" in text and "£4,000.00" in text
    assert "Wednesday 26 May 2027" in text  # eight weeks after 31 March 2027
    with pytest.raises(ValidationFailed):  # the claim has its decision
        act(people.officer, listed, "decide_compensation", decision="refused", reasons="r")

    review = {"grounds": "The delay was caused by the moratorium."}
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, listed, "request_compensation_review", on=date(2027, 5, 27),
            received_on="2027-05-27", **review)
    assert refused.value.errors[0].message.endswith("ended on 26 May 2027")
    act(people.officer, listed, "request_compensation_review", on=date(2027, 5, 26),
        received_on="2027-05-26", **review)
    # Decided within eight weeks beginning with the request: by Tuesday 20 July 2027.
    assert deadline(listed, "compensation_review_decision").due_on == date(2027, 7, 20)
    people.officer.role = Role.DECISION_MAKER  # the officer who decided the claim, promoted
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, listed, "decide_compensation_review", decision="agreed",
            amount="12500", reasons="r")
    assert [e.message for e in refused.value.errors] == [
        "You assessed or recommended this case, so someone else must decide it"]
    people.officer.role = Role.OFFICER
    reviewed = act(people.decision_maker, listed, "decide_compensation_review",
                   on=date(2027, 7, 20), decision="agreed", amount="9000",
                   reasons="The delay was caused by the moratorium.")
    assert deadline(listed, "compensation_review_decision").met_at is not None
    assert set(letters(listed, reviewed)) == {"compensation_review_decision"}
    # 28 days after 20 July 2027 is Tuesday 17 August (GRC rules r22).
    appeal = deadline(listed, "compensation_appeal")
    assert (appeal.starts_on, appeal.due_on) == (date(2027, 7, 20), date(2027, 8, 17))
    with pytest.raises(ValidationFailed):
        act(people.officer, listed, "record_compensation_appeal", on=date(2027, 8, 18),
            lodged_on="2027-08-18", tribunal_reference="CR/2027/0100")
    act(people.officer, listed, "record_compensation_appeal", on=date(2027, 8, 17),
        lodged_on="2027-08-17", tribunal_reference="CR/2027/0100")
    act(people.officer, listed, "record_compensation_appeal_outcome", on=date(2027, 12, 1),
        decided_on="2027-12-01", outcome="allowed", amount="12500", summary="Award increased.")
    with pytest.raises(ValidationFailed):
        act(people.officer, listed, "record_compensation_appeal_outcome", decided_on="2027-12-01",
            outcome="allowed", summary="Again.")


def test_a_claim_may_be_made_and_decided_after_the_listing_has_ended(listed, people, act):
    act(people.officer, listed, "remove_no_longer_of_value", reasons="Now a house.",
        on=date(2027, 1, 10))
    assert listed.state == "removed"
    claim(act, people, listed, date(2027, 3, 1), date(2027, 1, 10))
    act(people.officer, listed, "decide_compensation", on=date(2027, 3, 5), decision="refused",
        reasons="No loss was caused by the listing.")
    # The review window opens, and stays open, though the listing has ended.
    window = deadline(listed, "compensation_review_request")
    assert window.is_open and listed.next_due_on == window.due_on == date(2027, 4, 30)
    act(people.officer, listed, "request_compensation_review", on=date(2027, 4, 30),
        received_on="2027-04-30", grounds="g")
    assert deadline(listed, "compensation_review_decision").is_open
    assert listed.state == "removed"


def test_a_window_open_when_the_listing_expires_stays_open(listed, people, act):
    claim(act, people, listed, uk_today(), uk_today())
    act(people.officer, listed, "decide_compensation", decision="refused", reasons="No loss.")
    take_action(SYSTEM, listed, "expire", data={"expired_on": uk_today().isoformat()})
    assert listed.state == "expired"
    assert deadline(listed, "compensation_review_request").is_open
    assert not deadline(listed, "owner_review_request").is_open


def test_a_review_window_ending_unused_after_the_listing_leaves_nothing_due(listed, people, act,
                                                                            runner):
    act(people.officer, listed, "remove_no_longer_of_value", reasons="Now a house.",
        on=date(2027, 1, 10))
    claim(act, people, listed, date(2027, 3, 1), date(2027, 1, 10))
    act(people.officer, listed, "decide_compensation", on=date(2027, 3, 5), decision="refused",
        reasons="No loss was caused by the listing.")
    assert listed.next_due_on == date(2027, 4, 30)
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2027-05-01"])
    assert result.exit_code == 0 and "window_ended" in result.output, result.output
    db.session.refresh(listed)
    assert (listed.state, listed.next_due_on) == ("removed", None)


def test_two_windows_ending_the_same_day_are_recorded_once(new_application, people, act,
                                                            runner):
    """Listed, and a claim decided, on 31 December 2026: the owner's review window and the
    claimant's both end on 25 February 2027."""
    application = listed_on(act, people, new_application("england-acv"), date(2026, 12, 31))
    claim(act, people, application, date(2026, 12, 31), date(2026, 12, 31))
    act(people.officer, application, "decide_compensation", on=date(2026, 12, 31),
        decision="refused", reasons="No loss.")
    assert deadline(application, "compensation_review_request").due_on == date(2027, 2, 25)
    result = runner.invoke(args=["deadlines", "sweep", "--today", "2027-02-26"])
    assert result.output.endswith("1 action taken, 0 refused\n"), result.output
    db.session.refresh(application)
    assert application.next_due_on == date(2031, 12, 30)  # the end of the listing
