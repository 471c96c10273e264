"""The application form: the task list, question pages, "check your answers" and sending."""

import re

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Document, Event
from assettransfer.services.actions import take_action
from assettransfer.services.applications import save_answers
from tests.web.conftest import error_links, error_summary, inline_error

PROPOSAL = {"summary": "A community hub with a café.", "transfer_type": "lease",
            "lease_years": "25", "community_need": "Nowhere else to meet."}
CONTACT = {"contact_name": "Ann Lead", "contact_email": "ann@example.org", "contact_phone": ""}


def tasks(response) -> list[tuple[str, str]]:
    """(section title, status) from the task list, in order."""
    html = response.get_data(as_text=True)
    items = re.findall(r'<li class="govuk-task-list__item.*?</li>', html, re.DOTALL)
    result = []
    for item in items:
        title = re.search(r'govuk-task-list__(?:link|name-and-hint)[^>]*>\s*(?:<a[^>]*>)?\s*'
                          r'(?:<div[^>]*>)?\s*([^<]+?)\s*<', item, re.DOTALL).group(1)
        status = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(
            r'govuk-task-list__status[^>]*>(.*?)</div>', item, re.DOTALL).group(1))).strip()
        result.append((title, status))
    return result


def section_url(application, name, step=None, **query):
    url = f"/applications/{application.id}/sections/{name}" + (f"/{step}" if step else "")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestTaskList:
    def test_eoi_sections_first_the_rest_later(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        response = client.get(f"/applications/{application.id}")
        assert response.status_code == 200
        assert tasks(response) == [
            ("Your idea", "Not yet started"), ("Contact details", "Not yet started"),
            ("Business case", "Cannot start yet"), ("Governance and capacity", "Cannot start yet"),
            ("Supporting documents", "Cannot start yet"),
        ]
        html = response.get_data(as_text=True)
        assert f'href="{section_url(application, "proposal")}"' in html
        assert f'href="{section_url(application, "business_case")}"' not in html

    def test_statuses_follow_the_answers(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": {"summary": "Something"},
                                                    "contact": CONTACT})
        login_as(applicant)
        assert tasks(client.get(f"/applications/{application.id}"))[:2] == [
            ("Your idea", "In progress"), ("Contact details", "Completed")]

    def test_after_the_eoi_is_accepted_the_business_case(self, client, login_as, applicant,
                                                         start, walk):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        walk(application, "business_case")
        login_as(applicant)
        response = client.get(f"/applications/{application.id}")
        assert [status for _, status in tasks(response)] == [
            "Completed", "Completed", "Not yet started", "Not yet started", "Not yet started"]
        assert f'href="/applications/{application.id}/files"' in response.get_data(as_text=True)

    def test_no_task_list_once_sent(self, client, login_as, applicant, start):
        application = start("council-cat", answers=True)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        login_as(applicant)
        assert tasks(client.get(f"/applications/{application.id}")) == []


class TestQuestionPages:
    def test_a_page_of_questions_with_hints_and_labels(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        response = client.get(section_url(application, "proposal"))
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<h1 class=\"govuk-heading-l\">Your idea</h1>" in html
        assert re.search(r'<label class="govuk-label govuk-label--s" for="summary">', html)
        assert 'id="summary-hint"' in html and 'aria-describedby="summary-hint"' in html
        assert re.search(r"<legend[^>]*>\s*What kind of transfer are you asking for\?", html)
        assert 'name="version" type="hidden" value="' in html or 'name="version" value="' in html
        assert "Save and continue" in html and "Save and come back later" in html

    def test_save_and_continue(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data=PROPOSAL | {"version": application.version, "save": "continue"})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/applications/{application.id}"
        db.session.refresh(application)
        assert application.answers["proposal"] == {
            "summary": "A community hub with a café.", "transfer_type": "lease", "lease_years": 25,
            "community_need": "Nowhere else to meet."}

    def test_answers_are_shown_again(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": PROPOSAL})
        login_as(applicant)
        html = client.get(section_url(application, "proposal")).get_data(as_text=True)
        assert "A community hub with a café.</textarea>" in html
        assert re.search(r'value="lease" checked', html)
        assert 'value="25"' in html

    def test_required_questions_on_continue(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data={"version": application.version, "save": "continue"})
        assert response.status_code == 200
        assert error_summary(response) == [
            "Enter what do you want to do with it",
            "Select what kind of transfer are you asking for",
            "Enter what need in the community will this meet",
        ]
        assert error_links(response) == ["#summary", "#transfer_type", "#community_need"]
        assert "govuk-form-group--error" in response.get_data(as_text=True)
        db.session.refresh(application)
        assert application.answers == {}

    def test_save_and_come_back_later_keeps_partial_answers(self, client, login_as, applicant,
                                                            start, page):
        application = start("council-cat")
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data={"summary": "Just an idea", "version": application.version,
                                     "save": "later"})
        assert response.status_code == 302
        db.session.refresh(application)
        assert application.answers["proposal"]["summary"] == "Just an idea"
        text = page(client.get(response.headers["Location"]))
        assert "Your answers have been saved" in text
        assert "In progress" in text

    @pytest.mark.parametrize("data, field, message", [
        ({"lease_years": "twenty"}, "lease_years",
         "Length of lease you would like (years) must be a number"),
        ({"lease_years": "-3"}, "lease_years",
         "Length of lease you would like (years) must be 0 or more"),
        ({"summary": "x" * 20001}, "summary",
         "What do you want to do with it? must be 20,000 characters or fewer"),
        ({"transfer_type": "timeshare"}, "transfer_type",
         "Select what kind of transfer are you asking for from the list"),
    ])
    def test_wrong_answers_even_when_saving_for_later(self, client, login_as, applicant, start,
                                                      data, field, message):
        application = start("council-cat")
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data=data | {"version": application.version, "save": "later"})
        assert response.status_code == 200
        assert inline_error(response, field) == message
        db.session.refresh(application)
        assert application.answers == {}

    def test_email_and_money_questions(self, client, login_as, applicant, start, walk):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        login_as(applicant)
        response = client.post(section_url(application, "contact"),
                               data=CONTACT | {"contact_email": "not an email",
                                               "version": application.version, "save": "continue"})
        assert inline_error(response, "contact_email") == \
            "Contact email must be an email address, like name@example.org"
        walk(application, "business_case")
        html = client.get(section_url(application, "business_case")).get_data(as_text=True)
        assert 'class="govuk-input__prefix" aria-hidden="true">£<' in html
        response = client.post(section_url(application, "business_case"),
                               data={"income_year1": "£1,000.505", "version": application.version,
                                     "save": "later"})
        assert inline_error(response, "income_year1") == \
            "Expected income in the first year must not have more than 2 decimal places (pence)"

    def test_a_long_section_is_split_into_pages(self, client, login_as, applicant, start, walk):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        walk(application, "business_case")
        login_as(applicant)
        first = client.get(section_url(application, "business_case"))
        assert "Page 1 of 2" in first.get_data(as_text=True)
        response = client.post(section_url(application, "business_case"), data={
            "services": "Café", "evidence_of_need": "Survey", "income_year1": "42000",
            "version": application.version, "save": "continue"})
        assert response.headers["Location"] == section_url(application, "business_case", 2)
        db.session.refresh(application)
        response = client.post(section_url(application, "business_case", 2), data={
            "costs_year1": "39500", "funding_secured": "1,500", "offered_price_or_rent": "0",
            "version": application.version, "save": "continue"})
        assert response.headers["Location"] == f"/applications/{application.id}"
        db.session.refresh(application)
        assert application.answers["business_case"]["funding_secured"] == "1500.00"
        assert application.answers["business_case"]["income_year1"] == "42000.00"
        assert client.get(section_url(application, "business_case", 3)).status_code == 404

    def test_stale_version_saves_nothing(self, client, login_as, applicant, start, make):
        application = start("council-cat")
        stale = application.version
        save_answers(applicant, application, {"proposal": {"summary": "Theirs"}}, None)
        db.session.commit()
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data=PROPOSAL | {"version": stale, "save": "continue"})
        assert response.status_code == 409
        assert "Someone else changed this application after you opened this page" in \
            error_summary(response)[0]
        db.session.refresh(application)
        assert application.answers["proposal"] == {"summary": "Theirs"}

    def test_missing_or_forged_version(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        for version in ("", "abc"):
            response = client.post(section_url(application, "proposal"),
                                   data=PROPOSAL | {"version": version, "save": "continue"})
            assert response.status_code == 200
            assert "This page is out of date: reload it and try again" in error_summary(response)

    def test_unknown_section_is_404(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        assert client.get(section_url(application, "nope")).status_code == 404

    def test_uploads_section_goes_to_the_files_page(self, client, login_as, applicant, start):
        application = start("council-cat")
        login_as(applicant)
        response = client.get(section_url(application, "documents"))
        assert response.headers["Location"] == f"/applications/{application.id}/files"

    def test_no_changes_once_sent(self, client, login_as, applicant, start, page):
        application = start("council-cat", answers=True)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        login_as(applicant)
        response = client.post(section_url(application, "proposal"),
                               data=PROPOSAL | {"version": application.version, "save": "continue"})
        assert response.status_code == 302
        text = page(client.get(response.headers["Location"]))
        assert "You cannot change the application while it is “expression of interest sent”" in text

    def test_another_organisations_application_is_404(self, client, login_as, outsider, start):
        application = start("council-cat")
        login_as(outsider)
        for url in (section_url(application, "proposal"), f"/applications/{application.id}",
                    f"/applications/{application.id}/check", f"/applications/{application.id}/sent",
                    f"/applications/{application.id}/files",
                    f"/applications/{application.id}/actions/withdraw"):
            assert client.get(url).status_code == 404, url
        response = client.post(section_url(application, "proposal"),
                               data=PROPOSAL | {"version": application.version, "save": "later"})
        assert response.status_code == 404
        db.session.refresh(application)
        assert application.answers == {}


class TestCheckAndSend:
    def test_answers_with_change_links(self, client, login_as, applicant, start, page):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        login_as(applicant)
        response = client.get(f"/applications/{application.id}/check")
        assert response.status_code == 200
        text = page(response)
        assert "Check your answers before you send expression of interest" in text
        assert "Lease" in text and "ann@example.org" in text and "Not given" in text
        assert "Business case" not in text  # only what the expression of interest needs
        html = response.get_data(as_text=True)
        change = section_url(application, "contact", **{"return": "check"})
        assert f'href="{change}#contact_phone"' in html

    def test_change_link_comes_back_here(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        login_as(applicant)
        response = client.post(section_url(application, "contact", **{"return": "check"}),
                               data=CONTACT | {"contact_phone": "0131 496 0000",
                                               "version": application.version, "save": "continue"})
        assert response.headers["Location"] == f"/applications/{application.id}/check"

    def test_sending_needs_the_declaration(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        login_as(applicant)
        html = client.get(f"/applications/{application.id}/check").get_data(as_text=True)
        assert "Once sent, you cannot change your expression of interest." in html
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": application.version})
        assert error_summary(response) == [
            "Tick the box to confirm the information is correct and you may send it"]
        assert error_links(response) == ["#confirmed"]
        db.session.refresh(application)
        assert application.state == "eoi_draft"

    def test_sends_the_expression_of_interest(self, client, login_as, applicant, start, page):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        login_as(applicant)
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": application.version, "confirmed": "y"})
        assert response.status_code == 302
        assert response.headers["Location"] == f"/applications/{application.id}/sent"
        db.session.refresh(application)
        assert application.state == "eoi_submitted" and application.submitted_at is not None
        text = page(client.get(response.headers["Location"]))
        assert "Expression of interest sent" in text and application.reference in text
        assert "The asset team will read your expression of interest" in text
        kinds = db.session.scalars(sa.select(Document.kind).where(
            Document.application_id == application.id)).all()
        assert kinds == ["eoi_acknowledgement"]

    def test_unanswered_questions_block_sending(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": {"summary": "Half done"}})
        login_as(applicant)
        page_html = client.get(f"/applications/{application.id}/check").get_data(as_text=True)
        assert "You cannot send this yet" in page_html
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": application.version, "confirmed": "y"})
        assert response.status_code == 200
        messages = error_summary(response)
        assert "Answer “What kind of transfer are you asking for?” in “Your idea”" in messages
        assert "Answer “Contact name” in “Contact details”" in messages
        db.session.refresh(application)
        assert application.state == "eoi_draft"

    def test_stale_version(self, client, login_as, applicant, start):
        application = start("council-cat", answers={"proposal": PROPOSAL, "contact": CONTACT})
        stale = application.version
        save_answers(applicant, application, {"contact": {"contact_phone": "1"}}, None)
        db.session.commit()
        login_as(applicant)
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": stale, "confirmed": "y"})
        assert response.status_code == 409
        db.session.refresh(application)
        assert application.state == "eoi_draft"

    def test_nothing_to_send_once_sent(self, client, login_as, applicant, start):
        application = start("council-cat", answers=True)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        login_as(applicant)
        response = client.get(f"/applications/{application.id}/check")
        assert response.status_code == 302
        events = db.session.scalars(sa.select(Event.action).where(
            Event.application_id == application.id)).all()
        assert events.count("submit_eoi") == 1

    def test_scotland_body_rules_are_listed(self, client, login_as, applicant, start, make):
        application = start("scotland-atr", answers=True)
        application.organisation.open_membership = False
        db.session.commit()
        login_as(applicant)
        response = client.post(f"/applications/{application.id}/check",
                               data={"version": application.version, "confirmed": "y"})
        messages = error_summary(response)
        assert "Upload your constitution" in messages
        assert ("Your organisation must be able to answer yes to: Is membership open to anyone in "
                "that community?") in messages
