"""Fixtures for the page tests."""

import re

import pytest

# The factories' hashing cost: signing in then never needs to upgrade a stored hash.
CHEAP_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture
def config_overrides():
    return {"ARGON2_PARAMS": CHEAP_ARGON2}


@pytest.fixture
def applicant(make):
    return make.UserFactory()


@pytest.fixture
def officer(make):
    return make.UserFactory(officer=True)


@pytest.fixture
def page():
    """The text of a response with tags and runs of whitespace collapsed, for reading assertions."""

    def text(response) -> str:
        html = response.get_data(as_text=True)
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()

    return text


def csrf_token_from(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# ---- Fixtures and helpers for the community group pages ----


@pytest.fixture
def organisation(make, applicant):
    """A community-controlled SCIO with ``applicant`` as its lead contact."""
    from assettransfer.extensions import db

    organisation = make.OrganisationFactory(lead=applicant, name="Friends of Riverside")
    db.session.commit()
    return organisation


@pytest.fixture
def outsider(make):
    """Someone from another organisation."""
    from assettransfer.extensions import db

    user = make.UserFactory(name="Olive Outsider")
    make.OrganisationFactory(lead=user, name="Another Group")
    db.session.commit()
    return user


@pytest.fixture
def asset(make):
    from assettransfer.extensions import db

    asset = make.AssetFactory(name="Riverside Park Pavilion")
    db.session.commit()
    return asset


@pytest.fixture
def start(applicant, organisation, asset):
    """Start an application through the service: with every question answered (``answers=True``,
    as its workflow's happy path begins), with some answers (a dict), or with none."""
    from assettransfer import walks
    from assettransfer.extensions import db
    from assettransfer.services.applications import save_answers, start_application

    def start(workflow="council-cat", answers=None):
        if answers is True:
            application = walks.begin(applicant, workflow, asset, organisation)
        else:
            application = start_application(applicant, workflow, asset, organisation)
        if isinstance(answers, dict):
            save_answers(applicant, application, answers, None)
        db.session.commit()
        return application

    return start


def error_summary(response) -> list[str]:
    """The messages in the GOV.UK error summary, in order."""
    html = response.get_data(as_text=True)
    box = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.DOTALL)
    if not box:
        return []
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.DOTALL)
    ]


def error_links(response) -> list[str]:
    """Where the error summary's links point."""
    html = response.get_data(as_text=True)
    box = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.DOTALL)
    return re.findall(r'href="([^"]+)"', box.group(1)) if box else []


def inline_error(response, field_id: str) -> str | None:
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">(.*?)</p>',
        html, re.DOTALL
    )
    if not match:
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).replace("Error:", "").strip()


@pytest.fixture
def staff(make):
    """Council staff enough to take an application all the way."""
    from types import SimpleNamespace

    from assettransfer.extensions import db

    people = SimpleNamespace(
        officer=make.UserFactory(officer=True, name="Owen Officer"),
        officer2=make.UserFactory(officer=True, name="Olga Officer"),
        decision_maker=make.UserFactory(decision_maker=True, name="Dee Cider"),
        legal=make.UserFactory(legal=True, name="Lee Gal"),
    )
    db.session.commit()
    return people


@pytest.fixture
def walk(applicant, staff):
    """Take an application along its workflow's happy path (``assettransfer.walks``) until it
    reaches ``state``, as the group and the council would, and commit."""
    from types import SimpleNamespace

    from assettransfer import walks
    from assettransfer.extensions import db
    from tests.factories import PASSWORD

    cast = SimpleNamespace(applicant=applicant, **vars(staff))

    def walk(application, state: str):
        walks.walk(application, cast, state, password=PASSWORD)
        db.session.commit()
        return application

    return walk
