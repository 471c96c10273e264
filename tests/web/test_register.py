"""The public register of requests and decisions and its open data, for anyone without signing
in; online representations; and that nothing non-public reaches any of them."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from assettransfer.documents.service import issue_documents
from assettransfer.extensions import db
from assettransfer.models import (
    Assessment,
    Membership,
    Message,
    Note,
    Representation,
    RepresentationSource,
)
from assettransfer.services.public import copy_policy
from assettransfer.services.reads import documents_of, read_document
from assettransfer.throttle import limiter
from assettransfer.walks import PATHS
from assettransfer.wording import long_date
from assettransfer.workflow.calendar import uk_today
from tests.documents.conftest import pdf_text
from tests.register_cases import (
    SECRETS,
    days_ago,
    decide,
    issue,
    open_for_representations,
    sent_request,
)
from tests.web.conftest import error_summary


def result_references(response) -> list[str]:
    return re.findall(r'<a class="govuk-link" href="/register/([A-Z0-9-]+)">',
                      response.get_data(as_text=True))


@pytest.fixture
def decider(make):
    return make.UserFactory(decision_maker=True, name="Dee Cider")


@pytest.fixture
def open_request(officer):
    application = sent_request("scotland-atr", "representations")
    notice = open_for_representations(application, 5, actor=officer)
    issue(application, "public_notice", "Public notice of an asset transfer request", notice)
    issue(application, "owner_notice", "Notice to owner, tenants and occupiers", notice)
    db.session.commit()
    return application


REPRESENTATION = {"from_name": "Rita Neighbour", "address": "2 Park Road\nExampletown",
                  "email": "rita@example.org", "text": "Please keep the café open."}


class TestList:
    def test_anyone_sees_every_sent_request_and_can_filter(self, client, make, decider, page):
        refused = sent_request("scotland-atr", "recommended", submitted=days_ago(30))
        decide(refused, decider, "refuse", "refused", reasons="Unsafe.")
        cat = sent_request("council-cat", "eoi_submitted", submitted=days_ago(1))
        draft = make.ApplicationFactory(workflow="council-cat")
        db.session.commit()
        response = client.get("/register")
        assert response.status_code == 200
        assert result_references(response) == [cat.reference, refused.reference]
        assert draft.reference not in response.get_data(as_text=True)
        text = page(response)
        assert "2 requests" in text and f"Decision: Refused, {long_date(uk_today())}" in text
        assert result_references(client.get("/register?decision=Refused")) == [refused.reference]
        assert result_references(client.get("/register?route=council-cat")) == [cat.reference]

    def test_a_bad_filter_is_an_error_in_the_page(self, client, page):
        response = client.get("/register?submitted_from=32/1/2027")
        assert response.status_code == 200
        assert error_summary(response) == ["Enter a real date, like 31/1/2027"]

    def test_pagination_keeps_the_filters(self, app, client):
        app.config["PAGE_SIZE"] = 2
        for n in range(3):
            sent_request("council-cat", "eoi_submitted", submitted=days_ago(n))
        db.session.commit()
        html = client.get("/register?route=council-cat").get_data(as_text=True)
        assert 'href="/register?page=2&amp;route=council-cat" rel="next"' in html

    def test_linked_from_the_header_start_page_and_asset_page(self, client, open_request):
        assert 'href="/register"' in client.get("/").get_data(as_text=True)
        asset_page = client.get(f"/assets/{open_request.asset_id}").get_data(as_text=True)
        assert f'href="/register/{open_request.reference}"' in asset_page


class TestEntry:
    def test_what_is_asked_by_whom_the_stage_dates_and_documents(self, client, open_request,
                                                                 page):
        response = client.get(f"/register/{open_request.reference}")
        assert response.status_code == 200
        text = page(response)
        assert open_request.organisation.name in text and "Open for representations" in text
        assert "What are you asking for? A lease" in text
        closes = long_date(uk_today() + timedelta(days=5))
        assert f"Period for representations {closes}" in text
        assert f"make representations about this request until {closes}" in text
        html = response.get_data(as_text=True)
        [link] = re.findall(rf'href="(/register/{open_request.reference}/documents/\d+)"', html)
        download = client.get(link)
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert "Notice to owner" not in text

    def test_a_decision_notice_downloads_as_its_published_copy(self, client, make, decider,
                                                               page):
        lead = make.UserFactory(name=SECRETS["lead"])
        organisation = make.OrganisationFactory(name="Friends of the Bowling Green",
                                                address="7 Home Street\nExampletown")
        organisation.memberships.append(Membership(user=lead, is_lead_contact=True))
        application = sent_request("scotland-atr", "recommended", organisation=organisation)
        event = decide(application, decider, "refuse", "refused", reasons="The green is unsafe.")
        issue_documents(application, ["decision_notice"], event,
                        {"reasons": "The green is unsafe.", "decision": "refused"},
                        copy_policy(application))
        db.session.commit()  # the letter and its copy are rendered after it
        [notice] = documents_of(application)

        response = client.get(f"/register/{application.reference}")
        assert "Decision notice (published copy, personal data removed) (PDF)" in page(response)
        [link] = re.findall(rf'href="(/register/{application.reference}/documents/\d+)"',
                            response.get_data(as_text=True))
        download = client.get(link)
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert download.get_etag()[0] == notice.public_sha256
        text = pdf_text(download.data)
        assert "Your request is refused." in text and "The green is unsafe." in text
        assert "Dear Friends of the Bowling Green," in text
        for personal in (SECRETS["lead"], "7 Home Street", decider.name):
            assert personal not in text
        assert SECRETS["lead"] in pdf_text(read_document(notice))  # the letter sent

    def test_a_map_of_the_asset_when_it_has_a_location(self, client, make):
        asset = make.AssetFactory(latitude=Decimal("55.953251"), longitude=Decimal("-3.188267"))
        located = sent_request("scotland-atr", "validated", asset=asset)
        db.session.commit()
        body = client.get(f"/register/{located.reference}").get_data(as_text=True)
        svg = body[body.index("<svg"):body.index("</svg>")]
        assert 'role="img"' in svg and "latitude 55.953251, longitude -3.188267" in svg

    def test_a_draft_or_an_unknown_reference_is_404(self, client, make):
        draft = make.ApplicationFactory(workflow="scotland-atr", state="draft")
        db.session.commit()
        assert client.get(f"/register/{draft.reference}").status_code == 404
        assert client.get("/register/ATR-1999-0001").status_code == 404

    def test_a_document_not_of_a_public_kind_is_404(self, client, open_request):
        owner = db.session.scalar(sa.text("SELECT id FROM documents WHERE kind='owner_notice'"))
        assert client.get(f"/register/{open_request.reference}/documents/{owner}").status_code \
            == 404


class TestOnlineRepresentation:
    def test_made_confirmed_and_seen_by_the_council(self, client, login_as, officer,
                                                    open_request, page):
        response = client.post(f"/register/{open_request.reference}", data=REPRESENTATION)
        assert response.status_code == 302
        assert "Your representation on" in page(client.get(response.location))
        [made] = db.session.scalars(sa.select(Representation)).all()
        assert made.source is RepresentationSource.ONLINE and made.recorded_by_id is None
        to = {m.to_address for m in db.session.scalars(sa.select(Message))}
        assert {"rita@example.org", officer.email} <= to
        login_as(officer)
        council = page(client.get(
            f"/council/applications/{open_request.id}/representations"))
        assert "Rita Neighbour" in council and "made online on the public register" in council
        assert "rita@example.org" in council
        timeline = page(client.get(f"/council/applications/{open_request.id}"))
        assert "Representation made online from Rita Neighbour" in timeline

    def test_bad_input_is_shown_with_an_error_summary_and_nothing_saved(self, client,
                                                                         open_request):
        response = client.post(f"/register/{open_request.reference}",
                               data=REPRESENTATION | {"email": "nope", "text": ""})
        assert response.status_code == 400
        assert error_summary(response) == [
            "Enter an email address in the correct format, like name@example.com",
            "Enter your representation"]
        assert db.session.scalar(sa.select(Representation)) is None

    def test_after_the_closing_date_no_form_and_refused(self, client, officer, page):
        application = sent_request("scotland-atr", "representations")
        open_for_representations(application, -1, actor=officer)
        db.session.commit()
        text = page(client.get(f"/register/{application.reference}"))
        assert "Make a representation" not in text
        response = client.post(f"/register/{application.reference}", data=REPRESENTATION)
        assert response.status_code == 400
        assert "can no longer be made online" in error_summary(response)[0]
        assert db.session.scalar(sa.select(Representation)) is None


class TestThrottled:
    @pytest.fixture
    def config_overrides(self):
        return {"REPRESENTATION_LIMIT_PER_ADDRESS": "2 per hour"}

    def test_the_third_in_an_hour_is_refused(self, client, open_request):
        limiter.reset()
        for _ in range(2):
            assert client.post(f"/register/{open_request.reference}",
                               data=REPRESENTATION).status_code == 302
        assert client.post(f"/register/{open_request.reference}",
                           data=REPRESENTATION).status_code == 429
        assert client.get(f"/register/{open_request.reference}").status_code == 200


class TestOpenData:
    def test_csv_json_and_the_page_of_fields(self, client, open_request, page):
        response = client.get("/open-data/asset-transfer-requests.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert 'rel="license"' in response.headers["Link"]
        assert "open-government-licence/version/3" in response.headers["Link"]
        [row] = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
        assert row["reference"] == open_request.reference
        assert row["stage"] == "Open for representations"
        data = client.get("/open-data/asset-transfer-requests.json").get_json()
        assert data["licence"]["name"] == "Open Government Licence v3.0"
        assert data["requests"][0]["reference"] == open_request.reference
        text = page(client.get("/open-data/asset-transfer-requests"))
        assert "Open Government Licence v3.0" in text
        assert "submitted_on The day the request was sent to the council date" in text


class TestNothingNonPublic:
    """Distinctive values planted in every non-public field appear in no page or export."""

    @pytest.fixture
    def planted(self, make, officer, decider):
        lead = make.UserFactory(name=SECRETS["lead"])
        organisation = make.OrganisationFactory()
        organisation.memberships.append(Membership(user=lead, is_lead_contact=True))
        asset = make.AssetFactory(estimated_market_value=Decimal(SECRETS["market_value"]))
        answers = {**PATHS["scotland-atr"].answers, "governance": {
            "constitution_summary": "Clause 3.", "contact_name": SECRETS["contact_name"],
            "contact_email": SECRETS["contact_email"]}}
        atr = sent_request("scotland-atr", "representations", asset=asset,
                           organisation=organisation, answers=answers)
        open_for_representations(atr, 5, actor=officer)
        db.session.add(Note(application_id=atr.id, author_id=officer.id, text=SECRETS["note"]))
        db.session.add(Representation(
            application_id=atr.id, from_name=SECRETS["representer"], received_on=uk_today(),
            text="x", email=SECRETS["representer_email"], source=RepresentationSource.ONLINE))
        cat = sent_request("council-cat", "recommended", asset=asset, organisation=organisation)
        db.session.add(Assessment(application_id=cat.id, assessor_id=officer.id,
                                  scores={}, comments={"x": SECRETS["assessment"]}))
        decide(cat, officer, "recommend", "recommended", recommendation="approve",
               summary=SECRETS["recommendation"])
        decide(cat, decider, "approve", "heads_of_terms", reasons="Meets priorities.",
               market_value=SECRETS["valuation"], consideration_value=SECRETS["valuation"])
        db.session.commit()
        return atr, cat

    def test_no_secret_anywhere(self, client, planted):
        atr, cat = planted
        urls = ["/register", "/register?q=friends", f"/register/{atr.reference}",
                f"/register/{cat.reference}", "/open-data/asset-transfer-requests",
                "/open-data/asset-transfer-requests.csv",
                "/open-data/asset-transfer-requests.json"]
        bodies = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            bodies[url] = response.get_data(as_text=True)
        assert "Meets priorities." in bodies[f"/register/{cat.reference}"]  # the reasons are
        for url, body in bodies.items():
            for name, secret in SECRETS.items():
                assert secret not in body, f"{name} appears on {url}"
            assert "987,654" not in body and "13,579,246" not in body, url
