""""Your applications" and starting an application from an asset's page."""

import re

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import Application, AssetStatus
from assettransfer.services.actions import take_action
from tests.web.conftest import error_summary, inline_error


def applications_of(organisation) -> list[Application]:
    return list(db.session.scalars(
        sa.select(Application).where(Application.organisation_id == organisation.id)))


class TestAccess:
    @pytest.mark.parametrize("url", ["/applications/", "/applications/start/1",
                                     "/applications/1", "/applications/1/sections/proposal",
                                     "/applications/1/check", "/applications/1/files",
                                     "/applications/1/actions/withdraw"])
    def test_anonymous_visitors_are_sent_to_sign_in(self, client, url):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")

    def test_council_staff_have_their_own_pages(self, client, login_as, officer):
        login_as(officer)
        assert client.get("/applications/").status_code == 403


class TestIndex:
    def test_lists_the_organisations_applications_with_state_and_deadline(
            self, client, login_as, applicant, start, page):
        application = start("council-cat", answers=True)
        take_action(applicant, application, "submit_eoi")
        db.session.commit()
        login_as(applicant)
        response = client.get("/applications/")
        assert response.status_code == 200
        text = page(response)
        assert application.reference in text and "Riverside Park Pavilion" in text
        assert "Expression of interest sent" in text
        assert "Community asset transfer" in text
        weekday = application.next_due_on.strftime("%A")
        assert f"{weekday} {application.next_due_on.day} {application.next_due_on:%B %Y}" in text
        assert f'href="/applications/{application.id}"' in response.get_data(as_text=True)

    def test_not_other_organisations(self, client, login_as, outsider, start, page):
        start("council-cat")
        login_as(outsider)
        text = page(client.get("/applications/"))
        assert "have not started any applications yet" in text
        assert "Riverside Park Pavilion" not in text

    def test_without_an_organisation(self, client, login_as, applicant, page):
        login_as(applicant)
        text = page(client.get("/applications/"))
        assert "You need to register your community group before you can apply" in text

    def test_sign_in_lands_here(self, client, applicant):
        response = client.post("/account/sign-in",
                               data={"email": applicant.email, "password": "correct horse battery"})
        assert response.headers["Location"] == "/applications/"


class TestStart:
    def test_starts_an_application_for_the_only_organisation(
            self, client, login_as, applicant, organisation, asset, page):
        login_as(applicant)
        response = client.post(f"/applications/start/{asset.id}",
                               data={"organisation": str(organisation.id),
                                     "workflow": "council-cat"})
        assert response.status_code == 302
        [application] = applications_of(organisation)
        assert response.headers["Location"] == f"/applications/{application.id}"
        assert application.workflow == "council-cat" and application.state == "eoi_draft"
        assert application.created_by_id == applicant.id
        assert "started. Your answers are saved as you go" in page(
            client.get(response.headers["Location"]))

    def test_chooses_among_several_organisations(self, client, login_as, applicant, organisation,
                                                 asset, make):
        second = make.OrganisationFactory(lead=applicant, name="Second Group")
        db.session.commit()
        login_as(applicant)
        html = client.get(f"/applications/start/{asset.id}").get_data(as_text=True)
        assert re.search(r"<legend[^>]*>\s*Which organisation is applying\?\s*</legend>", html)
        assert f'value="{second.id}"' in html and f'value="{organisation.id}"' in html
        client.post(f"/applications/start/{asset.id}",
                    data={"organisation": str(second.id), "workflow": "scotland-atr"})
        [application] = applications_of(second)
        assert application.workflow == "scotland-atr" and application.state == "draft"

    def test_nothing_chosen(self, client, login_as, applicant, organisation, asset):
        login_as(applicant)
        response = client.post(f"/applications/start/{asset.id}", data={})
        assert response.status_code == 200
        assert error_summary(response) == ["Select how you want to apply"]
        assert inline_error(response, "workflow") == "Select how you want to apply"
        assert applications_of(organisation) == []

    def test_a_route_the_council_does_not_offer(self, app, client, login_as, applicant,
                                                organisation, asset):
        app.extensions["workflows"].offered = ["council-cat"]
        login_as(applicant)
        response = client.post(f"/applications/start/{asset.id}",
                               data={"organisation": str(organisation.id),
                                     "workflow": "scotland-atr"})
        assert inline_error(response, "workflow") == "Select how you want to apply"
        assert applications_of(organisation) == []

    def test_an_organisation_the_user_is_not_in(self, client, login_as, applicant, organisation,
                                                asset, outsider):
        other = outsider.memberships[0].organisation
        login_as(applicant)
        response = client.post(f"/applications/start/{asset.id}",
                               data={"organisation": str(other.id), "workflow": "council-cat"})
        assert error_summary(response) == ["Select the organisation that is applying"]
        assert applications_of(other) == []

    def test_an_asset_closed_to_requests(self, client, login_as, applicant, organisation, make):
        closed = make.AssetFactory(status=AssetStatus.WITHDRAWN)
        db.session.commit()
        login_as(applicant)
        response = client.post(f"/applications/start/{closed.id}",
                               data={"organisation": str(organisation.id),
                                     "workflow": "council-cat"})
        assert response.status_code == 200
        assert "This asset is not open to requests" in error_summary(response)

    def test_no_organisation_yet_goes_to_register_one(self, client, login_as, applicant, asset):
        login_as(applicant)
        response = client.get(f"/applications/start/{asset.id}")
        assert response.status_code == 302
        assert response.headers["Location"] == f"/organisations/new?next=/assets/{asset.id}"

    def test_unknown_asset(self, client, login_as, applicant, organisation):
        login_as(applicant)
        assert client.get("/applications/start/99999").status_code == 404

    def test_route_hints_come_from_the_workflows(self, client, login_as, applicant, organisation,
                                                 asset):
        login_as(applicant)
        html = client.get(f"/applications/start/{asset.id}").get_data(as_text=True)
        assert re.search(r"<legend[^>]*>\s*How do you want to apply\?\s*</legend>", html)
        hint = re.search(
            r'id="(workflow-3-item-hint)" class="govuk-hint govuk-radios__hint">([^<]+)<', html)
        assert hint and "You send a short expression of interest first" in hint.group(2)
        assert f'aria-describedby="{hint.group(1)}"' in html
