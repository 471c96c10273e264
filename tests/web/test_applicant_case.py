"""The application page once sent, and the workflow actions open to the group."""

import hashlib
import re
from html import unescape

import pytest
import sqlalchemy as sa
from flask import current_app

from assettransfer.documents.seal import check_signatures
from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.models import AssetStatus, Membership, Signature
from assettransfer.services.actions import take_action
from tests.factories import PASSWORD
from tests.web.conftest import error_links, error_summary, inline_error


@pytest.fixture
def sent(applicant, start):
    """A council-cat expression of interest, sent."""
    application = start("council-cat", answers=True)
    take_action(applicant, application, "submit_eoi", comment="We are keen to start.")
    db.session.commit()
    return application


class TestApplicationPage:
    def test_where_it_stands_and_what_happens_next(self, client, login_as, applicant, sent, page):
        login_as(applicant)
        response = client.get(f"/applications/{sent.id}")
        assert response.status_code == 200
        text = page(response)
        assert f"{sent.reference} · Community asset transfer" in text
        assert "Status Expression of interest sent" in text
        assert "The asset team will read your expression of interest" in text
        assert "Who needs to act: The council’s asset team" in text
        html = response.get_data(as_text=True)
        # The stage is marked in words, and for assistive technology, not only by colour.
        current = re.search(r'<li class="app-stage-list__item app-stage-list__item--current"\s*'
                            r'aria-current="step">(.*?)</li>', html, re.DOTALL).group(1)
        assert "Expression of interest sent" in current and "Current stage" in current
        done = re.findall(r'app-stage-list__item--done">\s*<span[^>]*>([^<]+)<', html)
        assert done == ["Expression of interest not sent yet"]
        assert "How it can end" in text and "Transfer completed" in text

    def test_deadlines_with_date_rule_and_status(self, client, login_as, applicant, sent, page):
        login_as(applicant)
        text = unescape(page(client.get(f"/applications/{sent.id}")))
        due = sent.next_due_on
        assert "Council's response to the expression of interest" in text
        assert f"{due:%A} {due.day} {due:%B %Y}" in text
        assert "20 working days beginning with" in text
        assert "Scottish bank holidays excluded" in text
        assert "Pending" in text

    def test_documents_and_history(self, client, login_as, applicant, sent, page):
        login_as(applicant)
        response = client.get(f"/applications/{sent.id}")
        html, text = response.get_data(as_text=True), page(response)
        assert re.search(r'href="/files/documents/\d+" download>Acknowledgement of your expression'
                         r' of interest', html)
        assert "Version 1, issued" in text and "SHA-256 fingerprint" in text
        assert "Send expression of interest" in text and "We are keen to start." in text
        assert "Application started" in text
        assert f"({'Applicant'})" in text

    def test_possible_actions_are_buttons(self, client, login_as, applicant, sent):
        login_as(applicant)
        html = client.get(f"/applications/{sent.id}").get_data(as_text=True)
        assert re.search(rf'href="/applications/{sent.id}/actions/withdraw"[^>]*'
                         r'class="govuk-button govuk-button--warning"', html)

    def test_blocked_actions_say_why(self, client, login_as, applicant, start, page):
        application = start("council-cat")
        login_as(applicant)
        text = page(client.get(f"/applications/{application.id}"))
        assert "Send expression of interest: not yet" in text
        assert "Answer “Contact email” in “Contact details”" in text

    def test_a_member_who_is_not_the_lead_sees_it_too(self, client, login_as, organisation, sent,
                                                      make):
        member = make.UserFactory()
        organisation.memberships.append(Membership(user=member))
        db.session.commit()
        login_as(member)
        assert client.get(f"/applications/{sent.id}").status_code == 200

    def test_another_organisation_gets_404(self, client, login_as, outsider, sent):
        login_as(outsider)
        assert client.get(f"/applications/{sent.id}").status_code == 404
        assert client.get(f"/applications/{sent.id}/actions/withdraw").status_code == 404
        response = client.post(f"/applications/{sent.id}/actions/withdraw",
                               data={"version": sent.version, "confirmed": "y"})
        assert response.status_code == 404
        db.session.refresh(sent)
        assert sent.state == "eoi_submitted"

    def test_no_such_application(self, client, login_as, applicant):
        login_as(applicant)
        assert client.get("/applications/424242").status_code == 404


class TestActions:
    def test_an_action_with_confirm_text_needs_the_box_ticked(self, client, login_as, applicant,
                                                              sent, page):
        login_as(applicant)
        response = client.get(f"/applications/{sent.id}/actions/withdraw")
        assert response.status_code == 200
        text = page(response)
        assert "Withdrawing ends this application. You would have to start again." in text
        assert "Why are you withdrawing? (optional)" in text and "Comment (optional)" in text
        response = client.post(f"/applications/{sent.id}/actions/withdraw",
                               data={"version": sent.version})
        assert error_summary(response) == ["Tick the box to confirm you want to withdraw"]
        assert error_links(response) == ["#confirmed"]
        db.session.refresh(sent)
        assert sent.state == "eoi_submitted"

    def test_takes_the_action(self, client, login_as, applicant, sent, page):
        login_as(applicant)
        response = client.post(f"/applications/{sent.id}/actions/withdraw", data={
            "version": sent.version, "confirmed": "y", "reasons": "We found another building.",
            "comment": "Thank you for your help."})
        assert response.status_code == 302
        db.session.refresh(sent)
        assert sent.state == "withdrawn" and sent.asset.status == AssetStatus.AVAILABLE
        text = page(client.get(response.headers["Location"]))
        assert "Done: Withdraw." in text
        assert "Status Withdrawn" in text and "Thank you for your help." in text
        assert "There is nothing for you to do at this stage" in text

    def test_stale_version(self, client, login_as, applicant, sent):
        login_as(applicant)
        response = client.post(f"/applications/{sent.id}/actions/withdraw",
                               data={"version": sent.version - 1, "confirmed": "y"})
        assert response.status_code == 409
        assert error_summary(response)[0].startswith("Someone else changed this application")
        db.session.refresh(sent)
        assert sent.state == "eoi_submitted"

    def test_too_long_comment(self, client, login_as, applicant, sent):
        login_as(applicant)
        response = client.post(f"/applications/{sent.id}/actions/withdraw", data={
            "version": sent.version, "confirmed": "y", "comment": "x" * 20001})
        assert inline_error(response, "comment") == \
            "Your comment must be 20,000 characters or fewer"

    def test_an_action_that_is_not_open_is_404(self, client, login_as, applicant, sent):
        login_as(applicant)
        for name in ("accept_eoi", "agree_heads_of_terms", "no_such_action"):
            assert client.get(f"/applications/{sent.id}/actions/{name}").status_code == 404

    def test_the_sending_action_goes_to_check_your_answers(self, client, login_as, applicant,
                                                           start):
        application = start("council-cat", answers=True)
        login_as(applicant)
        response = client.get(f"/applications/{application.id}/actions/submit_eoi")
        assert response.headers["Location"] == f"/applications/{application.id}/check"


class TestSigning:
    @pytest.fixture
    def ready(self, start, walk):
        return walk(start("council-cat", answers=True), "sign_off")

    def test_shows_the_pack_and_its_fingerprint(self, client, login_as, applicant, ready, page):
        pack = current_legal_pack(ready)
        login_as(applicant)
        response = client.get(f"/applications/{ready.id}/actions/sign")
        assert response.status_code == 200
        html, text = response.get_data(as_text=True), unescape(page(response))
        assert f'id="pack-fingerprint">{pack.sha256}</code>' in html
        assert f'href="/files/applications/{ready.id}/legal-pack"' in html
        assert "Legal pack, version 1" in text
        assert f'value="{pack.sha256}"' in html  # the fingerprint they read, sent with the form
        assert 'type="password"' in html and 'name="full_name"' in html
        assert 'name="code"' in html  # a second factor, for council staff who sign here too
        assert "Signing is your organisation's formal agreement" in text

    def test_signs_with_name_and_password(self, client, login_as, applicant, ready, page):
        pack = current_legal_pack(ready)
        issued = pack.sha256
        login_as(applicant)
        response = client.post(f"/applications/{ready.id}/actions/sign", data={
            "version": ready.version, "pack_sha256": pack.sha256, "full_name": applicant.name,
            "password": PASSWORD, "confirmed": "y"})
        assert response.status_code == 302, error_summary(response)
        signature = db.session.scalar(sa.select(Signature))
        assert (signature.full_name, signature.pack_sha256) == (applicant.name, issued)
        text = page(client.get(response.headers["Location"]))
        assert "Done: Sign the legal pack." in text
        assert PASSWORD not in text
        # The pack they download now carries their signature after the seal.
        db.session.refresh(pack)
        assert pack.sha256 != issued
        downloaded = client.get(f"/files/applications/{ready.id}/legal-pack").data
        assert hashlib.sha256(downloaded).hexdigest() == pack.sha256
        assert [(c.name, c.valid) for c in check_signatures(current_app, downloaded)][1:] == [
            (applicant.name, True)]

    def test_a_name_that_is_not_the_accounts_is_refused(self, client, login_as, applicant,
                                                        ready):
        pack = current_legal_pack(ready)
        issued = pack.sha256
        login_as(applicant)
        response = client.post(f"/applications/{ready.id}/actions/sign", data={
            "version": ready.version, "pack_sha256": pack.sha256, "full_name": "Someone Else",
            "password": PASSWORD, "confirmed": "y"})
        assert response.status_code == 200
        assert [unescape(e) for e in error_summary(response)] == [
            f"Type your name as your account has it: {applicant.name}"]
        assert db.session.scalar(sa.select(Signature)) is None
        db.session.refresh(pack)
        assert pack.sha256 == issued

    def test_wrong_password(self, client, login_as, applicant, ready):
        pack = current_legal_pack(ready)
        login_as(applicant)
        response = client.post(f"/applications/{ready.id}/actions/sign", data={
            "version": ready.version, "pack_sha256": pack.sha256, "full_name": applicant.name,
            "password": "not my password", "confirmed": "y"})
        assert response.status_code == 200
        assert "The password is not right" in error_summary(response)
        assert 'value="not my password"' not in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(Signature)) is None

    def test_missing_name_and_password(self, client, login_as, applicant, ready):
        pack = current_legal_pack(ready)
        login_as(applicant)
        response = client.post(f"/applications/{ready.id}/actions/sign", data={
            "version": ready.version, "pack_sha256": pack.sha256, "confirmed": "y"})
        assert inline_error(response, "full_name") == "Enter your full name"
        assert inline_error(response, "password") == "Enter your password"

    def test_a_pack_that_is_not_the_current_one(self, client, login_as, applicant, ready):
        login_as(applicant)
        response = client.post(f"/applications/{ready.id}/actions/sign", data={
            "version": ready.version, "pack_sha256": "0" * 64, "full_name": applicant.name,
            "password": PASSWORD, "confirmed": "y"})
        assert error_summary(response) == [
            "This is not the current legal pack: download the latest version and sign that"]
        assert db.session.scalar(sa.select(Signature)) is None

    def test_only_the_lead_contact_may_sign(self, client, login_as, organisation, ready, make,
                                            page):
        member = make.UserFactory()
        organisation.memberships.append(Membership(user=member))
        db.session.commit()
        login_as(member)
        text = unescape(page(client.get(f"/applications/{ready.id}/actions/sign")))
        assert "You cannot do this yet" in text
        assert "Only your organisation's lead contact can sign the legal pack" in text
        assert "full_name" not in client.get(
            f"/applications/{ready.id}/actions/sign").get_data(as_text=True)


class TestInformationRequested:
    def test_the_group_reads_the_request_and_sends_the_information(
            self, client, login_as, applicant, staff, start, walk, page):
        application = walk(start("council-cat", answers=True), "application_submitted")
        take_action(staff.officer, application, "request_information",
                    data={"missing_items": "Five-year cash flow\nLatest bank statement"})
        db.session.commit()
        login_as(applicant)
        text = unescape(page(client.get(f"/applications/{application.id}")))
        assert "The council has asked you for more information" in text
        assert "What the group needs to send Five-year cash flow Latest bank statement" in text
        assert "Request for further information" in text  # the letter
        response = client.get(f"/applications/{application.id}/check")
        assert "Check your answers before you send the information" in page(response)
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": application.version, "confirmed": "y"})
        assert response.headers["Location"] == f"/applications/{application.id}/sent"
        db.session.refresh(application)
        assert application.state == "application_submitted"
