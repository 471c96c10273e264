"""scotland-atr after a decision: the review's outcome (s86(5)-(7)), the appeal to the Scottish
Ministers after a review (s88; SSI 2016/359 regs 3(2) and 11) and its outcomes, and the appeal
where no contract is concluded (s83(6); SSI 2016/360 reg 4), each clock at its edges."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import AssetStatus, Event
from assettransfer.services.errors import ValidationFailed
from tests.workflow.scotland import deadline, letter, messages, refused_because

REVIEWED_ON = date(2026, 11, 27)  # a Friday; Monday 30 November is St Andrew's Day (Scotland)


@pytest.fixture
def councillor(make):
    """A decision maker who took no part in the first decision: the review is theirs (s86)."""
    user = make.UserFactory(decision_maker=True, name="Cllr Review")
    db.session.commit()
    return user


@pytest.fixture
def under_review(new_application, people, act, walk):
    """A request refused on 2 November 2026, whose review the group asked for the next day."""
    app_ = walk(new_application("scotland-atr"), "recommended")
    act(people.decision_maker, app_, "refuse", reasons="The land is needed for a school.",
        on=date(2026, 11, 2))
    act(people.applicant, app_, "request_review", reasons="The school has other land.",
        procedure="written", on=date(2026, 11, 3))
    return app_


@pytest.fixture
def refused_on_review(under_review, councillor, act):
    act(councillor, under_review, "review_refuse", review_outcome="confirmed",
        reasons="The school needs this land.", on=REVIEWED_ON)
    return under_review


@pytest.fixture
def agreed_on_review(under_review, councillor, act):
    act(councillor, under_review, "review_agree", review_outcome="substituted",
        reasons="The school has other land.", terms="25-year lease at £1.",
        conditions="Community use.", offer_deadline="2027-06-30", on=REVIEWED_ON)
    return under_review


class TestReviewOutcome:
    def test_the_outcome_is_required(self, under_review, councillor, act):
        with pytest.raises(ValidationFailed) as refused:
            act(councillor, under_review, "review_refuse", reasons="Still needed.")
        assert refused.value.errors[0].field == "data.review_outcome"

    def test_the_same_decision_is_confirmed_or_modified_never_substituted(
            self, under_review, councillor, act):
        with pytest.raises(ValidationFailed) as refused:
            act(councillor, under_review, "review_refuse", review_outcome="substituted",
                reasons="Still needed.")
        assert messages(refused) == [
            "This review reaches the same decision as the one reviewed, so it confirms or "
            "modifies it (s86(5)): choose “Confirms it (s86(5)(a))” or “Modifies it, or any part "
            "of it such as its terms (s86(5)(b))”"]
        act(councillor, under_review, "review_refuse", review_outcome="modified",
            reasons="Needed, for the reasons now given.")
        assert under_review.state == "refused_on_review"

    def test_a_reversal_substitutes_a_different_decision(self, under_review, councillor, act):
        with refused_because("reverses the decision reviewed"):
            act(councillor, under_review, "review_agree", review_outcome="confirmed",
                reasons="r", terms="t", conditions="c", offer_deadline="2027-06-30",
                on=REVIEWED_ON)
        act(councillor, under_review, "review_agree", review_outcome="substituted",
            reasons="r", terms="t", conditions="c", offer_deadline="2027-06-30",
            on=REVIEWED_ON)
        assert under_review.state == "agreed"

    def test_after_no_decision_the_review_substitutes_one(self, new_application, people, act,
                                                          walk, councillor):
        from assettransfer.services.actions import take_action
        from assettransfer.workflow.context import SYSTEM

        app_ = walk(new_application("scotland-atr"), "validated")
        take_action(SYSTEM, app_, "mark_overdue", data={"expired_on": "2026-11-02"},
                    on=date(2026, 11, 3))
        db.session.commit()
        act(people.applicant, app_, "request_review", reasons="No decision.",
            procedure="written", on=date(2026, 11, 3))
        with refused_because("No decision was made in time"):
            act(councillor, app_, "review_refuse", review_outcome="confirmed", reasons="r")
        act(councillor, app_, "review_refuse", review_outcome="substituted", reasons="r")
        assert app_.state == "refused_on_review"

    def test_the_notice_says_which_replaces_the_earlier_one_and_gives_the_appeal_date(
            self, refused_on_review):
        text = letter(refused_on_review, "review_decision_notice")
        for phrase in ("The councillors decided to confirm the original decision (section 86(5)",
                       "It replaces any earlier decision notice on this request (section 86(7)",
                       "section 88", "that is by Tuesday 29 December 2026",
                       "20 working days beginning with 27 November 2026, Scottish bank "
                       "holidays excluded"):
            assert phrase in text, phrase

    def test_a_decision_is_reviewed_once(self, agreed_on_review, people, act):
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, agreed_on_review, "request_review", reasons="Terms",
                procedure="written", on=REVIEWED_ON)
        assert "already been reviewed (s86); the next step is an appeal" in messages(refused)[-1]


class TestAppealAfterReview:
    def test_twenty_working_days_beginning_with_the_review_decision(self, refused_on_review,
                                                                     people, act):
        # 27 Nov (day 1); St Andrew's Day 30 Nov, Christmas and Boxing Day (28 Dec) excluded.
        # In England the 20th working day would be Thursday 24 December.
        appeal = deadline(refused_on_review, "appeal")
        assert (appeal.starts_on, appeal.due_on) == (REVIEWED_ON, date(2026, 12, 29))
        assert appeal.rule == ("20 working days beginning with 27 November 2026, Scottish bank "
                               "holidays excluded (s88; SSI 2016/359 regs 3(2) and 11)")
        late = date(2026, 12, 30)
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, refused_on_review, "appeal_to_ministers", on=late,
                notice_date=late.isoformat(), particulars="The school has other land.")
        assert messages(refused) == [
            "The period to appeal after a review ended on 29 December 2026"]
        act(people.applicant, refused_on_review, "appeal_to_ministers", on=late,
            notice_date="2026-12-29", particulars="The school has other land.")
        assert refused_on_review.state == "appealed_to_ministers"
        assert deadline(refused_on_review, "appeal").met_at is not None

    def test_the_land_stays_barred_until_the_appeal_period_ends(self, refused_on_review,
                                                                 runner):
        assert refused_on_review.asset.status == AssetStatus.UNDER_APPLICATION
        result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-12-29"])
        assert result.exit_code == 0 and "close" not in result.output
        result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-12-30"])
        assert result.exit_code == 0, result.output
        db.session.refresh(refused_on_review)
        assert refused_on_review.state == "closed"
        assert refused_on_review.asset.status == AssetStatus.AVAILABLE
        close = db.session.scalar(select(Event).where(Event.action == "close"))
        assert close.payload == {"expired_on": "2026-12-29"}

    def test_an_appeal_follows_a_review(self, new_application, people, act, walk):
        app_ = walk(new_application("scotland-atr"), "agreed")
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, app_, "appeal_to_ministers",
                notice_date=date.today().isoformat(), particulars="Terms")
        assert "The period to appeal after a review has not started" in messages(refused)

    def test_allowed_the_request_is_agreed_on_the_ministers_terms(self, refused_on_review,
                                                                  people, act):
        act(people.applicant, refused_on_review, "appeal_to_ministers", on=date(2026, 12, 1),
            notice_date="2026-12-01", particulars="p")
        act(people.officer, refused_on_review, "appeal_allowed", on=date(2027, 3, 1),
            decision_date="2027-02-26", reasons="No reasonable grounds to refuse.",
            terms="Ownership for £1.", conditions="Community use.", offer_deadline="2027-09-30")
        assert refused_on_review.state == "agreed"
        assert refused_on_review.asset.status == AssetStatus.UNDER_APPLICATION
        assert deadline(refused_on_review, "offer").due_on == date(2027, 9, 30)
        assert refused_on_review.terms["terms"] == "Ownership for £1."
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, refused_on_review, "appeal_to_ministers", on=date(2027, 3, 1),
                notice_date="2026-12-01", particulars="again")
        assert "already been made on this request" in messages(refused)[-1]
        act(people.applicant, refused_on_review, "make_offer", offer="£1", on=date(2027, 9, 30))
        assert refused_on_review.state == "offer_made"

    def test_varied_the_request_is_agreed_on_the_varied_terms(self, refused_on_review, people,
                                                              act):
        act(people.officer, refused_on_review, "appeal_to_ministers", on=date(2026, 12, 1),
            notice_date="2026-11-30", particulars="p")
        act(people.officer, refused_on_review, "appeal_varied", decision_date="2027-02-26",
            reasons="r", terms="A 10-year lease.", conditions="c", offer_deadline="2027-09-30",
            on=date(2027, 3, 1))
        assert refused_on_review.state == "agreed"
        assert refused_on_review.terms["terms"] == "A 10-year lease."

    def test_dismissed_the_refusal_is_final(self, refused_on_review, people, act):
        act(people.applicant, refused_on_review, "appeal_to_ministers", on=date(2026, 12, 1),
            notice_date="2026-12-01", particulars="p")
        with refused_because("against a refusal"):
            act(people.officer, refused_on_review, "terms_appeal_dismissed",
                decision_date="2027-02-26", reasons="r", offer_deadline="2027-09-30",
                on=date(2027, 3, 1))
        act(people.officer, refused_on_review, "appeal_dismissed", decision_date="2027-02-26",
            reasons="Reasonable grounds to refuse.", on=date(2027, 3, 1))
        assert refused_on_review.state == "closed"
        assert refused_on_review.asset.status == AssetStatus.AVAILABLE
        assert refused_on_review.next_due_on is None

    def test_an_appeal_against_the_terms_dismissed_leaves_the_request_agreed(
            self, agreed_on_review, people, act):
        act(people.applicant, agreed_on_review, "appeal_to_ministers", on=date(2026, 12, 1),
            notice_date="2026-12-01", particulars="The rent is too high.")
        with refused_because("against the terms of an agreed request"):
            act(people.officer, agreed_on_review, "appeal_dismissed", decision_date="2027-02-26",
                reasons="r", on=date(2027, 3, 1))
        act(people.officer, agreed_on_review, "terms_appeal_dismissed",
            decision_date="2027-02-26", reasons="The terms are reasonable.",
            offer_deadline="2027-08-31", on=date(2027, 3, 1))
        assert agreed_on_review.state == "agreed"
        assert agreed_on_review.terms["terms"] == "25-year lease at £1."
        assert deadline(agreed_on_review, "offer").due_on == date(2027, 8, 31)


OFFERED_ON = date(2026, 6, 17)  # the contract period: 6 months after, to Thursday 17 December
CONTRACT_ENDED_ON = date(2026, 12, 17)


def sweep(runner, application, today: date):
    result = runner.invoke(args=["deadlines", "sweep", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    db.session.refresh(application)
    return result.output


@pytest.fixture
def offered(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "agreed")
    act(people.applicant, app_, "make_offer", offer="£1 a year for 25 years.", on=OFFERED_ON)
    assert deadline(app_, "contract").due_on == CONTRACT_ENDED_ON
    return app_


@pytest.fixture
def contract_period_ended(offered, runner):
    """The sweep the day after the contract period's last day."""
    sweep(runner, offered, CONTRACT_ENDED_ON + timedelta(days=1))
    return offered


@pytest.fixture
def no_contract_appeal(contract_period_ended, people, act):
    """Notice given on Friday 18 December 2026."""
    act(people.applicant, contract_period_ended, "appeal_no_contract", on=date(2026, 12, 18),
        notice_date="2026-12-18", particulars="The council has not sent a draft lease.")
    return contract_period_ended


class TestNoContractAppeal:
    def test_only_once_the_contract_period_has_run_out(self, offered, people, act, runner):
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, offered, "appeal_no_contract", on=CONTRACT_ENDED_ON,
                notice_date="2026-12-17", particulars="p")
        assert messages(refused)[0] == (
            "The conclusion of the contract runs until 17 December 2026")
        assert "contract_period_ended" not in sweep(runner, offered, CONTRACT_ENDED_ON)
        sweep(runner, offered, date(2026, 12, 18))
        act(people.applicant, offered, "appeal_no_contract", on=date(2026, 12, 18),
            notice_date="2026-12-18", particulars="p")
        assert offered.state == "no_contract_appeal"

    def test_notice_within_ten_working_days_after_the_period_ends(
            self, contract_period_ended, people, act):
        # Counted after Thursday 17 December (the later reading of "within 10 working days of"):
        # 25 and 28 December, 1 January and Scotland's 2 January holiday (Monday 4 January) are
        # excluded, so the 10th working day is Wednesday 6 January (5 January in England).
        window = deadline(contract_period_ended, "no_contract_notice")
        assert (window.starts_on, window.due_on) == (CONTRACT_ENDED_ON, date(2027, 1, 6))
        assert window.rule == ("10 working days after 17 December 2026, Scottish bank holidays "
                               "excluded (s83(6); SSI 2016/360; guidance para 21.5)")
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, contract_period_ended, "appeal_no_contract",
                on=date(2027, 1, 7), notice_date="2027-01-07", particulars="p")
        assert messages(refused) == [
            "The period to appeal because no contract was concluded ended on 6 January 2027"]
        act(people.applicant, contract_period_ended, "appeal_no_contract", on=date(2027, 1, 7),
            notice_date="2027-01-06", particulars="p")
        assert contract_period_ended.state == "no_contract_appeal"
        assert deadline(contract_period_ended, "no_contract_notice").met_at is not None

    def test_the_group_is_told_the_last_day_once(self, contract_period_ended, runner):
        text = " ".join(letter(contract_period_ended, "contract_period_notice").split())
        for phrase in ("ended on 17 December 2026", "section 83(6)",
                       "within 10 working days after the day the contract period ended, that is "
                       "by Wednesday 6 January 2027"):
            assert phrase in text, phrase
        assert "contract_period_ended" not in sweep(runner, contract_period_ended,
                                                    date(2026, 12, 21))
        events = db.session.scalars(select(Event).where(
            Event.application_id == contract_period_ended.id,
            Event.action == "contract_period_ended")).all()
        assert [e.payload for e in events] == [{"expired_on": "2026-12-17"}]
        assert contract_period_ended.state == "offer_made"  # the contract may still be concluded

    def test_the_councils_fifteen_working_days_begin_with_the_notice(self, no_contract_appeal):
        # 18 Dec (day 1); 25 and 28 Dec, 1 Jan and Scotland's 2 January holiday (Monday 4 Jan)
        # excluded: the 15th working day is 13 January (12 January in England).
        response = deadline(no_contract_appeal, "no_contract_response")
        assert (response.starts_on, response.due_on) == (date(2026, 12, 18), date(2027, 1, 13))
        assert response.rule.startswith("15 working days beginning with 18 December 2026")
        assert "SSI 2016/360 reg 4(2)" in response.rule

    def test_the_groups_comments_within_fifteen_working_days_of_the_response(
            self, no_contract_appeal, people, act):
        with refused_because("has not started"):
            act(people.applicant, no_contract_appeal, "comment_no_contract_response",
                comments="c", on=date(2027, 1, 5))
        act(people.legal, no_contract_appeal, "respond_no_contract_appeal", on=date(2027, 1, 13),
            response="Funding is not in place.", terms="A 25-year lease at £1.",
            received_on="2027-01-13")
        assert deadline(no_contract_appeal, "no_contract_response").met_at is not None
        comments = deadline(no_contract_appeal, "no_contract_comments")
        assert comments.due_on == date(2027, 2, 2)
        assert "Tuesday 2 February 2027" in letter(no_contract_appeal, "no_contract_response")
        with pytest.raises(ValidationFailed) as refused:
            act(people.applicant, no_contract_appeal, "comment_no_contract_response",
                comments="c", on=date(2027, 2, 3))
        assert messages(refused) == [
            "The period for the group's comments on the council's response ended on "
            "2 February 2027"]
        act(people.applicant, no_contract_appeal, "comment_no_contract_response",
            comments="Funding was confirmed in December.", on=date(2027, 2, 2))
        with refused_because("already sent its response"):
            act(people.legal, no_contract_appeal, "respond_no_contract_appeal",
                response="r", terms="t", received_on="2027-01-13")

    def test_allowed_the_contract_period_runs_to_the_date_directed(self, no_contract_appeal,
                                                                   people, act):
        with refused_because("must be after the current one"):
            act(people.officer, no_contract_appeal, "no_contract_appeal_allowed",
                decision_date="2027-03-01", reasons="r", terms="t", conditions="c",
                contract_by="2026-12-17", on=date(2027, 3, 2))
        act(people.officer, no_contract_appeal, "no_contract_appeal_allowed",
            decision_date="2027-03-01", reasons="The council delayed.", terms="Lease at £1.",
            conditions="Community use.", contract_by="2027-06-30", on=date(2027, 3, 2))
        assert no_contract_appeal.state == "offer_made"
        contract = deadline(no_contract_appeal, "contract")
        assert contract.due_on == date(2027, 6, 30)
        assert contract.rule.startswith("extended by direction of the Scottish Ministers to "
                                        "30 June 2027, was 17 December 2026")
        act(people.legal, no_contract_appeal, "issue_legal_pack", on=date(2027, 6, 30))
        assert no_contract_appeal.state == "sign_off"

    def test_a_directed_period_that_runs_out_opens_a_new_appeal_period(
            self, no_contract_appeal, people, act, runner):
        act(people.officer, no_contract_appeal, "no_contract_appeal_allowed",
            decision_date="2027-03-01", reasons="r", terms="t", conditions="c",
            contract_by="2027-06-30", on=date(2027, 3, 2))
        assert "contract_period_ended" in sweep(runner, no_contract_appeal, date(2027, 7, 1))
        window = deadline(no_contract_appeal, "no_contract_notice")
        assert (window.starts_on, window.due_on, window.met_at) == (
            date(2027, 6, 30), date(2027, 7, 14), None)
        act(people.applicant, no_contract_appeal, "appeal_no_contract", on=date(2027, 7, 14),
            notice_date="2027-07-14", particulars="Still no lease.")
        assert no_contract_appeal.state == "no_contract_appeal"

    def test_dismissed_the_request_ends(self, no_contract_appeal, people, act):
        act(people.officer, no_contract_appeal, "no_contract_appeal_dismissed",
            decision_date="2027-03-01", reasons="The group delayed.", on=date(2027, 3, 2))
        assert no_contract_appeal.state == "ended_no_contract"
        assert no_contract_appeal.asset.status == AssetStatus.AVAILABLE


def test_a_refusal_nobody_asks_to_review_becomes_final(new_application, people, act, walk,
                                                       runner):
    app_ = walk(new_application("scotland-atr"), "recommended")
    act(people.decision_maker, app_, "refuse", reasons="Needed for a school.",
        on=date(2026, 11, 27))
    assert app_.asset.status == AssetStatus.UNDER_APPLICATION  # s84(4)(a)
    last_day = deadline(app_, "review_request").due_on
    assert last_day == date(2026, 12, 29)
    runner.invoke(args=["deadlines", "sweep", "--today", last_day.isoformat()])
    db.session.refresh(app_)
    assert app_.state == "refused"
    runner.invoke(args=["deadlines", "sweep", "--today", (last_day + timedelta(1)).isoformat()])
    db.session.refresh(app_)
    assert app_.state == "closed" and app_.asset.status == AssetStatus.AVAILABLE


def test_a_councils_decision_is_reviewed_before_any_appeal(new_application, people, act, walk):
    """s85 appeals are for relevant authorities other than councils (AUTHORITY_KIND)."""
    app_ = walk(new_application("scotland-atr"), "recommended")
    act(people.decision_maker, app_, "refuse", reasons="Needed.", on=date(2026, 11, 27))
    with refused_because("A council's decision is first reviewed by councillors (section 86)"):
        act(people.applicant, app_, "appeal_decision_to_ministers", on=date(2026, 11, 27),
            notice_date="2026-11-27", particulars="p")
    assert "section 86" in letter(app_, "decision_notice")
