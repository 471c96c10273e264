"""scotland-atr walked end to end: statutory deadlines, guards from the 2015 Act, review and
lapse."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import AssetStatus, Deadline, Document, LegalForm
from assettransfer.services import casework
from assettransfer.services.actions import take_action
from assettransfer.services.errors import ValidationFailed
from assettransfer.walks import FINDINGS
from assettransfer.workflow.calendar import uk_today
from assettransfer.workflow.context import SYSTEM
from tests.workflow.conftest import attach


def deadline(name):
    return db.session.scalar(select(Deadline)
                             .where(Deadline.name == name, Deadline.superseded_at.is_(None))
                             .order_by(Deadline.id.desc()))


def test_journey_from_request_to_concluded_contract(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "submitted")
    assert app_.reference.startswith("ATR-") and app_.asset.status == AssetStatus.UNDER_APPLICATION
    act(people.officer, app_, "validate", s84_position="barred", validation_date="2026-08-31")
    decision = deadline("decision")
    assert decision.due_on == date(2027, 2, 28)  # 6 months after, reg 10, clamped to February
    assert decision.rule.startswith("6 months after 31 August 2026")

    walk(app_, "representations")
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "close_representations")
    assert "runs until" in refused.value.errors[0].message
    casework.record_representation(people.officer, app_, "Neighbour", uk_today(),
                                   "Parking worries.")
    db.session.commit()
    walk(app_, "applicant_comments")  # the day after the representations period
    assert deadline("comments").rule.startswith("20 working days after")  # reg 8: at least 20
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.officer, app_, "start_assessment")
    walk(app_, "assessment")

    casework.save_assessment(people.officer, app_, {}, dict(FINDINGS, public_health=""))
    db.session.commit()
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.officer, app_, "recommend", recommendation="agree", summary="x")
    casework.save_assessment(people.officer, app_, {}, FINDINGS)
    db.session.commit()
    walk(app_, "recommended")
    offer_by = uk_today() + timedelta(days=190)
    act(people.decision_maker, app_, "agree", reasons="r", terms="t", conditions="c",
        offer_deadline=offer_by.isoformat())
    assert deadline("decision").met_at is not None
    assert deadline("offer").due_on == offer_by
    assert deadline("review_request").rule.startswith("20 working days beginning with")

    walk(app_, "offer_made")
    assert deadline("review_request").met_at is not None  # the offer accepts the terms
    contract = deadline("contract")
    assert contract.due_on.month == (uk_today().month + 5) % 12 + 1
    walk(app_, "completed")
    assert app_.state == "completed" and app_.asset.status == AssetStatus.TRANSFERRED
    kinds = set(db.session.scalars(select(Document.kind)))
    assert {"validation_notice", "public_notice", "owner_notice", "representations_letter",
            "assessment_report", "decision_notice", "offer_acknowledgement", "legal_pack",
            "completion_certificate"} <= kinds


def test_request_must_come_from_a_community_controlled_body(new_application, people, act):
    app_ = new_application("scotland-atr")
    attach(app_, "constitution", people.applicant)
    people.organisation.open_membership = False
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit")
    assert [e.message for e in refused.value.errors] == [
        "Your organisation must be able to answer yes to: "
        "Is membership open to anyone in that community?"]


def test_request_needs_a_constitution(new_application, people, act):
    app_ = new_application("scotland-atr")
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit")
    assert [e.message for e in refused.value.errors] == ["Upload your constitution"]


def test_ownership_needs_an_incorporated_body_of_twenty(new_application, people, act):
    app_ = new_application("scotland-atr")
    attach(app_, "constitution", people.applicant)
    app_.answers = {**app_.answers, "land": {**app_.answers["land"], "request_type": "ownership"}}
    people.organisation.legal_form = LegalForm.UNINCORPORATED_ASSOCIATION
    people.organisation.member_count = 19
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit")
    messages = [e.message for e in refused.value.errors]
    assert any("Only a company, a SCIO or a community benefit society" in m for m in messages)
    assert "A body asking to buy land needs at least 20 members; yours has 19" in messages
    people.organisation.legal_form = LegalForm.SCIO
    people.organisation.member_count = 20
    db.session.commit()
    act(people.applicant, app_, "submit")
    assert app_.state == "submitted"


def test_lease_request_needs_no_incorporation(new_application, people, act, walk):
    people.organisation.legal_form = LegalForm.UNINCORPORATED_ASSOCIATION
    people.organisation.member_count = 5
    db.session.commit()
    app_ = walk(new_application("scotland-atr"), "submitted")
    assert app_.state == "submitted"


def test_validation_date_cannot_be_in_the_future(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "submitted")
    tomorrow = uk_today() + timedelta(days=1)
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.officer, app_, "validate", s84_position="barred",
            validation_date=tomorrow.isoformat())
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "validate", s84_position="barred", validation_date="31/12/2026")
    assert refused.value.errors[0].field == "data.validation_date"


def test_missing_information_round_trip(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "submitted")
    act(people.officer, app_, "request_information", missing_items="Map of the boundary")
    assert app_.state == "information_requested"
    act(people.applicant, app_, "provide_information")
    assert app_.state == "submitted"


def test_offer_deadline_at_least_six_months_after_the_decision(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "recommended")
    with pytest.raises(ValidationFailed) as refused:
        act(people.decision_maker, app_, "agree", reasons="r", terms="t", conditions="c",
            offer_deadline=(uk_today() + timedelta(days=90)).isoformat())
    assert "at least 6 months from today" in refused.value.errors[0].message


def test_extension_must_be_agreed_before_the_deadline_and_be_later(new_application, people, act,
                                                                   walk):
    app_ = walk(new_application("scotland-atr"), "submitted")
    act(people.officer, app_, "validate", s84_position="barred", validation_date="2026-11-02")
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "extend_deadline", new_decision_date="2027-04-01",
            evidence="Email")
    assert "must be after the current one, 2 May 2027" in refused.value.errors[0].message
    act(people.officer, app_, "extend_deadline", new_decision_date="2027-08-31",
        evidence="Email from the group's secretary, 20 November 2026")
    assert deadline("decision").due_on == date(2027, 8, 31)
    assert "extended by agreement to 31 August 2027, was 2 May 2027" in deadline("decision").rule
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "extend_deadline", new_decision_date="2027-12-31", evidence="x",
            on=date(2027, 9, 1))
    assert "ended on 31 August 2027" in refused.value.errors[0].message


def test_overdue_then_review_then_refused_on_review(new_application, people, act, make, walk):
    app_ = walk(new_application("scotland-atr"), "submitted")
    act(people.officer, app_, "validate", s84_position="barred", validation_date="2026-01-05")
    expired = date(2026, 7, 6)
    take_action(SYSTEM, app_, "mark_overdue", data={"expired_on": expired.isoformat()}, on=expired)
    db.session.commit()
    assert app_.state == "decision_overdue"
    review = deadline("review_request")
    assert review.starts_on == expired
    act(people.applicant, app_, "request_review", reasons="No decision.", procedure="hearing",
        on=expired)
    councillor = make.UserFactory(decision_maker=True)
    db.session.commit()
    act(councillor, app_, "review_refuse", review_outcome="substituted",
        reasons="The land is needed for a school.")
    # s84(4)(a): not disposed of while the group may still appeal to the Scottish Ministers.
    assert app_.state == "refused_on_review"
    assert app_.asset.status == AssetStatus.UNDER_APPLICATION


def test_review_request_after_twenty_working_days_is_refused(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "agreed")
    late = deadline("review_request").due_on + timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "request_review", reasons="Terms", procedure="written", on=late)
    assert "period to ask for a review or appeal ended" in refused.value.errors[0].message


def test_offer_after_the_deadline_is_refused(new_application, people, act, walk):
    app_ = walk(new_application("scotland-atr"), "agreed")
    late = deadline("offer").due_on + timedelta(days=1)
    with pytest.raises(ValidationFailed):
        act(people.applicant, app_, "make_offer", offer="£1", on=late)
