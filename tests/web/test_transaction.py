"""One transaction per request: a page's work is committed when it succeeds and undone when it is
refused or fails, and a refusal that escapes a view is a clear page, never a 500. The harness runs
each request in a session of its own, so these tests see only what a request committed."""


import pytest
from flask import abort
from sqlalchemy import select

from assettransfer.documents.storage import get_storage
from assettransfer.extensions import db
from assettransfer.models import Asset, Document, Job
from assettransfer.services.errors import Conflict, FieldError, NotAllowed, ValidationFailed
from assettransfer.web.transaction import transactional
from tests import factories


def _names() -> list[str]:
    return list(db.session.scalars(select(Asset.name).order_by(Asset.name)))


def _route(app, path: str, outcome, wrap=transactional):
    """A page at ``path`` that adds an asset named after it, then ends with ``outcome()``."""

    def view():
        factories.AssetFactory(name=path)
        return outcome()

    app.add_url_rule(path, endpoint=path, view_func=wrap(view), methods=["POST"])


def test_a_page_that_succeeds_or_redirects_is_committed(app, client):
    _route(app, "/ok", lambda: "done")
    _route(app, "/moved", lambda: ("", 302, {"Location": "/"}))
    assert client.post("/ok").status_code == 200
    assert client.post("/moved").status_code == 302
    assert _names() == ["/moved", "/ok"]


def test_a_page_that_answers_with_an_error_status_is_rolled_back(app, client):
    _route(app, "/refused", lambda: ("shown again with its errors", 422))
    assert client.post("/refused").status_code == 422
    assert _names() == []


def _raise(error):
    def outcome():
        raise error

    return outcome


@pytest.mark.parametrize(("error", "status", "words"), [
    (Conflict("stale"), 409, "Someone else changed this at the same time"),
    (ValidationFailed("Bad", [FieldError("x", "The date must be in the past")]), 422,
     "The date must be in the past"),
    (NotAllowed("no"), 403, "You do not have permission to see this page"),
])
def test_a_domain_error_that_escapes_a_view_is_a_page_and_undoes_the_work(
        app, client, page, error, status, words):
    _route(app, "/escapes", _raise(error))
    response = client.post("/escapes")
    assert response.status_code == status
    assert words in page(response)
    assert _names() == []


def test_an_http_error_raised_mid_way_undoes_the_work(app, client):
    _route(app, "/aborts", lambda: abort(400))
    assert client.post("/aborts").status_code == 400
    assert _names() == []


def test_a_saved_message_is_not_shown_when_the_commit_is_refused(app, client, page):
    from flask import flash

    def flash_then_conflict():
        flash("Your answers have been saved.", "success")
        raise Conflict("lost a race at commit")

    _route(app, "/raced", flash_then_conflict)
    assert client.post("/raced").status_code == 409
    assert "have been saved" not in page(client.get("/"))


def test_the_harness_sees_only_what_a_request_committed(app, client):
    """A view outside the boundary (as if it forgot to commit) changes nothing a test can see."""
    _route(app, "/forgets", lambda: "done", wrap=lambda view: view)
    assert client.post("/forgets").status_code == 200
    assert _names() == []


def test_every_page_view_runs_in_the_boundary(app):
    # The ops probes (/healthz, /readyz, /metrics) are not pages and write nothing.
    web = [name for name in app.view_functions
           if name.partition(".")[0] not in ("api", "ops", "static", "govuk_assets")]
    unwrapped = [name for name in web if "." in name
                 and app.view_functions[name].__code__ is not transactional(len).__code__]
    assert len(web) > 40 and unwrapped == []


def test_an_action_undone_at_the_end_of_its_request_leaves_no_letter_behind(
        app, client, start, applicant):
    """An action orders its letters in its transaction and they are made after the commit: a
    request that fails leaves no order, no row and no file."""
    from assettransfer.models import Application
    from assettransfer.services.actions import take_action

    application_id = start("council-cat", answers=True).id

    def send_then_fail():
        application = db.session.get(Application, application_id)
        take_action(applicant, application, "submit_eoi")  # issues the acknowledgement letter
        raise Conflict("lost a race at commit")

    _route(app, "/sends", send_then_fail)
    assert client.post("/sends").status_code == 409
    assert db.session.get(Application, application_id).state == "eoi_draft"
    assert db.session.scalars(select(Document)).all() == []
    assert db.session.scalars(select(Job)).all() == []
    assert list(get_storage(app).names()) == []
