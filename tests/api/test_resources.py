"""Workflows, the asset register, organisations and application lists, as integrators use them."""
from datetime import date, timedelta

from assettransfer.workflow.calendar import uk_today

ORGANISATION = {
    "name": "Friends of Leith Library", "legal_form": "scio", "charity_number": "SC012345",
    "address": "1 Ferry Road\nLeith", "postcode": "eh6 4ab", "member_count": 30,
    "local_voter_member_count": 28, "community_definition": "People living in Leith",
    "community_controlled": {"community_defined": True, "majority_from_community": True,
                             "members_control": True, "open_membership": True,
                             "community_benefit_aims": True, "surplus_for_community": True},
}


def test_a_workflow_tells_a_client_how_to_build_a_complete_application(api):
    offered = api.ok(api.get("/workflows"))["items"]
    assert {w["key"] for w in offered} == {"scotland-atr", "england-acv", "council-cat"}
    cat = api.ok(api.get("/workflows/council-cat"))
    assert cat["initial_state"] == "eoi_draft" and cat["pass_mark"] == 60
    states = {s["name"]: s for s in cat["states"]}
    assert states["completed"]["final"] and states["eoi_draft"]["whose_move"] == "applicant"
    assert states["eoi_draft"]["applicant_label"] == "Expression of interest not sent yet"
    actions = {a["name"]: a for a in cat["actions"]}
    assert actions["approve"]["from"] == ["recommended"]
    assert actions["approve"]["to"] == "heads_of_terms"
    assert actions["approve"]["roles"] == ["decision_maker"]
    transfer_type = {f["name"]: f for f in actions["approve"]["fields"]}["transfer_type"]
    assert transfer_type["type"] == "choice" and transfer_type["required"]
    assert [o["value"] for o in transfer_type["options"]] == ["freehold", "lease", "licence"]
    assert actions["reissue_legal_pack"]["to"] is None
    deadline = {d["name"]: d for d in cat["deadlines"]}["decision"]
    assert deadline["period"] == {
        "length": 60, "unit": "working_days", "counting": "beginning_with"}
    assert "policy" in deadline["citation"]
    assert sum(c["weight"] for c in cat["criteria"]) == 100
    sections = {s["name"]: s for s in cat["form"]["sections"]}
    summary = {f["name"]: f for f in sections["proposal"]["fields"]}["summary"]
    assert (summary["type"], summary["required"]) == ("long_text", True)
    assert cat["form"]["required_attachments"] == ["business_plan", "accounts", "constitution"]
    offer = {d["name"]: d for d in api.ok(api.get("/workflows/scotland-atr"))["deadlines"]}["offer"]
    assert offer["period"] is None and offer["fixed_field"] == "offer_deadline"


def test_the_asset_register_is_public_and_officers_keep_it(api, asset):
    created = api.post("/assets", "officer", json={
        "name": "Leith Library", "asset_type": "library", "address": "28 Ferry Road",
        "postcode": "eh6 4ae", "area_m2": 640.5, "annual_running_cost": "41250.5"})
    body = api.ok(created, 201)
    assert created.headers["Location"].endswith(f"/api/v1/assets/{body['id']}")
    assert (body["postcode"], body["status"], body["annual_running_cost"]) == (
        "EH6 4AE", "available", "41250.50")
    assert body["area_m2"] == 640.5
    refused = api.post("/assets", "officer", json={
        "name": "x", "asset_type": "park", "address": "y", "postcode": "EH1 1YZ",
        "status": "transferred"})
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "status"

    changed = api.ok(api.patch(f"/assets/{body['id']}", "admin", json={"condition": "Good"}))
    assert changed["condition"] == "Good" and changed["name"] == "Leith Library"
    libraries = api.ok(api.get("/assets?asset_type=library&q=leith"))
    assert [a["name"] for a in libraries["items"]] == ["Leith Library"]
    page = api.ok(api.get("/assets?per_page=1&page=2"))
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (2, 2, 1, 2)
    assert api.ok(api.get(f"/assets/{asset.id}"))["name"] == asset.name


def test_an_organisation_is_registered_and_run_by_its_members(api, people):
    created = api.ok(api.post("/organisations", "outsider", json=ORGANISATION), 201)
    oid = created["id"]
    assert created["postcode"] == "EH6 4AB" and created["community_controlled"]["members_control"]
    members = [(m["name"], m["is_lead_contact"]) for m in created["members"]]
    assert members == [("Olive Outsider", True)]
    assert {e["workflow"]: e["eligible"] for e in created["eligibility"]}["scotland-atr"]
    assert api.get(f"/organisations/{oid}", "applicant").status_code == 404
    assert api.ok(api.get(f"/organisations/{oid}", "officer"))["name"] == ORGANISATION["name"]
    assert api.post("/organisations", "officer", json=ORGANISATION).status_code == 403

    changed = api.ok(api.patch(f"/organisations/{oid}", "outsider", json={
        "member_count": 31, "community_controlled": {"open_membership": False}}))
    assert changed["member_count"] == 31
    assert changed["community_controlled"]["open_membership"] is False
    assert changed["community_controlled"]["members_control"] is True
    unmet = {e["workflow"]: e["unmet"] for e in changed["eligibility"]}["scotland-atr"]
    assert any("Is membership open" in reason for reason in unmet)

    added = api.ok(api.post(f"/organisations/{oid}/members", "outsider",
                            json={"email": people.member.email.upper()}), 201)
    assert (added["name"], added["is_lead_contact"]) == ("Bob Member", False)
    assert api.post(f"/organisations/{oid}/members", "member",
                    json={"email": people.applicant.email}).status_code == 403
    mine = api.ok(api.get("/organisations", "member"))["items"]
    assert {o["id"] for o in mine} == {people.organisation.id, oid}


def test_applications_are_listed_soonest_deadline_first_with_filters(api, people, asset, make):
    older = api.start("council-cat", asset.id, people.organisation.id)
    api.act("applicant", older["id"], "submit_eoi")
    nomination = api.start("england-acv", make.AssetFactory().id, people.organisation.id)
    api.act("applicant", nomination["id"], "submit")
    draft = api.start("scotland-atr", asset.id, people.organisation.id)

    listed = api.ok(api.get("/applications", "officer"))
    assert [a["id"] for a in listed["items"]] == [older["id"], nomination["id"], draft["id"]]
    assert listed["items"][0]["next_due_on"] <= listed["items"][1]["next_due_on"]
    assert listed["items"][0]["state_label"] == "Expression of interest received"
    assert api.ok(api.get("/applications", "applicant"))["items"][0]["state_label"] == (
        "Expression of interest sent")
    assert api.ok(api.get("/applications", "outsider"))["total"] == 0

    def ids(query):
        return [a["id"] for a in api.ok(api.get(f"/applications?{query}", "officer"))["items"]]

    assert ids("workflow=england-acv") == [nomination["id"]]
    assert ids("state=draft") == [draft["id"]]
    assert ids("due_within_days=40") == [older["id"]]
    assert ids("due_within_days=100") == [older["id"], nomination["id"]]
    assert ids("overdue=true") == []
    assert ids("per_page=1&page=3") == [draft["id"]]
    assert date.fromisoformat(api.application("officer", nomination["id"])["next_due_on"]) == (
        uk_today() + timedelta(weeks=8))  # reg 7: eight weeks after receipt


def test_text_a_database_cannot_store_is_refused(api, draft):
    assert api.get("/assets?q=%00").status_code == 422
    lone_surrogate = '{"version": VERSION, "answers": {"contact": {"contact_name": "\\ud800"}}}'
    response = api.patch(f"/applications/{draft['id']}", "applicant",
                         content_type="application/json",
                         data=lone_surrogate.replace("VERSION", str(draft["version"])))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "answers.contact.contact_name"


def test_an_action_answers_with_the_documents_it_ordered_as_being_prepared(api, draft):
    sent = api.act("applicant", draft["id"], "submit_eoi")
    assert sent["documents"] == []
    [order] = sent["documents_being_prepared"]
    assert (order["label"], order["status"], order["attempts"]) == (
        "Acknowledgement of your expression of interest (version 1)", "pending", 0)
    again = api.application("applicant", draft["id"])
    assert again["documents_being_prepared"] == []
    assert [d["kind"] for d in again["documents"]] == ["eoi_acknowledgement"]
