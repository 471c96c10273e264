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
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()

    return text


def csrf_token_from(response) -> str:
    html = response.get_data(as_text=True)
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
