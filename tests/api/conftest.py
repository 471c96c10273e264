"""Fixtures for the JSON API: the workflow tests' people and asset, an API token for each of them,
and ``api``, a client that speaks JSON to ``/api/v1`` as one of those people."""
import io
from dataclasses import dataclass

import pytest

from assettransfer import walks
from assettransfer.extensions import db
from assettransfer.models import Application
from assettransfer.services import accounts
from assettransfer.walks import blank_pdf
from tests.workflow import conftest as workflow

CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
UPLOAD_MAX_BYTES = 64 * 1024
MAX_CONTENT_LENGTH = 256 * 1024
# The workflow tests' people (a group with its lead contact, a member, an outsider and each
# council role) and their asset.
people = workflow.people
asset = workflow.asset
ROLES = ("applicant", "member", "outsider", "officer", "officer2", "decision_maker", "legal",
         "admin")


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2, "UPLOAD_MAX_BYTES": UPLOAD_MAX_BYTES,
            "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH}


@pytest.fixture
def tokens(people):
    """A live API token for each person, by their name in ``people``."""
    issued = {name: accounts.issue_token(getattr(people, name), "API tests")[1] for name in ROLES}
    db.session.commit()
    return issued


@dataclass
class Api:
    """Requests to ``/api/v1`` as a person (``as_="officer"``), or with no token at all."""

    client: object
    tokens: dict
    people: object

    def request(self, method, path, as_=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if as_:
            headers["Authorization"] = f"Bearer {self.tokens[as_]}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, as_=None, **kwargs):
        return self.request("GET", path, as_, **kwargs)

    def post(self, path, as_=None, **kwargs):
        return self.request("POST", path, as_, **kwargs)

    def patch(self, path, as_=None, **kwargs):
        return self.request("PATCH", path, as_, **kwargs)

    def ok(self, response, status=200) -> dict:
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def application(self, as_, application_id) -> dict:
        return self.ok(self.get(f"/applications/{application_id}", as_))

    def act(self, as_, application_id, action, comment="", **data) -> dict:
        """Take ``action`` at the version just read, as a client would; the application after."""
        version = self.application(as_, application_id)["version"]
        body = {"version": version, "comment": comment, "data": data}
        path = f"/applications/{application_id}/actions/{action}"
        return self.ok(self.post(path, as_, json=body))

    def attach(self, as_, application_id, kind, data=None, filename=None):
        return self.post(f"/applications/{application_id}/attachments", as_, data={
            "kind": kind, "file": (io.BytesIO(data or blank_pdf()), filename or f"{kind}.pdf")},
            content_type="multipart/form-data")

    def start(self, workflow, asset_id, organisation_id, answers=True) -> dict:
        """A new application by the applicant, with every answer the workflow needs."""
        created = self.ok(self.post("/applications", "applicant", json={
            "workflow": workflow, "asset_id": asset_id, "organisation_id": organisation_id}), 201)
        if not answers:
            return created
        return self.ok(self.patch(f"/applications/{created['id']}", "applicant", json={
            "version": created["version"], "answers": walks.PATHS[workflow].answers}))

    def walk(self, application_id, to) -> dict:
        """Take the application along its workflow's happy path (``assettransfer.walks``) until
        it is at ``to``, each step by its person through the API, on the day it is sent (the
        API takes no other); the application after. An upload or an assessment already made is
        not made again."""
        path = f"/applications/{application_id}"
        viewer = "officer"
        application = self.application(viewer, application_id)
        for step in walks.steps_between(application["workflow"], application["state"], to):
            match step:
                case walks.Act() if not step.needed_by(db.session.get(Application,
                                                                      application_id)):
                    continue
                case walks.Act(by=by, action=action):
                    application = self.act(by, application_id, action, **step.data_now())
                    viewer = by
                case walks.Upload(by=by, kind=kind):
                    attached = self.application(by, application_id)["attachments"]
                    if kind not in {a["kind"] for a in attached}:
                        self.ok(self.attach(by, application_id, kind), 201)
                case walks.Assess(by=by):
                    assessed = self.ok(self.get(f"{path}/assessments", by))["items"]
                    if getattr(self.people, by).id not in {a["assessor"]["id"] for a in assessed}:
                        self.ok(self.post(f"{path}/assessments", by, json={
                            "scores": step.scores, "comments": step.comments}))
                case _:
                    raise NotImplementedError(f"{step}: sign through the API by hand")
        # The letters of the last step are made after its commit: read the application again,
        # as whoever took that step.
        return self.application(viewer, application_id)


@pytest.fixture
def api(client, tokens, people):
    return Api(client, tokens, people)


@pytest.fixture
def draft(api, people, asset):
    """A council-cat application with every answer, not yet sent."""
    return api.start("council-cat", asset.id, people.organisation.id)
