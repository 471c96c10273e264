"""The case as one user sees it (``services.cases``): one bundle for the web and the API."""
from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.services import casework
from assettransfer.services.cases import case_for
from assettransfer.workflow.progress import CANNOT_START, COMPLETED
from tests.workflow.conftest import (  # noqa: F401
    AT_BEST_CONSIDERATION,
    act,
    asset,
    new_application,
    people,
    walk,
)

PASSWORD = "correct horse battery"


def test_a_draft_as_the_group_sees_it(people, new_application):  # noqa: F811
    case = case_for(people.applicant, new_application("council-cat"))
    assert case.state.name == "eoi_draft"
    assert case.state_label == "Expression of interest not sent yet"
    assert [a.name for a in case.actions] == ["submit_eoi", "withdraw"]
    assert case.action("submit_eoi").possible and case.action("approve") is None
    assert [(t.section.name, t.status) for t in case.tasks] == [
        ("proposal", COMPLETED), ("contact", COMPLETED), ("business_case", CANNOT_START),
        ("governance", CANNOT_START), ("documents", CANNOT_START)]
    assert (case.documents, case.pack, case.signatures, case.notes) == ([], None, [], [])


def test_only_council_staff_see_the_recommendation_and_notes(
        people, new_application, walk):  # noqa: F811
    application = new_application("council-cat")
    walk(application, "recommended", data={"recommend": {"summary": "Scores 73%."}})
    casework.add_note(people.officer, application, "Chair is keen.")
    db.session.commit()

    staff = case_for(people.decision_maker, application)
    assert staff.state_label == "Recommendation made, awaiting decision" and staff.tasks is None
    recommendation = staff.recommendation
    assert (recommendation.action.name, recommendation.by, recommendation.payload) == (
        "recommend", "Owen Officer", {"recommendation": "approve", "summary": "Scores 73%."})
    assert recommendation.report.kind == "assessment_report" and recommendation.report.is_current
    assert [n.text for n in staff.notes] == ["Chair is keen."]

    group = case_for(people.applicant, application)
    assert group.state_label == "Waiting for a decision"
    assert group.recommendation is None and group.notes == []
    assert "add_note" not in {e.action for e in group.events}


def test_signatures_are_those_on_the_current_pack(
        people, new_application, act, walk):  # noqa: F811
    application = new_application("council-cat")
    walk(application, "recommended")
    act(people.decision_maker, application, "approve", transfer_type="lease", term_years=25,
        rent_or_price="1", conditions="Community use only.", reasons="Meets the policy.",
        **AT_BEST_CONSIDERATION)
    act(people.applicant, application, "agree_heads_of_terms")
    act(people.legal, application, "issue_legal_pack")
    first = current_legal_pack(application)
    act(people.applicant, application, "sign", pack_sha256=first.sha256, full_name="Ann Lead",
        password=PASSWORD)
    act(people.legal, application, "sign", pack_sha256=first.sha256, full_name="Lee Gal",
        password=PASSWORD)
    case = case_for(people.legal, application)
    assert case.pack == first
    assert [(s.full_name, s.role) for s in case.signatures] == [
        ("Ann Lead", "applicant"), ("Lee Gal", "legal")]

    act(people.legal, application, "reissue_legal_pack", reasons="A plan was missing.")
    case = case_for(people.legal, application)
    assert case.pack != first and case.signatures == []
    assert [d.kind for d in case.documents].count("legal_pack") == 2
