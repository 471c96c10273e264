"""Each workflow walked from a new application to its final state through the JSON API alone,
with a token for each role, checking deadlines, documents and the audit trail on the way."""
import hashlib
from datetime import timedelta

from assettransfer.walks import GOOD_SCORES
from assettransfer.workflow.calendar import uk_today


def days_ago(n: int) -> str:
    return (uk_today() - timedelta(days=n)).isoformat()


def deadlines(application) -> dict:
    return {d["name"]: d for d in application["deadlines"]}


def names(items) -> list[str]:
    return [item["name"] for item in items]


def kinds(application) -> set[str]:
    return {d["kind"] for d in application["documents"]}


def sign_and_finish(api, aid, finish: str) -> dict:
    """Both parties sign the pack they downloaded (by its ETag), then legal finish the transfer."""
    pack = api.get(f"/applications/{aid}/legal-pack", "applicant")
    assert pack.status_code == 200 and pack.mimetype == "application/pdf"
    sha256 = pack.headers["ETag"].strip('"')
    assert hashlib.sha256(pack.data).hexdigest() == sha256
    for role, name in (("applicant", "Ann Lead"), ("legal", "Lee Gal")):
        api.act(role, aid, "sign", pack_sha256=sha256, full_name=name,
                password="correct horse battery")
    finished = api.act("legal", aid, finish)
    assert [order["label"].split(" (")[0] for order in finished["documents_being_prepared"]] \
        == ["Completion certificate"]
    return api.application("legal", aid)  # made after the commit


def assert_document_downloads(api, application, as_):
    for listed in application["documents"]:
        response = api.get(listed["url"].removeprefix("/api/v1"), as_)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-")
        assert response.headers["ETag"] == f'"{listed["sha256"]}"'
        assert hashlib.sha256(response.data).hexdigest() == listed["sha256"]


def test_council_cat_from_expression_of_interest_to_completed_transfer(api, people, asset):
    application = api.start("council-cat", asset.id, people.organisation.id)
    aid = application["id"]
    assert application["reference"].startswith("CAT-") and application["state"] == "eoi_draft"
    assert names(application["actions"]) == ["submit_eoi", "withdraw"]
    assert api.application("officer", aid)["actions"] == []

    sent = api.walk(aid, "eoi_submitted")
    assert (sent["state"], sent["state_label"]) == ("eoi_submitted", "Expression of interest sent")
    eoi = deadlines(sent)["eoi_response"]
    assert eoi["status"] == "pending" and eoi["starts_on"] == uk_today().isoformat()
    assert eoi["rule"].startswith("20 working days beginning with")
    assert sent["next_due_on"] == eoi["due_on"] and sent["submitted_at"]
    assert kinds(sent) == {"eoi_acknowledgement"}
    as_officer = api.application("officer", aid)
    assert as_officer["state_label"] == "Expression of interest received"
    assert names(as_officer["actions"]) == ["accept_eoi", "decline_eoi"]

    invited = api.walk(aid, "business_case")
    assert deadlines(invited)["eoi_response"]["status"] == "met"
    for kind in ("business_plan", "accounts", "constitution"):
        assert api.attach("applicant", aid, kind).status_code == 201
    submitted = api.walk(aid, "application_submitted")
    assert deadlines(submitted)["decision"]["status"] == "pending"
    assert {a["kind"] for a in submitted["attachments"]} == {
        "business_plan", "accounts", "constitution"}
    api.walk(aid, "assessment")

    for officer in ("officer", "officer2"):
        scored = api.ok(api.post(f"/applications/{aid}/assessments", officer, json={
            "scores": GOOD_SCORES, "comments": {"community_benefit": "Strong support."}}))
        assert scored["scores"] == GOOD_SCORES
    assessments = api.ok(api.get(f"/applications/{aid}/assessments", "decision_maker"))["items"]
    assert len(assessments) == 2
    approved = api.walk(aid, "heads_of_terms")
    assert approved["state"] == "heads_of_terms"
    assert deadlines(approved)["decision"]["status"] == "met"
    api.walk(aid, "sign_off")
    done = sign_and_finish(api, aid, "complete")

    assert (done["state"], done["actions"], done["next_due_on"]) == ("completed", [], None)
    assert api.ok(api.get(f"/assets/{asset.id}"))["status"] == "transferred"
    assert kinds(done) == {"eoi_acknowledgement", "eoi_outcome", "application_acknowledgement",
                           "assessment_report", "decision_notice", "heads_of_terms",
                           "transfer_summary", "legal_pack", "completion_certificate"}
    assert_document_downloads(api, done, "applicant")
    trail = api.ok(api.get(f"/applications/{aid}/events", "officer"))["items"]
    assert [e["seq"] for e in trail] == list(range(1, len(trail) + 1))
    moves = [(e["action"], e["from_state"], e["to_state"]) for e in trail if e["to_state"]]
    assert moves[0] == ("create", None, "eoi_draft")
    assert moves[-1] == ("complete", "sign_off", "completed")
    assert [e["actor"]["role"] for e in trail if e["action"] == "sign"] == ["applicant", "legal"]
    # The group sees its own trail, but not the officers' internal scoring.
    applicant_trail = api.ok(api.get(f"/applications/{aid}/events", "applicant"))["items"]
    assert "save_assessment" in {e["action"] for e in trail}
    assert "save_assessment" not in {e["action"] for e in applicant_trail}


def test_scotland_atr_from_request_to_concluded_contract(api, people, asset):
    application = api.start("scotland-atr", asset.id, people.organisation.id)
    aid = application["id"]
    assert application["reference"].startswith("ATR-")
    assert api.attach("applicant", aid, "constitution").status_code == 201
    assert api.act("applicant", aid, "submit")["state"] == "submitted"

    validated = api.act("officer", aid, "validate", validation_date=days_ago(50),
                        s84_position="barred")
    decision = deadlines(validated)["decision"]
    assert decision["rule"].startswith("6 months after") and decision["status"] == "pending"
    assert [o["label"] for o in validated["documents_being_prepared"]] == [
        "Validation notice (version 1)"]
    assert kinds(api.application("officer", aid)) == {"validation_notice"}

    # Notice published 45 days ago: the 20 working days for representations have run out.
    published = api.act("officer", aid, "publish_notice", notice_date=days_ago(45))
    assert {"public_notice", "owner_notice"} <= kinds(api.application("officer", aid))
    assert deadlines(published)["representations"]["due_on"] < uk_today().isoformat()
    representation = api.ok(api.post(f"/applications/{aid}/representations", "officer", json={
        "from_name": "A neighbour", "received_on": days_ago(30), "text": "Worried about parking."}),
        201)
    assert representation["from_name"] == "A neighbour"
    closed = api.walk(aid, "applicant_comments")
    assert deadlines(closed)["representations"]["status"] == "met"
    assert deadlines(closed)["comments"]["status"] == "pending"
    assert "representations_letter" in kinds(closed)

    api.act("applicant", aid, "submit_comments", comments="Parking is on the west side.")
    assert deadlines(api.application("officer", aid))["comments"]["status"] == "met"
    api.act("officer", aid, "start_assessment")
    api.walk(aid, "recommended")
    offer_by = (uk_today() + timedelta(days=200)).isoformat()
    agreed = api.act("decision_maker", aid, "agree", reasons="Benefits outweigh.",
                     terms="25-year lease at £1.", conditions="Community use.",
                     offer_deadline=offer_by)
    assert deadlines(agreed)["decision"]["status"] == "met"
    assert deadlines(agreed)["offer"]["due_on"] == offer_by
    assert agreed["state"] == "agreed"
    assert api.application("applicant", aid)["state_label"] == "Agreed"

    offered = api.walk(aid, "offer_made")
    assert deadlines(offered)["offer"]["status"] == "met"
    assert deadlines(offered)["contract"]["status"] == "pending"
    api.walk(aid, "sign_off")
    done = sign_and_finish(api, aid, "conclude_contract")

    assert done["state"] == "completed" and done["actions"] == []
    assert {"validation_notice", "public_notice", "owner_notice", "representations_letter",
            "assessment_report", "decision_notice", "offer_acknowledgement", "legal_pack",
            "completion_certificate"} <= kinds(done)
    assert_document_downloads(api, done, "legal")
    trail = api.ok(api.get(f"/applications/{aid}/events", "applicant"))["items"]
    assert "record_representation" in [e["action"] for e in trail]
    assert trail[-1]["action"] == "conclude_contract" and trail[-1]["to_state"] == "completed"


def test_england_acv_from_nomination_to_sale_to_the_community(api, people, asset):
    application = api.start("england-acv", asset.id, people.organisation.id)
    aid = application["id"]
    nominated = api.walk(aid, "nominated")
    assert nominated["reference"].startswith("ACV-") and nominated["state"] == "nominated"
    assert deadlines(nominated)["listing_decision"]["rule"].startswith("8 weeks after")

    listed = api.walk(aid, "listed")
    due = deadlines(listed)
    assert due["listing_decision"]["status"] == "met"
    assert due["listing_expiry"]["status"] == "pending" and due["owner_review_request"]["open"]
    api.act("officer", aid, "request_owner_review", received_on=uk_today().isoformat(),
            owner_name="Brewery Holdings", grounds="Not of community value.", oral_hearing=False)
    # The listing officer may not decide the owner's review; a decision maker does.
    upheld = api.act("decision_maker", aid, "uphold_listing", reasons="The use is not ancillary.")
    assert upheld["state"] == "listed"
    assert deadlines(upheld)["owner_review_decision"]["status"] == "met"

    moratorium = api.walk(aid, "interim_moratorium")
    due = deadlines(moratorium)
    assert {"interim_moratorium", "full_moratorium", "protected_period"} <= set(due)
    assert due["interim_moratorium"]["rule"].startswith("6 weeks beginning with")
    assert names(api.application("applicant", aid)["actions"]) == ["express_interest"]
    bidding = api.walk(aid, "full_moratorium")
    assert bidding["state"] == "full_moratorium"
    assert deadlines(bidding)["interim_moratorium"]["status"] == "met"
    sold = api.walk(aid, "transferred")

    assert sold["state"] == "transferred" and sold["next_due_on"] is None
    assert not any(d["open"] for d in sold["deadlines"])
    assert kinds(sold) == {
        "nomination_acknowledgement", "nomination_notice_owner", "nomination_notice_occupier",
        "listing_notice", "listing_notice_owner", "listing_notice_occupier", "review_decision",
        "moratorium_notice", "interest_acknowledgement", "interest_notice_owner",
        "removal_notice", "removal_notice_owner", "removal_notice_occupier"}
    assert_document_downloads(api, sold, "member")
    trail = api.ok(api.get(f"/applications/{aid}/events", "officer"))["items"]
    assert [e["to_state"] for e in trail if e["from_state"]] == [
        "nominated", "listed", "listed", "listed", "interim_moratorium", "full_moratorium",
        "transferred"]  # the owner's review is recorded beside the listing
