"""Fixtures for the JSON API: the workflow tests' people and asset, an API token for each of them,
and ``api``, a client that speaks JSON to ``/api/v1`` as one of those people."""
import io
from dataclasses import dataclass

import pytest

from assettransfer.demo import blank_pdf
from assettransfer.extensions import db
from assettransfer.services import accounts
from tests.workflow import conftest as workflow
from tests.workflow.conftest import COMPLETE_ANSWERS

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
            "version": created["version"], "answers": COMPLETE_ANSWERS[workflow]}))


@pytest.fixture
def api(client, tokens):
    return Api(client, tokens)


@pytest.fixture
def draft(api, people, asset):
    """A council-cat application with every answer, not yet sent."""
    return api.start("council-cat", asset.id, people.organisation.id)
