"""The start page and the accessibility statement."""

import re

import pytest


def route_section(response, key: str) -> str:
    html = response.get_data(as_text=True)
    section = re.search(rf'<section class="app-route" id="{key}".*?</section>', html,
                        re.DOTALL).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


class TestStartPage:
    def test_explains_every_route_and_the_law_behind_it(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert "community asset transfer policy" in route_section(response, "council-cat")
        assert "Community Empowerment (Scotland) Act 2015" in route_section(
            response, "scotland-atr"
        )
        assert "Part 5" in route_section(response, "scotland-atr")
        assert "Localism Act 2011" in route_section(response, "england-acv")

    def test_all_offered(self, client):
        # The test configuration offers all three.
        response = client.get("/")
        for key in ("council-cat", "scotland-atr", "england-acv"):
            assert "Offered here" in route_section(response, key)

    def test_anonymous_visitors_are_invited_to_start(self, client):
        html = client.get("/").get_data(as_text=True)
        assert re.search(
            r'href="/account/sign-up"[^>]*class="govuk-button govuk-button--start"', html
        )

    def test_signed_in_users_go_to_their_account(self, client, login_as, applicant):
        login_as(applicant)
        html = client.get("/").get_data(as_text=True)
        assert "govuk-button--start" not in html
        assert re.search(r'href="/account/"[^>]*class="govuk-button"', html)


class TestOnlySomeRoutesOffered:
    @pytest.fixture
    def config_overrides(self):
        return {"WORKFLOWS": ["council-cat"]}

    def test_says_which_are_not_offered(self, client):
        response = client.get("/")
        assert "Offered here" in route_section(response, "council-cat")
        assert "Not offered here" in route_section(response, "scotland-atr")
        assert "Not offered here" in route_section(response, "england-acv")


class TestAccessibility:
    def test_statement_names_the_authority_and_how_to_get_help(self, client, page):
        response = client.get("/accessibility")
        assert response.status_code == 200
        text = page(response)
        assert "Accessibility statement – Test Council" in text
        assert "community asset transfer service run by Test Council" in text
        assert "assets@example.gov.uk" in text
        assert "WCAG" in text
