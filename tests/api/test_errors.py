"""Every error the API answers is a problem document with the right status, and leaves nothing
changed behind it."""
import pytest
from sqlalchemy import func, select

from assettransfer.extensions import db
from assettransfer.models import Application, Asset, Attachment, Event, Organisation
from assettransfer.services import accounts

from .conftest import MAX_CONTENT_LENGTH, UPLOAD_MAX_BYTES


def problem(response, status) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


def fields(body) -> dict:
    return {e["field"]: e["message"] for e in body.get("errors", [])}


@pytest.fixture
def snapshot():
    """The rows an error must not add or change: counts, and each application's state."""

    def take():
        db.session.expire_all()
        counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Application, Event, Attachment, Asset, Organisation)}
        apps = db.session.execute(
            select(Application.id, Application.state, Application.version, Application.answers)
        ).all()
        return counts, sorted(map(tuple, apps), key=lambda row: row[0])

    return take


def test_malformed_json_is_400(api, draft, snapshot):
    before = snapshot()
    for body in (b'{"version": 1, "answers": ', b"NaN", b"\xff\xfe{}"):
        response = api.patch(f"/applications/{draft['id']}", "applicant", data=body,
                             content_type="application/json")
        assert "not well-formed" in problem(response, 400)["detail"]
    assert snapshot() == before


def test_no_token_or_a_bad_one_is_401_with_a_bearer_challenge(api, draft, people, snapshot):
    before = snapshot()
    path = f"/applications/{draft['id']}/actions/submit_eoi"
    body = {"version": draft["version"]}
    missing = api.post(path, json=body)
    problem(missing, 401)
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="assettransfer"'
    for header in ("Bearer not-a-token", "Basic YTpi", "Bearer"):
        wrong = api.post(path, json=body, headers={"Authorization": header})
        problem(wrong, 401)
        assert wrong.headers["WWW-Authenticate"].startswith("Bearer ")
    token, plaintext = accounts.issue_token(people.applicant, "laptop")
    accounts.revoke_token(people.applicant, token.id)
    db.session.commit()
    problem(api.post(path, json=body, headers={"Authorization": f"Bearer {plaintext}"}), 401)
    assert snapshot() == before
    # Public reads need no token, but a token that is sent must be live.
    assert api.get("/workflows").status_code == 200
    problem(api.get("/assets", headers={"Authorization": "Bearer expired"}), 401)


def test_a_role_that_may_not_take_the_action_is_403(api, draft, snapshot):
    before = snapshot()
    body = problem(api.post(f"/applications/{draft['id']}/actions/submit_eoi", "officer",
                            json={"version": draft["version"]}), 403)
    assert "Your role cannot take the action" in body["detail"]
    problem(api.post("/assets", "applicant", json={
        "name": "Town hall", "asset_type": "other", "address": "High St",
        "postcode": "EH1 1YZ"}), 403)
    problem(api.get(f"/applications/{draft['id']}/assessments", "applicant"), 403)
    assert snapshot() == before


def test_another_organisations_application_is_404_like_a_missing_one(api, draft, snapshot):
    before = snapshot()
    hidden = problem(api.get(f"/applications/{draft['id']}", "outsider"), 404)
    missing = problem(api.get("/applications/999999", "outsider"), 404)
    assert hidden == missing
    for path in (f"/applications/{draft['id']}/events", f"/applications/{draft['id']}/documents",
                 f"/applications/{draft['id']}/legal-pack"):
        problem(api.get(path, "outsider"), 404)
    problem(api.post(f"/applications/{draft['id']}/actions/withdraw", "outsider",
                     json={"version": draft["version"]}), 404)
    problem(api.patch(f"/applications/{draft['id']}", "outsider",
                      json={"version": draft["version"], "answers": {}}), 404)
    problem(api.attach("outsider", draft["id"], "constitution"), 404)
    listed = api.ok(api.get("/applications", "outsider"))
    assert listed["items"] == [] and listed["total"] == 0
    assert snapshot() == before


def test_unknown_paths_methods_and_actions_are_problems_too(api, draft):
    problem(api.get("/no-such-thing", "applicant"), 404)
    problem(api.get("/applications/0", "applicant"), 404)
    problem(api.post(f"/applications/{draft['id']}/actions/teleport", "applicant",
                     json={"version": draft["version"]}), 404)
    wrong_method = api.request("DELETE", f"/applications/{draft['id']}", "applicant")
    problem(wrong_method, 405)
    assert "PATCH" in wrong_method.headers["Allow"]
    problem(api.get("/workflows/no-such-route"), 404)


def test_the_web_pages_keep_their_own_error_pages(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_stale_version_is_409(api, draft, snapshot):
    api.ok(api.patch(f"/applications/{draft['id']}", "applicant", json={
        "version": draft["version"], "answers": {"contact": {"contact_phone": "0131 496 0000"}}}))
    before = snapshot()
    stale = draft["version"]
    body = problem(api.post(f"/applications/{draft['id']}/actions/submit_eoi", "applicant",
                            json={"version": stale}), 409)
    assert "reload" in body["detail"]
    problem(api.patch(f"/applications/{draft['id']}", "applicant", json={
        "version": stale, "answers": {"contact": {"contact_phone": "999"}}}), 409)
    assert snapshot() == before


def test_an_upload_over_the_limit_is_413(api, draft, snapshot):
    before = snapshot()
    big = b"%PDF-" + b"0" * UPLOAD_MAX_BYTES
    body = problem(api.attach("applicant", draft["id"], "constitution", big), 413)
    assert fields(body) == {"file": "The file must be smaller than 64.0 KB"}
    huge = b"%PDF-" + b"0" * MAX_CONTENT_LENGTH
    problem(api.attach("applicant", draft["id"], "constitution", huge), 413)
    long_comment = {"version": draft["version"], "comment": "x" * MAX_CONTENT_LENGTH}
    problem(api.post(f"/applications/{draft['id']}/actions/submit_eoi", "applicant",
                     json=long_comment), 413)
    assert snapshot() == before


def test_wrong_media_types_are_415(api, draft, snapshot):
    before = snapshot()
    path = f"/applications/{draft['id']}"
    problem(api.patch(path, "applicant", data='{"version": 1, "answers": {}}',
                      content_type="text/plain"), 415)
    problem(api.post(f"{path}/actions/submit_eoi", "applicant", data="version=1"), 415)
    problem(api.post(f"{path}/attachments", "applicant", json={"kind": "constitution"}), 415)
    renamed = problem(api.attach("applicant", draft["id"], "constitution", b"MZ\x90\x00",
                                 "constitution.pdf"), 415)
    assert "file" in fields(renamed)
    problem(api.attach("applicant", draft["id"], "constitution", b"hello", "notes.txt"), 415)
    assert snapshot() == before


def test_answers_name_each_unknown_or_wrong_field_with_422(api, draft, snapshot):
    before = snapshot()
    body = problem(api.patch(f"/applications/{draft['id']}", "applicant", json={
        "version": draft["version"],
        "answers": {"colour": {"x": 1},
                    "proposal": {"transfer_type": "rent-to-own", "lease_years": "twenty",
                                 "shoe": 9},
                    "contact": {"contact_email": "not an email"}}}), 422)
    assert set(fields(body)) == {"answers.colour", "answers.proposal.transfer_type",
                                 "answers.proposal.lease_years", "answers.proposal.shoe",
                                 "answers.contact.contact_email"}
    assert snapshot() == before


def test_bodies_are_validated_strictly_with_422(api, draft, asset, snapshot):
    before = snapshot()
    path = f"/applications/{draft['id']}/actions/submit_eoi"
    assert "version" in fields(problem(api.post(path, "applicant", json={}), 422))
    assert "version" in fields(problem(api.post(path, "applicant", json={"version": "1"}), 422))
    assert "colour" in fields(problem(api.post(path, "applicant", json={
        "version": draft["version"], "colour": "blue"}), 422))
    assert "" in fields(problem(api.post(path, "applicant", json=[1, 2]), 422))
    nul = problem(api.post(path, "applicant",
                           json={"version": draft["version"], "comment": "a\x00b"}), 422)
    assert "comment" in fields(nul)
    asset_body = {"name": "Library", "asset_type": "castle", "address": "High St",
                  "postcode": "EH1 1YZ", "annual_running_cost": -5}
    assert set(fields(problem(api.post("/assets", "officer", json=asset_body), 422))) == {
        "asset_type", "annual_running_cost"}
    started = api.post("/applications", "applicant", json={
        "workflow": "council-cat", "asset_id": 999999,
        "organisation_id": draft["organisation"]["id"]})
    assert set(fields(problem(started, 422))) == {"asset_id"}
    assert snapshot() == before


def test_a_guard_that_refuses_is_422_with_its_reasons(api, people, asset, snapshot):
    empty = api.start("council-cat", asset.id, people.organisation.id, answers=False)
    as_applicant = api.application("applicant", empty["id"])
    [blocked] = as_applicant["blocked_actions"]
    assert blocked["name"] == "submit_eoi"
    assert "withdraw" in [a["name"] for a in as_applicant["actions"]]
    before = snapshot()
    body = problem(api.post(f"/applications/{empty['id']}/actions/submit_eoi", "applicant",
                            json={"version": empty["version"]}), 422)
    reasons = [e["message"] for e in body["errors"]]
    assert reasons == blocked["reasons"]
    assert "Answer “Contact email” in “Contact details”" in reasons
    decline = problem(api.post(f"/applications/{empty['id']}/actions/withdraw", "applicant",
                               json={"version": empty["version"], "data": {"reasons": 5}}), 422)
    assert set(fields(decline)) == {"data.reasons"}
    assert snapshot() == before


def test_query_filters_are_checked(api, draft):
    problem(api.get("/assets?asset_type=castle"), 422)
    problem(api.get("/applications?due_within_days=-1", "officer"), 422)
    problem(api.get("/applications?workflow=no-such-route", "officer"), 422)
    assert api.ok(api.get("/assets?per_page=1&page=1"))["per_page"] == 1


def test_a_server_error_is_a_problem_that_changes_nothing(app, api, draft, snapshot, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, not raise into the test

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("assettransfer.services.actions.deadlines.apply_action", broken)
    before = snapshot()
    body = problem(api.post(f"/applications/{draft['id']}/actions/submit_eoi", "applicant",
                            json={"version": draft["version"]}), 500)
    assert "disk" not in body["detail"]
    assert snapshot() == before
