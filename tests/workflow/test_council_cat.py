"""council-cat walked end to end through the service layer, with its roles and guards."""
from datetime import date

import pyotp
import pytest
from flask import current_app
from sqlalchemy import select

from assettransfer.documents import RenderError, party_signing, read_document
from assettransfer.documents.seal import check_signatures
from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.models import AssetStatus, Deadline, Document, Event, Role, Signature
from assettransfer.services import casework
from assettransfer.services.actions import available_actions
from assettransfer.services.audit import verify
from assettransfer.services.errors import NotAllowed, NotFound, ValidationFailed
from assettransfer.walks import GOOD_SCORES
from assettransfer.wording import weekday_date
from tests.documents.conftest import pdf_text
from tests.workflow.conftest import AT_BEST_CONSIDERATION, attach


def assess(app_, *officers):
    for officer in officers:
        casework.save_assessment(officer, app_, GOOD_SCORES,
                                 {"community_benefit": "Strong support."})
    db.session.commit()


def test_full_journey_to_completion(new_application, people, act, walk):
    app_ = new_application("council-cat")
    assert app_.reference.startswith("CAT-") and app_.state == "eoi_draft"

    act(people.applicant, app_, "submit_eoi", on=date(2026, 12, 14))
    deadline = db.session.scalar(select(Deadline).where(Deadline.name == "eoi_response"))
    assert deadline.starts_on == date(2026, 12, 14)
    assert "20 working days beginning with 14 December 2026" in deadline.rule
    assert app_.next_due_on == deadline.due_on and app_.submitted_at is not None

    walk(app_, "business_case")
    assert deadline.met_at is not None and app_.state == "business_case"
    walk(app_, "application_submitted")
    assert app_.asset.status == AssetStatus.UNDER_APPLICATION
    walk(app_, "heads_of_terms")
    assert app_.state == "heads_of_terms"
    assert app_.terms["transfer_type"] == "lease" and app_.terms["rent_or_price"] == "1.00"
    walk(app_, "completed")

    assert app_.state == "completed" and app_.asset.status == AssetStatus.TRANSFERRED
    assert app_.next_due_on is None
    kinds = list(db.session.scalars(select(Document.kind).order_by(Document.id)))
    assert kinds == ["eoi_acknowledgement", "eoi_outcome", "application_acknowledgement",
                     "assessment_report", "decision_notice", "heads_of_terms", "transfer_summary",
                     "legal_pack", "completion_certificate"]
    actions = [e.action for e in db.session.scalars(select(Event).order_by(Event.seq))]
    assert actions.count("sign") == 2 and actions[-1] == "complete"
    assert verify().problems == []


def test_each_action_refuses_the_wrong_role(new_application, people, act):
    app_ = new_application("council-cat")
    with pytest.raises(NotAllowed,
                       match="Your role cannot take the action “Send expression of interest”"):
        act(people.officer, app_, "submit_eoi")
    act(people.applicant, app_, "submit_eoi")
    for user in (people.applicant, people.decision_maker, people.legal):
        with pytest.raises(NotAllowed):
            act(user, app_, "accept_eoi")
    assert app_.state == "eoi_submitted"


def test_another_organisation_cannot_see_or_act(new_application, people, act):
    app_ = new_application("council-cat")
    with pytest.raises(NotFound):
        act(people.outsider, app_, "submit_eoi")
    assert app_.state == "eoi_draft"


def test_any_member_of_the_group_may_act(new_application, people, act):
    app_ = new_application("council-cat")
    act(people.member, app_, "submit_eoi")
    assert app_.state == "eoi_submitted"


def test_eoi_needs_its_sections_answered(new_application, people, act):
    app_ = new_application("council-cat", answers=False)
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit_eoi")
    messages = [e.message for e in refused.value.errors]
    assert "Answer “What do you want to do with it?” in “Your idea”" in messages
    assert "Answer “Contact email” in “Contact details”" in messages
    assert not any("Business case" in m for m in messages)  # later sections are not needed yet
    assert db.session.scalar(select(Event).where(Event.action == "submit_eoi")) is None


def test_application_needs_every_attachment(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "business_case")
    attach(app_, "accounts", people.applicant)
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit_application")
    assert [e.message for e in refused.value.errors] == [
        "Upload your business plan", "Upload your constitution"]


def test_decline_needs_reasons_and_releases_the_asset(new_application, people, act):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi")
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer, app_, "decline_eoi")
    assert refused.value.errors[0].field == "data.reasons"
    act(people.officer, app_, "decline_eoi", reasons="The building is needed for a school.")
    assert app_.state == "eoi_declined" and app_.asset.status == AssetStatus.AVAILABLE


def test_information_round_trip(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "application_submitted")
    act(people.officer, app_, "request_information", missing_items="Signed accounts for 2025")
    assert app_.state == "information_requested"
    act(people.applicant, app_, "provide_information")
    assert app_.state == "application_submitted"


def test_recommendation_needs_two_complete_assessments(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "assessment")
    assess(app_, people.officer)
    with pytest.raises(ValidationFailed, match="cannot be taken yet") as refused:
        act(people.officer, app_, "recommend", recommendation="approve", summary="x")
    assert refused.value.errors[0].message == (
        "At least 2 officers must have scored every criterion; so far 1")
    assess(app_, people.officer2)
    act(people.officer, app_, "recommend", recommendation="approve", summary="x")
    assert app_.state == "recommended"


def test_the_officer_who_assessed_may_not_decide(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "recommended")
    people.officer2.role = Role.DECISION_MAKER  # promoted after assessing the case
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        act(people.officer2, app_, "refuse", reasons="No.")
    assert refused.value.errors[0].message == (
        "You assessed or recommended this case, so someone else must decide it")
    act(people.decision_maker, app_, "refuse", reasons="Not financially sustainable.")
    assert app_.state == "refused"


def test_available_actions_show_blocking_reasons(new_application, people, act):
    app_ = new_application("council-cat", answers=False)
    [submit, withdraw] = available_actions(people.applicant, app_)
    assert submit.name == "submit_eoi" and not submit.possible
    assert "Answer “Contact name” in “Contact details”" in submit.blocked_by
    assert withdraw.name == "withdraw" and withdraw.possible
    assert available_actions(people.officer, app_) == []


def test_signature_on_an_old_pack_is_refused(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "recommended")
    act(people.decision_maker, app_, "approve", transfer_type="freehold", rent_or_price="0",
        conditions="Reverter if community use ends.", reasons="Meets the policy.",
        **AT_BEST_CONSIDERATION)
    walk(app_, "sign_off")
    old = current_legal_pack(app_)
    act(people.applicant, app_, "sign", pack_sha256=old.sha256, full_name="Ann Lead",
        password="correct horse battery")
    act(people.legal, app_, "reissue_legal_pack", reasons="Plan corrected.")
    new = current_legal_pack(app_)
    assert new.sha256 != old.sha256
    with pytest.raises(ValidationFailed) as refused:
        act(people.legal, app_, "sign", pack_sha256=old.sha256, full_name="Lee Gal",
            password="correct horse battery")
    assert "This is not the current legal pack" in refused.value.errors[0].message
    act(people.legal, app_, "sign", pack_sha256=new.sha256, full_name="Lee Gal",
        password="correct horse battery")
    with pytest.raises(ValidationFailed) as refused:
        act(people.legal, app_, "complete")
    assert [e.message for e in refused.value.errors] == [
        "The applicant's lead contact has not signed the current legal pack"]


@pytest.fixture
def signing(new_application, people, act, walk):
    app_ = new_application("council-cat")
    walk(app_, "recommended")
    act(people.decision_maker, app_, "approve", transfer_type="lease", term_years=30,
        rent_or_price="100", conditions="c", reasons="r", **AT_BEST_CONSIDERATION)
    walk(app_, "sign_off")
    return app_


def test_signing_checks_password_lead_contact_and_once_only(signing, people, act):
    app_ = signing
    pack = current_legal_pack(app_)
    issued = pack.sha256
    with pytest.raises(ValidationFailed, match="cannot be taken yet") as refused:
        act(people.applicant, app_, "sign", pack_sha256=pack.sha256, full_name="Ann Lead",
            password="wrong password here")
    assert refused.value.errors[0].message == "The password is not right"
    with pytest.raises(ValidationFailed) as refused:
        act(people.member, app_, "sign", pack_sha256=pack.sha256, full_name="Bob Member",
            password="correct horse battery")
    assert "lead contact" in refused.value.errors[0].message
    act(people.applicant, app_, "sign", pack_sha256=pack.sha256, full_name="  ann   lead ",
        password="correct horse battery")
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.applicant, app_, "sign", pack_sha256=pack.sha256, full_name="Ann Lead",
            password="correct horse battery")
    signature = db.session.scalar(select(Signature))
    # The row records the account's name and the file signed; the pack's file is now the
    # signed one, with the signature after the seal.
    assert (signature.role, signature.pack_sha256, signature.full_name) == (
        "applicant", issued, "Ann Lead")
    assert pack.sha256 != issued
    checks = check_signatures(current_app, read_document(pack))
    assert [(c.name, c.role, c.valid) for c in checks][1:] == [("Ann Lead", "Lead contact", True)]
    event = db.session.scalar(select(Event).where(Event.action == "sign"))
    assert "password" not in event.payload


def test_a_typed_name_that_is_not_the_accounts_is_refused_with_nothing_written(
        signing, people, act):
    pack = current_legal_pack(signing)
    issued, stored = pack.sha256, pack.stored_name
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, signing, "sign", pack_sha256=pack.sha256, full_name="Ann Leed",
            password="correct horse battery")
    assert [e.message for e in refused.value.errors] == [
        "Type your name as your account has it: Ann Lead"]
    db.session.rollback()
    assert db.session.scalar(select(Signature)) is None
    assert (pack.sha256, pack.stored_name) == (issued, stored)
    assert db.session.scalar(select(Event).where(Event.action == "sign")) is None


def test_a_pack_that_cannot_be_signed_now_refuses_with_nothing_written(
        signing, people, act, monkeypatch):
    def no_answer(*args):
        raise RenderError("the timestamp authority did not answer")

    monkeypatch.setattr(party_signing, "sign_for_party", no_answer)
    pack = current_legal_pack(signing)
    issued = pack.sha256
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, signing, "sign", pack_sha256=pack.sha256, full_name="Ann Lead",
            password="correct horse battery")
    assert "could not be signed just now, and nothing was recorded" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(select(Signature)) is None and pack.sha256 == issued


def test_legal_sign_with_their_second_factor_and_the_pack_carries_both_signatures(
        signing, people, act):
    legal = people.legal
    legal.totp_secret = pyotp.random_base32()
    legal.two_factor_enabled_at = legal.created_at
    db.session.commit()
    pack = current_legal_pack(signing)
    issued = pack.sha256  # legal read the pack before the group signed it: the same content
    act(people.applicant, signing, "sign", pack_sha256=issued, full_name="Ann Lead",
        password="correct horse battery")
    for code in (None, "000000"):
        with pytest.raises(ValidationFailed) as refused:
            act(legal, signing, "sign", pack_sha256=issued, full_name="Lee Gal",
                password="correct horse battery", code=code)
        assert refused.value.errors[0].message.startswith("Enter a correct code")
        db.session.rollback()
    act(legal, signing, "sign", pack_sha256=issued, full_name="Lee Gal",
        password="correct horse battery", code=pyotp.TOTP(legal.totp_secret).now())
    checks = check_signatures(current_app, read_document(pack))
    assert [(c.name, c.role) for c in checks][1:] == [
        ("Ann Lead", "Lead contact"), ("Lee Gal", "Legal officer")]
    assert all(c.valid for c in checks) and "seal" in checks[0].name
    act(legal, signing, "complete")
    assert signing.state == "completed"


def test_withdraw_from_any_open_state_closes_deadlines(new_application, people, act):
    app_ = new_application("council-cat")
    act(people.applicant, app_, "submit_eoi")
    act(people.applicant, app_, "withdraw", reasons="We found another building.")
    assert app_.state == "withdrawn" and app_.next_due_on is None
    with pytest.raises(ValidationFailed, match="cannot be taken yet"):
        act(people.applicant, app_, "withdraw")


def test_unknown_action_and_unknown_data_are_refused(new_application, people, act):
    app_ = new_application("council-cat")
    with pytest.raises(NotFound):
        act(people.applicant, app_, "teleport")
    with pytest.raises(ValidationFailed) as refused:
        act(people.applicant, app_, "submit_eoi", colour="blue")
    assert refused.value.errors[0].field == "data.colour"


def test_letters_give_the_dates_of_the_periods_the_workflow_defines(new_application, people,
                                                                    act, walk):
    app_ = new_application("council-cat")  # a Scottish council's, on the Scottish calendar
    act(people.applicant, app_, "submit_eoi", on=date(2026, 11, 30))
    act(people.officer, app_, "accept_eoi", on=date(2026, 11, 30), message="Welcome.")
    walk(app_, "application_submitted")
    act(people.officer, app_, "request_information", on=date(2026, 12, 24),
        missing_items="Signed accounts")
    decision = db.session.scalar(select(Deadline).where(Deadline.name == "decision"))

    def text(kind):
        return pdf_text(read_document(
            db.session.scalar(select(Document).where(Document.kind == kind))))

    assert "Please send your business case by Sunday 28 February 2027" in text("eoi_outcome")
    assert (f"We will write to you with the decision by {weekday_date(decision.due_on)}"
            in text("application_acknowledgement"))
    reply = text("information_request")
    assert "Please send this by Wednesday 27 January 2027" in reply
    assert "Group's reply with the information asked for" in reply
