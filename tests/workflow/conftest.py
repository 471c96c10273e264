"""People and helpers for walking applications through their workflows via the service layer."""
import io
from dataclasses import dataclass
from datetime import date

import pytest
from pypdf import PdfWriter

from assettransfer.extensions import db
from assettransfer.models import Membership
from assettransfer.services.attachments import add_attachment
from assettransfer.services.actions import take_action
from assettransfer.services.applications import save_answers, start_application

COMPLETE_ANSWERS = {
    "council-cat": {
        "proposal": {"summary": "A community hub with a café and library corner.",
                     "transfer_type": "lease", "lease_years": 25,
                     "community_need": "No meeting space within two miles."},
        "contact": {"contact_name": "Ann Lead", "contact_email": "ann@example.org"},
        "business_case": {"services": "Café, youth club, advice sessions.",
                          "evidence_of_need": "Survey of 412 residents; 38 letters.",
                          "income_year1": "42000", "costs_year1": "39500.50",
                          "funding_secured": "15000", "offered_price_or_rent": "1"},
        "governance": {"management": "Board of 9 trustees and a paid manager.",
                       "skills": "Two trustees run local businesses.", "insurance": True},
    },
    "scotland-atr": {
        "land": {"land_description": "Riverside Park pavilion and the land around it.",
                 "request_type": "lease", "lease_years": 25},
        "reasons": {"reasons": "To reopen the pavilion as a community hub.",
                    "benefits": "Health walks, youth clubs, a café run by volunteers.",
                    "community_support": "600 signatures; community council support."},
        "terms": {"price_or_rent": "1", "funding": "Lottery grant and café income."},
        "governance": {"constitution_summary": "Clause 3 defines the community.",
                       "contact_name": "Ann Lead", "contact_email": "ann@example.org"},
    },
    "england-acv": {
        "land": {"description": "The Red Lion pub, High Street.",
                 "boundaries": "As shown on the attached plan.",
                 "owners": "Brewery Holdings Ltd, 1 King Street, Leeds"},
        "value": {"reasons": "The only pub and meeting place in the village.",
                  "current_use": "Quiz nights, darts league, parish meetings."},
        "eligibility": {"local_connection": True,
                        "connection_details": "All members live in the parish."},
    },
}


@dataclass
class People:
    applicant: object
    member: object
    outsider: object
    officer: object
    officer2: object
    decision_maker: object
    legal: object
    admin: object
    organisation: object


@pytest.fixture
def people(make):
    applicant = make.UserFactory(name="Ann Lead")
    member = make.UserFactory(name="Bob Member")
    outsider = make.UserFactory(name="Olive Outsider")
    organisation = make.OrganisationFactory(lead=applicant)
    organisation.memberships.append(Membership(user=member))
    make.OrganisationFactory(lead=outsider)
    people = People(
        applicant=applicant, member=member, outsider=outsider,
        officer=make.UserFactory(officer=True, name="Owen Officer"),
        officer2=make.UserFactory(officer=True, name="Olga Officer"),
        decision_maker=make.UserFactory(decision_maker=True, name="Dee Cider"),
        legal=make.UserFactory(legal=True, name="Lee Gal"),
        admin=make.UserFactory(admin=True, name="Ada Admin"),
        organisation=organisation,
    )
    db.session.commit()
    return people


@pytest.fixture
def asset(make):
    asset = make.AssetFactory()
    db.session.commit()
    return asset


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach(application, kind, user):
    """Upload a one-page PDF as ``kind`` through the attachments service."""
    add_attachment(user, application, kind, f"{kind}.pdf", tiny_pdf())
    db.session.commit()


@pytest.fixture
def act():
    """Take an action through the service and commit, as a view would."""

    def act(user, application, action, on: date | None = None, comment="", **data):
        event = take_action(user, application, action, data=data, comment=comment, on=on)
        db.session.commit()
        return event

    return act


@pytest.fixture
def new_application(people, asset):
    def new(workflow, answers=True):
        application = start_application(people.applicant, workflow, asset, people.organisation)
        if answers:
            save_answers(people.applicant, application, COMPLETE_ANSWERS[workflow], None)
        db.session.commit()
        return application

    return new
