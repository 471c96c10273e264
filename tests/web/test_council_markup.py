"""Every GOV.UK class the council's pages use is one the pinned GOV.UK Frontend release knows
(govuk-frontend-jinja follows a newer release than the CSS we ship), errors and all."""

import io
import re
from pathlib import Path

import pytest

from assettransfer.documents.service import current_legal_pack
from tests.web.test_council_case import action_url, case_url, post_action
from tests.workflow.conftest import (  # noqa: F401
    AT_BEST_CONSIDERATION,
    act,
    asset,
    new_application,
    people,
    walk,
)

GOVUK_DIST = (Path(__file__).resolve().parents[2] / "node_modules" / "govuk-frontend" / "dist"
              / "govuk")


def classes(response) -> set[str]:
    used = set()
    for attr in re.findall(r'class="([^"]*)"', response.get_data(as_text=True)):
        used |= {c for c in attr.split() if c.startswith("govuk-")}
    return used - {"govuk-template__header", "govuk-template__footer"}


@pytest.mark.skipif(not GOVUK_DIST.is_dir(), reason="run npm ci")
def test_council_pages_use_only_classes_of_the_pinned_release(
        client, login_as, people, new_application, walk):  # noqa: F811
    known = (GOVUK_DIST / "govuk-frontend.min.css").read_text() + "".join(
        p.read_text() for p in GOVUK_DIST.rglob("*.njk"))
    known = known.replace("\\!", "!")  # the CSS escapes the "!" of override classes
    application = walk(new_application("council-cat"), "recommended")
    pages = []
    login_as(people.decision_maker)
    pages += [client.get("/council/?workflow=nope"), client.get(case_url(application)),
              client.get(action_url(application, "approve")),
              post_action(client, application, "approve", rent_or_price="x"),
              client.get(case_url(application, "/assessment")),
              client.get(case_url(application, "/representations")),
              client.post(case_url(application, "/notes"), data={})]
    post_action(client, application, "approve", transfer_type="lease", rent_or_price="1",
                conditions="Use.", reasons="Fine.", confirmed="y", **AT_BEST_CONSIDERATION)
    client.post("/account/sign-out")
    walk(application, "sign_off")
    login_as(people.legal)
    pages += [client.get(case_url(application, "/legal-pack")),
              client.get(action_url(application, "sign")),
              post_action(client, application, "sign",
                          pack_sha256=current_legal_pack(application).sha256)]
    client.post("/account/sign-out")
    login_as(people.admin)
    pages += [client.get("/council/"), client.get("/council/assets/?status=x"),
              client.post("/council/assets/new", data={"postcode": "x"}),
              client.post("/council/assets/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"name,postcode\n,x\n"), "a.csv")}),
              client.get(f"/council/assets/{application.asset.id}/withdraw"),
              client.get("/council/users/"), client.post("/council/users/new", data={}),
              client.post(f"/council/users/{people.admin.id}/role", data={"role": "officer"}),
              client.get("/council/reports/?year=x"), client.get("/council/reports/annual/?year=x")]
    assert all(p.status_code in (200, 409) for p in pages), [p.status_code for p in pages]
    used = set().union(*(classes(p) for p in pages))
    assert sorted(c for c in used if not re.search(rf"{re.escape(c)}(?![\w-])", known)) == []
