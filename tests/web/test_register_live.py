"""The register reads the live case tables: what a council action changes shows on it at once."""
import pytest

from assettransfer.extensions import db
from tests.register_cases import sent_request
from tests.web.test_council_case import post_action


@pytest.fixture
def eoi(make):
    group = make.OrganisationFactory(lead=make.UserFactory())
    application = sent_request("council-cat", "eoi_submitted", organisation=group)
    db.session.commit()
    return application


def test_a_decision_taken_on_the_case_page_is_on_the_register_at_once(
        client, login_as, officer, eoi, page):
    before = page(client.get(f"/register/{eoi.reference}"))
    assert "Expression of interest received" in before
    assert "The council has not decided this request yet." in before
    login_as(officer)
    response = post_action(client, eoi, "decline_eoi", reasons="The building is being sold.",
                           confirmed="y")
    assert response.status_code == 302, response.get_data(as_text=True)
    after = page(client.get(f"/register/{eoi.reference}"))
    assert "Expression of interest declined" in after
    assert "Decline expression of interest" in after and "The building is being sold." in after
    listed = page(client.get("/register?decision=Expression of interest declined"))
    assert eoi.reference in listed
