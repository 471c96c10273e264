"""Every community group page, checked for what a person with assistive technology relies on:
one h1, a title, labelled inputs, unique ids, error summaries that link to their fields, and only
GOV.UK Frontend classes the pinned release knows."""

import re
from pathlib import Path

import pytest

from assettransfer.extensions import db
from assettransfer.services.actions import take_action

ROOT = Path(__file__).resolve().parents[2]
GOVUK_DIST = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"


@pytest.fixture
def pages(client, login_as, applicant, organisation, asset, start):
    draft = start("council-cat", answers={"proposal": {"summary": "An idea"}})
    sent = start("council-cat", answers=True)
    take_action(applicant, sent, "submit_eoi")
    db.session.commit()
    login_as(applicant)
    responses = {url: client.get(url) for url in (
        "/assets", f"/assets/{asset.id}", "/assets?asset_type=castle",
        "/organisations/", "/organisations/new", f"/organisations/{organisation.id}",
        f"/organisations/{organisation.id}/edit", f"/organisations/{organisation.id}/eligibility",
        f"/organisations/{organisation.id}/members",
        "/applications/", f"/applications/start/{asset.id}",
        f"/applications/{draft.id}", f"/applications/{sent.id}",
        f"/applications/{draft.id}/sections/proposal", f"/applications/{draft.id}/check",
        f"/applications/{draft.id}/files", f"/applications/{sent.id}/sent",
        f"/applications/{sent.id}/actions/withdraw",
    )}
    posts = {
        "/organisations/new": {},
        f"/organisations/{organisation.id}/members": {"email": ""},
        f"/applications/start/{asset.id}": {},
        f"/applications/{draft.id}/sections/proposal": {"version": draft.version,
                                                         "save": "continue"},
        f"/applications/{draft.id}/check": {"version": draft.version},
        f"/applications/{draft.id}/files": {"kind": ""},
        f"/applications/{sent.id}/actions/withdraw": {"version": sent.version},
    }
    for url, data in posts.items():
        responses[f"POST {url}"] = client.post(url, data=data)
    assert all(r.status_code == 200 for r in responses.values()), \
        {u: r.status_code for u, r in responses.items() if r.status_code != 200}
    return {url: r.get_data(as_text=True) for url, r in responses.items()}


def test_one_h1_and_a_title(pages):
    for url, html in pages.items():
        assert len(re.findall(r"<h1\b", html)) == 1, url
        assert re.search(r"<title>[^<]+ – Test Council</title>", html), url


def test_error_pages_say_so_in_the_title_and_link_each_error(pages):
    for url, html in pages.items():
        if not url.startswith("POST"):
            continue
        assert "<title>Error: " in html, url
        links = re.findall(r'govuk-error-summary__list">.*?</ul>', html, re.DOTALL)
        assert links, url
        for target in re.findall(r'href="#([^"]+)"', links[0]):
            assert re.search(rf'id="{re.escape(target)}"', html), (url, target)


def test_inputs_are_labelled_and_ids_unique(pages):
    for url, html in pages.items():
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (url, sorted({i for i in ids if ids.count(i) > 1}))
        for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", html):
            if re.search(r'type="(hidden|submit)"', tag):
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag).group(1)
            assert re.search(rf'<label[^>]*for="{re.escape(field_id)}"', html), (url, field_id)


def test_forms_post_with_novalidate(pages):
    for url, html in pages.items():
        for form in re.findall(r'<form method="post"[^>]*>', html):
            if "sign-out" in form:
                continue
            assert "novalidate" in form, (url, form)


@pytest.mark.skipif(not GOVUK_DIST.is_dir(), reason="run npm ci")
def test_only_govuk_classes_the_pinned_release_knows(pages):
    known = (GOVUK_DIST / "govuk-frontend.min.css").read_text() + "".join(
        p.read_text() for p in GOVUK_DIST.rglob("*.njk"))
    used = set()
    for html in pages.values():
        for attr in re.findall(r'class="([^"]*)"', html):
            used |= {c for c in attr.split() if c.startswith("govuk-")}
    used -= {"govuk-template__header", "govuk-template__footer"}
    # The CSS writes override classes with the "!" escaped: .govuk-\!-margin-bottom-9
    unknown = [c for c in used if not re.search(rf"{re.escape(c)}(?![\w-])", known)
               and not re.search(rf"{re.escape(c.replace('!', chr(92) + '!'))}(?![\w-])", known)]
    assert sorted(unknown) == []
