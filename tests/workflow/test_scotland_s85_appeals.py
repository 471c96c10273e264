"""scotland-atr for a relevant authority that is not a council (AUTHORITY_KIND "other"): its
decisions, and its failure to decide in time, go straight to an appeal to the Scottish Ministers
(Community Empowerment (Scotland) Act 2015 s85), not to a review by councillors (s86), within 20
working days beginning with the decision notice or the day the decision period expired (SSI
2016/359 reg 3(2))."""
from datetime import date, timedelta

import pytest

from assettransfer import create_app
from assettransfer.extensions import db
from assettransfer.models import AssetStatus
from assettransfer.services.actions import take_action
from assettransfer.workflow.context import SYSTEM
from tests.workflow.scotland import deadline, letter, refused_because

# A Friday: Monday 30 November is St Andrew's Day and 28 December the Boxing Day holiday in
# Scotland, so the 20th working day beginning with it is Tuesday 29 December (in England,
# Thursday 24 December).
REFUSED_ON = date(2026, 11, 27)
LAST_DAY = date(2026, 12, 29)


@pytest.fixture
def config_overrides():
    return {"AUTHORITY_KIND": "other", "AUTHORITY_NAME": "Test Health Board"}


def appeal(act, user, application, notice_date: date, on: date | None = None):
    return act(user, application, "appeal_decision_to_ministers", on=on or notice_date,
               notice_date=notice_date.isoformat(), particulars="The land is surplus to need.")


@pytest.fixture
def refused(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "recommended")
    act(people.decision_maker, app_, "refuse", reasons="Needed for a clinic.", on=REFUSED_ON)
    return app_


@pytest.fixture
def overdue(new_application, people, walk):
    """Validated, and the decision period expired on Saturday 2 January 2027."""
    app_ = walk(new_application("scotland-atr"), "validated")
    take_action(SYSTEM, app_, "mark_overdue", data={"expired_on": "2027-01-02"},
                on=date(2027, 1, 3))
    db.session.commit()
    return app_


class TestTheRoute:
    def test_there_is_no_review_by_councillors(self, refused, people, act):
        with refused_because("this authority is not a council, so appeal to the Scottish "
                             "Ministers instead (section 85)"):
            act(people.applicant, refused, "request_review", reasons="r", procedure="written",
                on=REFUSED_ON)

    def test_the_appeal_window_begins_with_the_decision_notice(self, refused, people, act):
        window = deadline(refused, "review_request")
        assert (window.starts_on, window.due_on) == (REFUSED_ON, LAST_DAY)
        assert window.rule.endswith("(SSI 2016/358 reg 3(2) (review, s86); "
                                    "SSI 2016/359 reg 3(2) (appeal, s85))")
        with refused_because("The period to ask for a review or appeal ended on 29 December "
                             "2026"):
            appeal(act, people.applicant, refused, LAST_DAY + timedelta(days=1))
        appeal(act, people.applicant, refused, LAST_DAY)
        assert refused.state == "appealed_to_ministers"
        assert deadline(refused, "review_request").met_at is not None
        assert refused.asset.status == AssetStatus.UNDER_APPLICATION  # s84 until determined

    def test_the_decision_notice_gives_the_appeal_and_its_last_day(self, refused):
        text = " ".join(letter(refused, "decision_notice").split())
        for phrase in ("appeal to the Scottish Ministers under section 85",
                       "Test Health Board is not a local authority, so there is no review by "
                       "councillors", "20 working days beginning with the date of this notice",
                       "that is by Tuesday 29 December 2026"):
            assert phrase in text, phrase
        assert "section 86" not in text

    def test_one_appeal(self, refused, people, act):
        appeal(act, people.applicant, refused, REFUSED_ON)
        act(people.officer, refused, "appeal_allowed", decision_date="2027-02-26", reasons="r",
            terms="Ownership for £1.", conditions="c", offer_deadline="2027-09-30",
            on=date(2027, 3, 1))
        with refused_because("already been made on this request (s85)"):
            appeal(act, people.applicant, refused, date(2027, 3, 1))

    def test_a_refusal_not_appealed_becomes_final_after_the_last_day(self, refused, runner):
        runner.invoke(args=["deadlines", "sweep", "--today", LAST_DAY.isoformat()])
        db.session.refresh(refused)
        assert refused.state == "refused"
        result = runner.invoke(args=["deadlines", "sweep", "--today", "2026-12-30"])
        assert result.exit_code == 0, result.output
        db.session.refresh(refused)
        assert refused.state == "closed" and refused.asset.status == AssetStatus.AVAILABLE


class TestAfterNoDecision:
    def test_twenty_working_days_beginning_with_the_expiry(self, overdue, people, act):
        # Saturday 2 January is no working day and Monday 4 January is Scotland's 2 January
        # holiday: day 1 is Tuesday 5 January, day 20 Monday 1 February (29 January in England).
        window = deadline(overdue, "review_request")
        assert (window.starts_on, window.due_on) == (date(2027, 1, 2), date(2027, 2, 1))
        with refused_because("ended on 1 February 2027"):
            appeal(act, people.applicant, overdue, date(2027, 2, 2))
        appeal(act, people.officer, overdue, date(2027, 2, 1), on=date(2027, 2, 2))
        assert overdue.state == "appealed_to_ministers"

    def test_dismissed_the_request_is_refused_for_good(self, overdue, people, act):
        appeal(act, people.applicant, overdue, date(2027, 1, 5))
        with refused_because("against a refusal"):
            act(people.officer, overdue, "terms_appeal_dismissed", decision_date="2027-03-01",
                reasons="r", offer_deadline="2027-09-30", on=date(2027, 3, 2))
        act(people.officer, overdue, "appeal_dismissed", decision_date="2027-03-01",
            reasons="Reasonable grounds to refuse.", on=date(2027, 3, 2))
        assert overdue.state == "closed" and overdue.asset.status == AssetStatus.AVAILABLE

    def test_the_validation_notice_gives_the_appeal_not_a_review(self, overdue):
        text = " ".join(letter(overdue, "validation_notice").split())
        assert "appeal to the Scottish Ministers under section 85(1)(c)" in text
        assert "review under section 86" not in text


def test_an_appeal_against_the_terms_dismissed_leaves_them_agreed(new_application, people, act,
                                                                  walk):
    app_ = walk(new_application("scotland-atr"), "agreed")
    appeal(act, people.applicant, app_, deadline(app_, "review_request").starts_on)
    act(people.officer, app_, "terms_appeal_dismissed", decision_date="2027-03-01",
        reasons="The terms are reasonable.", offer_deadline="2027-09-30", on=date(2027, 3, 2))
    assert app_.state == "agreed"
    assert deadline(app_, "offer").due_on == date(2027, 9, 30)


def test_the_kind_of_authority_is_checked():
    with pytest.raises(ValueError, match="AUTHORITY_KIND must be one of council, other"):
        create_app({"TESTING": True, "AUTHORITY_KIND": "parish",
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})
