"""Who gets what, for every page of every blueprint and every role.

``RULES`` names each endpoint in ``app.url_map`` (but ``static``, ``govuk_assets`` and ``api.*``,
which the API tests cover) with the request to make and what each role must get:

* ``LOGIN``: a redirect to the sign-in page (anonymous visitors);
* a status code: 200, 302 (a redirect somewhere else), 403, 404 (another organisation's
  application or organisation is "not found", as if it did not exist).

An endpoint missing from the table fails ``test_every_endpoint_has_a_rule``: a new page must say
who may see it. Each request is made by a fresh client signed in as the role (so a sign-out or a
deactivation cannot leak into the next request); the user deactivated is none of the role users,
and the token revoked is the admin's own. POST-only endpoints are sent an empty form, so
the ones that change something refuse it or change nothing that matters here.
"""

from dataclasses import dataclass, field

import pytest
from flask import g, url_for
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import Job
from assettransfer.services import accounts
from assettransfer.services.attachments import attachments_of
from assettransfer.services.reads import documents_of
from tests.documents.issuing import issue_legal_pack
from tests.factories import PASSWORD
from tests.workflow.conftest import act, asset, attach, new_application, people  # noqa: F401

ROLES = ("anonymous", "applicant", "officer", "decision_maker", "legal", "admin")
SKIPPED = ("static", "govuk_assets")
LOGIN = "login"


def every(code):
    return dict.fromkeys(ROLES, code)


def signed_in(anonymous=LOGIN, applicant=200, council=200, **overrides):
    """The common shapes: anonymous -> sign in; then the applicant; then each council role."""
    codes = {"anonymous": anonymous, "applicant": applicant}
    codes |= dict.fromkeys(("officer", "decision_maker", "legal", "admin"), council)
    return codes | overrides


APPLICANT_ONLY = signed_in(council=403)
APPLICANT_OTHER_ORG = signed_in(applicant=404, council=403)
COUNCIL_ONLY = signed_in(applicant=403)
EDITORS = signed_in(applicant=403, decision_maker=403, legal=403)  # officers and admins
ADMIN_ONLY = signed_in(applicant=403, council=403, admin=200)


@dataclass(frozen=True)
class Rule:
    endpoint: str
    expected: dict
    args: dict = field(default_factory=dict)  # url_for arguments; "@name" is looked up in World
    method: str = "GET"
    note: str = ""


RULES = [
    # public
    Rule("public.start", every(200)),
    Rule("public.accessibility", every(200)),
    Rule("public.assets", every(200)),
    Rule("public.asset", every(200), {"asset_id": "@asset"}),
    # the register of requests and its open data: anyone; never a draft, never a letter to a group
    Rule("register.index", every(200)),
    Rule("register.entry", every(200), {"reference": "@own_reference"}),
    Rule("register.entry", every(404), {"reference": "@draft_reference"}),
    Rule("register.document", every(404),
         {"reference": "@own_reference", "document_id": "@own_document"},
         note="the acknowledgement is addressed to the group: not a public kind"),
    Rule("register.open_data", every(200)),
    Rule("register.open_data_csv", every(200)),
    Rule("register.open_data_json", every(200)),
    # the check of a document (its form; the checks themselves: tests/documents/test_verify.py)
    Rule("verify.check", every(200)),
    # the lists of assets of community value and their open data: anyone
    Rule("community_value.index", every(200)),
    Rule("community_value.unsuccessful", every(200)),
    Rule("community_value.open_data_index", every(200)),
    Rule("community_value.dataset", every(200)),
    *(Rule("community_value.download", every(200), {"extension": extension})
      for extension in ("csv", "json", "geojson")),
    # Probes answer anyone; /metrics answers by address or token, not by role (see
    # tests/web/test_ops.py), and the test client's 127.0.0.1 is allowed outside production.
    Rule("ops.healthz", every(200)),
    Rule("ops.readyz", every(200)),
    Rule("ops.metrics", every(200)),
    # account
    Rule("account.sign_in", signed_in(anonymous=200, applicant=302, council=302)),
    Rule("account.sign_up", signed_in(anonymous=200, applicant=302, council=302)),
    Rule("account.sign_out", every(LOGIN), method="POST", note="back to the sign-in page"),
    Rule("account.overview", signed_in()),
    Rule("account.password", signed_in()),
    Rule("account.messages", signed_in()),
    Rule("account.tokens", signed_in()),
    Rule("account.sign_in_code", every(LOGIN), note="no password given first: sign in again"),
    Rule("account.two_factor_setup", COUNCIL_ONLY),
    Rule("account.two_factor_qr", COUNCIL_ONLY),
    Rule("account.two_factor_off", signed_in(applicant=302, council=302), method="POST",
         note="not on: back to the account page"),
    Rule("account.revoke_token", signed_in(applicant=404, council=404, admin=302),
         {"token_id": "@admin_token"}, "POST", "only its owner (the admin here) may revoke it"),
    Rule("account.confirm_email_needed", signed_in()),
    Rule("account.send_confirmation", signed_in(applicant=302, council=302), method="POST",
         note="confirmed already: nothing sent, back to the page"),
    Rule("account.confirm_email", every(400), {"token": "not-a-token"}),
    Rule("account.reset_password_request", every(200)),
    Rule("account.reset_password_sent", every(200)),
    Rule("account.reset_password", every(400), {"token": "not-a-token"}),
    # organisation
    Rule("organisation.index", signed_in()),
    Rule("organisation.new", signed_in()),
    Rule("organisation.show", signed_in(), {"organisation_id": "@own_org"}),
    Rule("organisation.show", signed_in(applicant=404), {"organisation_id": "@other_org"}),
    Rule("organisation.edit", signed_in(), {"organisation_id": "@own_org"}),
    Rule("organisation.edit", signed_in(applicant=404), {"organisation_id": "@other_org"}),
    Rule("organisation.eligibility", signed_in(), {"organisation_id": "@own_org"}),
    Rule("organisation.eligibility", signed_in(applicant=404), {"organisation_id": "@other_org"}),
    Rule("organisation.members", signed_in(), {"organisation_id": "@own_org"}),
    Rule("organisation.members", signed_in(applicant=404), {"organisation_id": "@other_org"}),
    Rule("organisation.change_lead", signed_in(), {"organisation_id": "@own_org"}, "POST",
         "no member chosen: the members page again"),
    Rule("organisation.change_lead", signed_in(applicant=404), {"organisation_id": "@other_org"},
         "POST"),
    # applicant
    Rule("applicant.index", APPLICANT_ONLY),
    Rule("applicant.start", APPLICANT_ONLY, {"asset_id": "@asset"}),
    Rule("applicant.show", APPLICANT_ONLY, {"application_id": "@own"}),
    Rule("applicant.show", APPLICANT_OTHER_ORG, {"application_id": "@other"}),
    Rule("applicant.action", APPLICANT_ONLY, {"application_id": "@own", "action_name": "withdraw"}),
    Rule("applicant.action", APPLICANT_OTHER_ORG,
         {"application_id": "@other", "action_name": "withdraw"}),
    Rule("applicant.form.section", APPLICANT_ONLY,
         {"application_id": "@draft", "section_name": "proposal"}),
    Rule("applicant.form.section", APPLICANT_OTHER_ORG,
         {"application_id": "@other", "section_name": "proposal"}),
    Rule("applicant.form.check", APPLICANT_ONLY, {"application_id": "@draft"}),
    Rule("applicant.form.check", APPLICANT_OTHER_ORG, {"application_id": "@other"}),
    Rule("applicant.form.sent", APPLICANT_ONLY, {"application_id": "@own"}),
    Rule("applicant.form.sent", APPLICANT_OTHER_ORG, {"application_id": "@other"}),
    Rule("applicant.form.files", APPLICANT_ONLY, {"application_id": "@draft"}),
    Rule("applicant.form.files", APPLICANT_OTHER_ORG, {"application_id": "@other"}),
    Rule("applicant.form.remove_file", APPLICANT_OTHER_ORG,
         {"application_id": "@other", "attachment_id": "@other_attachment"}, "POST"),
    # files
    Rule("files.document", signed_in(), {"document_id": "@own_document"}),
    Rule("files.document", signed_in(applicant=404), {"document_id": "@other_document"}),
    Rule("files.attachment", signed_in(), {"attachment_id": "@own_attachment"}),
    Rule("files.attachment", signed_in(applicant=404), {"attachment_id": "@other_attachment"}),
    Rule("files.legal_pack", signed_in(), {"application_id": "@own"}),
    Rule("files.legal_pack", signed_in(applicant=404), {"application_id": "@other"}),
    # council
    Rule("council.dashboard", COUNCIL_ONLY),
    Rule("council.calendar.show", COUNCIL_ONLY),
    Rule("council.queue_csv", COUNCIL_ONLY),
    Rule("council.reports.index", COUNCIL_ONLY),
    Rule("council.annual_report.show", ADMIN_ONLY),
    Rule("council.annual_report.save_narrative", ADMIN_ONLY | {"admin": 422},
         {"start_year": 2025}, "POST"),
    Rule("council.annual_report.pdf", ADMIN_ONLY, {"start_year": 2025}),
    Rule("council.annual_report.csv", ADMIN_ONLY, {"start_year": 2025}),
    Rule("council.case.show", COUNCIL_ONLY, {"application_id": "@own"}),
    Rule("council.case.add_note", COUNCIL_ONLY, {"application_id": "@own"}, "POST",
         "an empty note is refused on the page"),
    Rule("council.case.legal_pack", COUNCIL_ONLY, {"application_id": "@own"}),
    Rule("council.actions.take", signed_in(applicant=403, council=403, officer=200),
         {"application_id": "@own", "action_name": "accept_eoi"}, note="officers' action"),
    Rule("council.actions.take", signed_in(applicant=403, council=404),
         {"application_id": "@own", "action_name": "no_such_action"}),
    Rule("council.assessment.assessment", COUNCIL_ONLY, {"application_id": "@own"}),
    Rule("council.assessment.representations", COUNCIL_ONLY, {"application_id": "@own"}),
    Rule("council.assets.index", COUNCIL_ONLY),
    Rule("council.assets.new", EDITORS),
    Rule("council.assets.edit", EDITORS, {"asset_id": "@asset"}),
    Rule("council.assets.withdraw", EDITORS, {"asset_id": "@asset"}),
    Rule("council.assets.import_csv", EDITORS),
    Rule("council.users.index", ADMIN_ONLY),
    Rule("council.users.new", ADMIN_ONLY),
    Rule("council.users.role", ADMIN_ONLY, {"user_id": "@target"}),
    Rule("council.users.history", ADMIN_ONLY, {"user_id": "@target"}),
    Rule("council.users.deactivate", ADMIN_ONLY | {"admin": 302}, {"user_id": "@target"}, "POST"),
    Rule("council.users.reactivate", ADMIN_ONLY | {"admin": 302}, {"user_id": "@target"}, "POST"),
    Rule("council.jobs.failed", ADMIN_ONLY),
    Rule("council.jobs.retry", ADMIN_ONLY | {"admin": 404}, {"job_id": "@job"}, "POST",
         note="a job that has not failed cannot be retried"),
    Rule("council.users.two_factor_rule", ADMIN_ONLY | {"admin": 302}, method="POST",
         note="an empty form changes nothing"),
]


@pytest.fixture
def world(people, new_application, act, make):  # noqa: F811
    """Two organisations' applications, each with a file, an issued letter and a legal pack."""
    draft = new_application("council-cat")
    attach(draft, "constitution", people.applicant)
    own = new_application("council-cat")
    attach(own, "constitution", people.applicant)
    act(people.applicant, own, "submit_eoi")
    other = new_application("council-cat")
    other.organisation = next(m.organisation for m in people.outsider.memberships)
    db.session.commit()
    attach(other, "constitution", people.outsider)
    act(people.outsider, other, "submit_eoi")
    for application in (own, other):
        issue_legal_pack(application, None, {})
    token, _ = accounts.issue_token(people.admin, "Finance system")
    db.session.commit()
    return {
        "asset": draft.asset.id, "draft": draft.id, "own": own.id, "other": other.id,
        "own_reference": own.reference, "draft_reference": draft.reference,
        "own_org": people.organisation.id, "other_org": other.organisation.id,
        "own_document": documents_of(own)[0].id, "other_document": documents_of(other)[0].id,
        "own_attachment": attachments_of(own)[0].id,
        "other_attachment": attachments_of(other)[0].id,
        "admin_token": token.id, "target": people.officer2.id,
        "job": db.session.scalar(select(Job.id).where(Job.application_id == own.id).limit(1)),
    }


def request_as(app, user, rule: Rule, world: dict):
    """A fresh client, signed in as ``user`` (None: anonymous), making the rule's request."""
    client = app.test_client()
    if user is not None:
        g.pop("_login_user", None)
        signed = client.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
        assert signed.status_code == 302, f"{user.email} could not sign in"
    # The tests share one app context, so Flask-Login's cached user must not carry over.
    g.pop("_login_user", None)
    args = {k: world[v[1:]] if isinstance(v, str) and v.startswith("@") else v
            for k, v in rule.args.items()}
    with app.test_request_context():
        url = url_for(rule.endpoint, **args)
    response = client.open(url, method=rule.method, data={} if rule.method == "POST" else None)
    g.pop("_login_user", None)
    return url, response


def outcome(response):
    if response.status_code == 302 and response.location.startswith("/account/sign-in"):
        return LOGIN
    return response.status_code


def test_every_endpoint_has_a_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if rule.endpoint not in SKIPPED and not rule.endpoint.startswith("api.")}
    covered = {rule.endpoint for rule in RULES}
    assert sorted(endpoints - covered) == [], "pages with no rule: add them to RULES"
    assert sorted(covered - endpoints) == [], "rules for pages that no longer exist"
    for rule in RULES:
        assert set(rule.expected) == set(ROLES), rule.endpoint


def test_each_role_gets_what_the_table_says(app, people, world):  # noqa: F811
    # One world for every role: it takes a few seconds to build (letters and legal packs).
    wrong = []
    for role in ROLES:
        user = None if role == "anonymous" else getattr(people, role)
        for rule in RULES:
            url, response = request_as(app, user, rule, world)
            if outcome(response) != rule.expected[role]:
                wrong.append(f"{role}: {rule.method} {url} ({rule.endpoint}): expected "
                             f"{rule.expected[role]}, got {outcome(response)}")
    assert not wrong, "\n".join(wrong)
