"""People and helpers for walking applications through their workflows via the service layer."""
from dataclasses import dataclass
from datetime import date

import pytest

from assettransfer import walks
from assettransfer.extensions import db
from assettransfer.models import Membership
from assettransfer.services.actions import take_action
from assettransfer.services.applications import start_application
from assettransfer.services.attachments import add_attachment
from assettransfer.walks import blank_pdf
from tests.factories import PASSWORD

# What council-cat's decision records of the disposal's consideration (Local Government Act 1972
# s123) when there is no undervalue: valid under the law of every nation.
AT_BEST_CONSIDERATION = {"market_value": "1", "consideration_value": "1",
                         "disposal_consent": "none_needed"}



@pytest.fixture
def nation():
    """Override in a module to run it as an authority of that nation (AUTHORITY_NATION)."""
    return None


@pytest.fixture
def config_overrides(nation):
    return {"AUTHORITY_NATION": nation} if nation else {}

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


def attach(application, kind, user):
    """Upload a one-page PDF as ``kind`` through the attachments service."""
    add_attachment(user, application, kind, f"{kind}.pdf", blank_pdf())
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
    """A new application by the group's lead contact; with every question answered, by default."""

    def new(workflow, answers=True):
        start = walks.begin if answers else start_application
        application = start(people.applicant, workflow, asset, people.organisation)
        db.session.commit()
        return application

    return new


@pytest.fixture
def walk(people):
    """Take an application along its workflow's happy path (``assettransfer.walks``) to a state,
    as ``people`` would, and commit."""

    def walk(application, to, **options):
        walks.walk(application, people, to, password=PASSWORD, **options)
        db.session.commit()
        return application

    return walk
