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
    """Start an application through the service, optionally with complete answers."""
    from assettransfer.demo import ACV_ANSWERS, ATR_ANSWERS, CAT_ANSWERS
    from assettransfer.extensions import db
    from assettransfer.services.applications import save_answers, start_application

    complete = {"council-cat": CAT_ANSWERS, "scotland-atr": ATR_ANSWERS, "england-acv": ACV_ANSWERS}

    def start(workflow="council-cat", answers=None):
        application = start_application(applicant, workflow, asset, organisation)
        if answers is True:
            answers = complete[workflow]
        if answers:
            save_answers(applicant, application, answers, None)
        db.session.commit()
        return application

    return start


def pdf_bytes() -> bytes:
    """A small valid PDF, as a group would upload."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
        rf'<p id="{re.escape(field_id)}-error" class="govuk-error-message">(.*?)</p>', html, re.DOTALL
    )
    if not match:
        return None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).replace("Error:", "").strip()


@pytest.fixture
def staff(make):
    """Council staff enough to take a council-cat application all the way."""
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


SCORES = {"community_benefit": 4, "financial_sustainability": 3, "governance_capacity": 4,
          "deliverability": 3, "value_for_money": 4}


@pytest.fixture
def walk(applicant, staff):
    """Take a council-cat application (with complete answers) through the services until it
    reaches ``state``, as the group and the council would."""
    from assettransfer.extensions import db
    from assettransfer.services import casework
    from assettransfer.services.actions import take_action
    from assettransfer.services.attachments import add_attachment

    def attach_all(application):
        for kind in ("business_plan", "accounts", "constitution"):
            add_attachment(applicant, application, kind, f"{kind}.pdf", pdf_bytes())

    def assess(application):
        for officer in (staff.officer, staff.officer2):
            casework.save_assessment(officer, application, SCORES, {})

    steps = [
        (applicant, "submit_eoi", {}),
        (staff.officer, "accept_eoi", {}),
        (attach_all, None, None),
        (applicant, "submit_application", {}),
        (staff.officer, "start_assessment", {}),
        (assess, None, None),
        (staff.officer, "recommend", {"recommendation": "approve", "summary": "Scores 73%."}),
        (staff.decision_maker, "approve", {"transfer_type": "lease", "term_years": 25,
                                           "rent_or_price": "1", "conditions": "Community use.",
                                           "reasons": "Meets the policy."}),
        (applicant, "agree_heads_of_terms", {}),
        (staff.legal, "issue_legal_pack", {}),
    ]

    def walk(application, state: str):
        for actor, action, data in steps:
            if application.state == state:
                break
            if action is None:
                actor(application)
            else:
                take_action(actor, application, action, data=data)
            db.session.commit()
        assert application.state == state
        return application

    return walk
