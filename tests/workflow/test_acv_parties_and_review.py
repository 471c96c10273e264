"""The owner and the occupier are parties to a listing (Localism Act 2011 s91(2); SI 2012/2421
regs 6 and 8): each is told of the nomination and of the listing in a letter of their own, and
the owner's review (s92, Schedule 2) and appeal to the First-tier Tribunal run on their clocks."""
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Document
from assettransfer.services.errors import ValidationFailed
from assettransfer.workflow.calendar import uk_today
from tests.workflow.acv import deadline, letter_text, letters, listed_on

REQUEST = {"owner_name": "Brewery Holdings Estates", "grounds": "The pub is not used.",
           "oral_hearing": "no"}



def with_land(application, **answers):
    application.answers = {**application.answers,
                           "land": {**application.answers["land"], **answers}}
    db.session.commit()
    return application


def test_the_owner_and_the_occupier_are_each_told_of_the_nomination(new_application, people,
                                                                     act):
    application = new_application("england-acv")
    event = act(people.applicant, application, "submit")
    assert set(letters(application, event)) == {
        "nomination_acknowledgement", "nomination_notice_owner", "nomination_notice_occupier"}
    owner = letter_text(application, "nomination_notice_owner")
    assert "Dear Brewery Holdings Ltd" in owner and "Leeds LS1 1AA" in owner
    assert "as the owner of" in owner
    occupier = letter_text(application, "nomination_notice_occupier")
    # No address for the occupier was known: the letter goes to the land itself.
    assert "Dear Red Lion Inns Ltd" in occupier and application.asset.postcode in occupier


def test_an_owner_who_occupies_gets_one_letter_and_an_unknown_owner_one_at_the_land(
        new_application, people, act):
    application = with_land(new_application("england-acv"), owner_occupies=True,
                            owner_name=None, owner_address=None)
    act(people.applicant, application, "submit")
    event = act(people.officer, application, "list", reasons="The only pub.")
    assert set(letters(application, event)) == {"listing_notice", "listing_notice_owner"}
    owner = letter_text(application, "listing_notice_owner")
    assert "Dear Sir or Madam" in owner and application.asset.postcode in owner


def test_each_party_gets_its_own_listing_notice(new_application, people, act):
    application = new_application("england-acv")
    act(people.applicant, application, "submit")
    event = act(people.officer, application, "list", reasons="The only pub.")
    assert letters(application, event) == {
        "listing_notice": "Notice of listing as an asset of community value",
        "listing_notice_owner": "Notice of listing as an asset of community value: to the owner",
        "listing_notice_occupier":
            "Notice of listing as an asset of community value: to the occupier"}
    assert "Dear Ann Lead" in letter_text(application, "listing_notice")
    to_owner = letter_text(application, "listing_notice_owner")
    assert "Dear Brewery Holdings Ltd" in to_owner and "You, as owner of the land" in to_owner
    assert "Dear Red Lion Inns Ltd" in letter_text(application, "listing_notice_occupier")
    # The owner's eight weeks run from the event that issued the owner's notice.
    review = deadline(application, "owner_review_request")
    owner_notice = db.session.scalar(select(Document).where(
        Document.kind == "listing_notice_owner"))
    assert review.event_id == owner_notice.event_id == event.id


@pytest.mark.parametrize(("listed", "last_day"), [
    (date(2026, 12, 31), date(2027, 2, 25)),  # a month-end
    (date(2028, 1, 4), date(2028, 2, 29)),  # 29 February
])
def test_the_owner_may_ask_for_a_review_until_eight_weeks_after_the_notice(
        new_application, people, act, listed, last_day):
    application = listed_on(act, people, new_application("england-acv"), listed)
    assert deadline(application, "owner_review_request").due_on == last_day
    day_after = date.fromordinal(last_day.toordinal() + 1)
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, application, "request_owner_review", on=day_after,
            received_on=day_after.isoformat(), **REQUEST)
    assert refused.value.errors[0].message.endswith(f"ended on {last_day:%-d %B %Y}")
    act(people.officer, application, "request_owner_review", on=last_day,
        received_on=last_day.isoformat(), **REQUEST)
    assert application.state == "listed"  # the review runs beside the listing
    assert deadline(application, "owner_review_decision").starts_on == last_day


def test_the_council_may_allow_the_owner_longer_in_writing(new_application, people, act):
    application = listed_on(act, people, new_application("england-acv"), date(2026, 12, 31))
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, application, "allow_longer_review_request",
            allowed_until="2027-02-25", reasons="Owner abroad; letter of 1 February.")
    assert [e.message for e in refused.value.errors] == [
        "The new date must be after the current one, 25 February 2027"]
    act(people.officer, application, "allow_longer_review_request", allowed_until="2027-03-31",
        reasons="Owner abroad; letter of 1 February.", on=date(2027, 2, 1))
    act(people.officer, application, "request_owner_review", on=date(2027, 3, 31),
        received_on="2027-03-31", **REQUEST)
    assert deadline(application, "owner_review_decision").starts_on == date(2027, 3, 31)


@pytest.fixture
def review(new_application, people, act):
    """Listed on 1 October 2026; the owner's request received on Thursday 5 November 2026: the
    review is due within eight weeks beginning with that day, by Wednesday 30 December 2026."""
    application = listed_on(act, people, new_application("england-acv"), date(2026, 10, 1))
    act(people.officer, application, "request_owner_review", on=date(2026, 11, 5),
        received_on="2026-11-05", **REQUEST)
    return application


def test_a_longer_review_period_is_agreed_before_the_period_ends(review, people, act):
    due = deadline(review, "owner_review_decision")
    assert (due.starts_on, due.due_on) == (date(2026, 11, 5), date(2026, 12, 30))
    agreed = {"agreed_until": "2027-01-29", "evidence": "Owner's email of 20 December 2026."}
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, review, "agree_longer_review_period", on=date(2026, 12, 31), **agreed)
    assert [e.message for e in refused.value.errors] == [
        "The decision on the owner's review ended on 30 December 2026"]
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, review, "agree_longer_review_period", on=date(2026, 12, 30),
            **{**agreed, "agreed_until": "2026-12-30"})
    assert [e.message for e in refused.value.errors] == [
        "The new date must be after the current one, 30 December 2026"]
    act(people.officer, review, "agree_longer_review_period", on=date(2026, 12, 30), **agreed)
    extended = deadline(review, "owner_review_decision")
    assert extended.due_on == date(2027, 1, 29) and "extended by agreement" in extended.rule


def test_an_oral_hearing_asked_for_is_held_before_the_review_is_decided(
        new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    act(people.officer, application, "request_owner_review", received_on=uk_today().isoformat(),
        **{**REQUEST, "oral_hearing": "yes"})
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, application, "uphold_listing", reasons="Still used.")
    assert [e.message for e in refused.value.errors] == [
        "The owner asked for an oral hearing; record it before deciding the review"]
    act(people.officer, application, "record_oral_hearing", held_on=uk_today().isoformat(),
        notes="The owner and its surveyor attended.")
    event = act(people.decision_maker, application, "uphold_listing", reasons="Still used.")
    assert application.state == "listed"
    # The decision goes to the owner who asked, as the request named them.
    assert letters(application, event) == {"review_decision": "Decision on the owner's review"}
    assert "Dear Brewery Holdings Estates" in letter_text(application, "review_decision")


def test_a_case_recorded_in_the_retired_review_stage_goes_back_to_the_listing_to_be_decided(
        review, people, act):
    review.state = "owner_review"  # as the previous release recorded a review
    db.session.commit()
    with pytest.raises(ValidationFailed):
        act(people.decision_maker, review, "uphold_listing", on=date(2026, 11, 20), reasons="r")
    act(people.officer, review, "return_to_listing", on=date(2026, 11, 20))
    assert review.state == "listed"
    act(people.decision_maker, review, "uphold_listing", on=date(2026, 11, 20),
        reasons="Still used by the community.")
    assert deadline(review, "owner_review_decision").met_at is not None


def test_the_listing_officer_may_not_decide_the_review_either_way(review, people, act):
    people.officer.role = people.decision_maker.role
    db.session.commit()
    for decision in ("uphold_listing", "remove_listing"):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, review, decision, reasons="r")
        assert [e.message for e in refused.value.errors] == [
            "You assessed or recommended this case, so someone else must decide it"]


@pytest.mark.parametrize(("upheld", "last_day"), [
    # 28 days after 27 November 2026 is Christmas Day; Boxing Day is kept on Monday 28th, so the
    # next working day is Tuesday 29 December (GRC rules r12(2)).
    (date(2026, 11, 27), date(2026, 12, 29)),
    # 28 days after 4 December 2026 is New Year's Day, a Friday: Monday 4 January 2027.
    (date(2026, 12, 4), date(2027, 1, 4)),
    (date(2026, 12, 10), date(2027, 1, 7)),  # an ordinary Thursday
])
def test_the_owner_may_appeal_to_the_tribunal_for_28_days_after_the_review_decision(
        review, people, act, upheld, last_day):
    act(people.decision_maker, review, "uphold_listing", reasons="Still used.", on=upheld)
    window = deadline(review, "tribunal_appeal")
    assert (window.starts_on, window.due_on) == (upheld, last_day)
    assert "or the next working day" in window.rule and "r22" in window.rule
    day_after = date.fromordinal(last_day.toordinal() + 1)
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, review, "record_tribunal_appeal", on=day_after,
            lodged_on=day_after.isoformat(), tribunal_reference="CR/2027/0001")
    assert refused.value.errors[0].message.endswith(f"ended on {last_day:%-d %B %Y}")
    act(people.officer, review, "record_tribunal_appeal", on=last_day,
        lodged_on=last_day.isoformat(), tribunal_reference="CR/2027/0001")
    assert deadline(review, "tribunal_appeal").met_at is not None
    assert review.state == "listed"  # the land stays listed during the appeal


class TestReviewBesideAMoratorium:
    """s92 and Sch 2 give the owner eight weeks after the notice to ask for a review, whatever
    happens to the land meanwhile; s95 lets the owner notify an intended sale at any time. Neither
    waits for the other."""

    @pytest.fixture
    def bidding(self, new_application, people, act):
        """Listed on Thursday 31 December 2026 (the owner may ask until 25 February 2027); the
        owner's notice of a wish to sell received on Monday 4 January 2027 and a group's request
        to bid on 11 January: the full moratorium runs."""
        application = listed_on(act, people, new_application("england-acv"), date(2026, 12, 31))
        act(people.officer, application, "notify_disposal", notice_received_on="2027-01-04",
            disposal_details="Freehold sale.", on=date(2027, 1, 4))
        act(people.applicant, application, "express_interest", statement="We wish to bid.",
            on=date(2027, 1, 11))
        assert application.state == "full_moratorium"
        return application

    def test_the_owner_may_ask_during_a_moratorium_until_the_last_day(self, bidding, people,
                                                                       act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, bidding, "request_owner_review", on=date(2027, 2, 26),
                received_on="2027-02-26", **REQUEST)
        assert refused.value.errors[0].message.endswith("ended on 25 February 2027")
        act(people.officer, bidding, "request_owner_review", on=date(2027, 2, 26),
            received_on="2027-02-25", **REQUEST)
        assert bidding.state == "full_moratorium"
        review = deadline(bidding, "owner_review_decision")
        assert (review.starts_on, review.due_on) == (date(2027, 2, 25), date(2027, 4, 21))
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, bidding, "request_owner_review", on=date(2027, 2, 26),
                received_on="2027-02-25", **REQUEST)
        assert "already asked for a review of this listing (s92)" in \
            refused.value.errors[0].message
        act(people.decision_maker, bidding, "uphold_listing", reasons="Still the only pub.",
            on=date(2027, 3, 1))
        assert bidding.state == "full_moratorium"  # the moratorium runs on
        assert deadline(bidding, "full_moratorium").is_open

    def test_a_review_removing_the_listing_ends_the_moratorium(self, bidding, people, act):
        act(people.officer, bidding, "request_owner_review", on=date(2027, 2, 1),
            received_on="2027-02-01", **REQUEST)
        event = act(people.decision_maker, bidding, "remove_listing",
                    reasons="The pub closed in 2020.", on=date(2027, 3, 1))
        assert bidding.state == "delisted" and bidding.next_due_on is None
        assert not deadline(bidding, "full_moratorium").is_open
        assert {"review_decision", "removal_notice", "removal_notice_owner"} <= set(
            letters(bidding, event))


def test_a_notice_of_intended_sale_does_not_wait_for_the_review(new_application, people, act):
    application = listed_on(act, people, new_application("england-acv"), date(2026, 10, 1))
    act(people.officer, application, "request_owner_review", on=date(2026, 11, 5),
        received_on="2026-11-05", **REQUEST)
    act(people.officer, application, "notify_disposal", notice_received_on="2026-11-06",
        disposal_details="Freehold sale.", on=date(2026, 11, 6))
    assert application.state == "interim_moratorium"
    assert deadline(application, "owner_review_decision").is_open
    act(people.decision_maker, application, "uphold_listing", reasons="Still used.",
        on=date(2026, 12, 30))
    assert application.state == "interim_moratorium"
    assert deadline(application, "owner_review_decision").met_at is not None


def test_no_review_decision_without_a_request(new_application, people, act, walk):
    application = walk(new_application("england-acv"), "listed")
    for decision in ("uphold_listing", "remove_listing"):
        with pytest.raises(ValidationFailed) as refused:
            act(people.decision_maker, application, decision, reasons="r")
        assert [e.message for e in refused.value.errors] == [
            "No owner's review is awaiting a decision"]


class TestLateTribunalAppeal:
    """The Tribunal may extend the 28 days and admit a late appeal (GRC Rules r5(3)(a), r22): the
    council records the appeal it admitted instead of refusing it."""

    @pytest.fixture
    def upheld(self, review, people, act):
        """Upheld on Friday 27 November 2026: the 28 days end on Christmas Day, so the last day is
        Tuesday 29 December (Boxing Day kept on Monday 28th)."""
        act(people.decision_maker, review, "uphold_listing", reasons="Still used.",
            on=date(2026, 11, 27))
        assert deadline(review, "tribunal_appeal").due_on == date(2026, 12, 29)
        return review

    LATE = {"lodged_on": "2026-12-30", "admitted_on": "2027-01-15",
            "tribunal_reference": "CR/2027/0002"}

    def test_only_once_the_28_days_have_run_out(self, upheld, people, act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, upheld, "record_late_tribunal_appeal", on=date(2026, 12, 29),
                **{**self.LATE, "lodged_on": "2026-12-29", "admitted_on": "2026-12-29"})
        assert [e.message for e in refused.value.errors] == [
            "The owner's time to appeal to the first-tier tribunal runs until 29 December 2026"]

    def test_a_late_appeal_admitted_is_recorded_and_decided(self, upheld, people, act):
        act(people.officer, upheld, "record_late_tribunal_appeal", on=date(2027, 1, 18),
            **self.LATE)
        assert upheld.state == "listed"
        assert deadline(upheld, "tribunal_appeal").met_at is not None
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, upheld, "record_late_tribunal_appeal", on=date(2027, 1, 18),
                **self.LATE)
        assert [e.message for e in refused.value.errors] == [
            "An appeal to the First-tier Tribunal has already been recorded"]
        act(people.officer, upheld, "remove_after_appeal", decided_on="2027-03-01",
            reasons="Not of community value.", on=date(2027, 3, 2))
        assert upheld.state == "removed"

    def test_the_tribunals_decision_date_may_not_be_in_the_future(self, upheld, people, act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.officer, upheld, "record_late_tribunal_appeal", on=date(2027, 1, 14),
                **self.LATE)
        assert [e.message for e in refused.value.errors] == [
            "The date must be today or earlier, not 15 January 2027"]


def test_the_next_due_date_moves_on_when_the_owners_window_ends_unused(new_application, people,
                                                                        act, runner):
    """Listed on Thursday 31 December 2026: the owner may ask until Thursday 25 February 2027.
    Once that day has passed unused, the case's next date is the end of the listing."""
    application = listed_on(act, people, new_application("england-acv"), date(2026, 12, 31))
    assert application.next_due_on == date(2027, 2, 25)
    for today, next_due in ((date(2027, 2, 25), date(2027, 2, 25)),
                            (date(2027, 2, 26), date(2031, 12, 30)),
                            (date(2027, 2, 27), date(2031, 12, 30))):
        result = runner.invoke(args=["deadlines", "sweep", "--today", today.isoformat()])
        assert result.exit_code == 0, result.output
        db.session.refresh(application)
        assert (application.state, application.next_due_on) == ("listed", next_due), today
    assert result.output.endswith("0 actions taken, 0 refused\n")  # recorded once
    window = deadline(application, "owner_review_request")
    assert window.is_open and window.due_on == date(2027, 2, 25)
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, application, "request_owner_review", on=date(2027, 3, 1),
            received_on="2027-03-01", **REQUEST)
    assert refused.value.errors[0].message.endswith("ended on 25 February 2027")
    # Sch 2 para 1: the council may still allow the owner longer in writing.
    act(people.officer, application, "allow_longer_review_request", allowed_until="2027-03-31",
        reasons="Owner in hospital; letter of 1 March.", on=date(2027, 3, 1))
    assert application.next_due_on == date(2027, 3, 31)
