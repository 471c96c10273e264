"""Registering and changing an organisation, its eligibility for each route, and its members."""

import re
from html import unescape

import pytest
import sqlalchemy as sa

from assettransfer.extensions import db
from assettransfer.models import COMMUNITY_CONTROL_QUESTIONS, LegalForm, Organisation
from tests.web.conftest import error_links, error_summary, inline_error

GOOD = {
    "name": "Eastfield Community Trust",
    "legal_form": "company_limited_by_guarantee",
    "charity_number": "",
    "company_number": "SC612345",
    "address": "2 Eastfield Way\nExampletown",
    "postcode": "ex3 1gh",
    "member_count": "132",
    "local_voter_member_count": "120",
    "community_definition": "People living in Eastfield ward",
} | {name: "yes" for name in COMMUNITY_CONTROL_QUESTIONS}


def only(organisation_name: str) -> Organisation:
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == organisation_name))


class TestRegister:
    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        response = client.get("/organisations/new")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")

    def test_the_form_asks_every_question(self, client, login_as, applicant):
        login_as(applicant)
        html = unescape(client.get("/organisations/new").get_data(as_text=True))
        for name in GOOD:
            assert f'name="{name}"' in html, name
        # The six s19 questions are yes/no radios with the question as the legend.
        for question in COMMUNITY_CONTROL_QUESTIONS.values():
            assert re.search(rf"<legend[^>]*>\s*{re.escape(question)}\s*</legend>", html), question
        assert "govuk-radios--inline" in html
        assert re.search(r'<label class="govuk-label govuk-label--s" for="postcode">', html)

    def test_registers_with_the_user_as_lead_contact(self, client, login_as, applicant, page):
        login_as(applicant)
        response = client.post("/organisations/new", data=GOOD)
        assert response.status_code == 302
        organisation = only("Eastfield Community Trust")
        assert response.headers["Location"] == f"/organisations/{organisation.id}"
        assert organisation.lead_contact.id == applicant.id
        assert organisation.postcode == "EX3 1GH" and organisation.member_count == 132
        assert organisation.legal_form is LegalForm.COMPANY_LIMITED_BY_GUARANTEE
        assert organisation.is_community_controlled
        text = page(client.get(response.headers["Location"]))
        assert "has been registered. You are its lead contact" in text
        assert "Company limited by guarantee" in text and "EX3 1GH" in text

    def test_goes_back_to_where_the_user_came_from(self, client, login_as, applicant, asset):
        login_as(applicant)
        response = client.post(f"/organisations/new?next=/assets/{asset.id}", data=GOOD)
        assert response.headers["Location"] == f"/assets/{asset.id}"
        response = client.post("/organisations/new?next=https://evil.example/", data=GOOD)
        assert response.headers["Location"].startswith("/organisations/")

    def test_missing_answers(self, client, login_as, applicant):
        login_as(applicant)
        response = client.post("/organisations/new", data={})
        assert response.status_code == 200
        messages = error_summary(response)
        assert "Enter name of the organisation" in messages
        assert "Select legal form" in messages
        assert "Enter postcode" in messages
        # In form order, each linking to its field (radios to their first option).
        links = error_links(response)
        assert links[:2] == ["#name", "#legal_form"]
        assert inline_error(response, "member_count") == "Enter number of members"
        assert "<title>Error: Register your organisation" in response.get_data(as_text=True)
        assert only("Eastfield Community Trust") is None

    @pytest.mark.parametrize("field, value, message", [
        ("postcode", "not a postcode", "Postcode must be a full UK postcode, like EH1 1YZ"),
        ("member_count", "lots", "Number of members must be a number"),
        ("member_count", "12.5", "Enter a whole number"),
        ("name", "x" * 201, "Must be 200 characters or fewer"),
        ("name", "x" * 501, "Name of the organisation must be 500 characters or fewer"),
        ("local_voter_member_count", "500", "Cannot be more than the number of members"),
        ("legal_form", "pirate_ship", "Select legal form from the list"),
        ("community_defined", "maybe", ("Select yes or no for does your written constitution "
                                       "define the community the body serves")),
    ])
    def test_bad_answers(self, client, login_as, applicant, field, value, message):
        login_as(applicant)
        response = client.post("/organisations/new", data=GOOD | {field: value})
        assert response.status_code == 200
        assert inline_error(response, field) == message
        assert only("Eastfield Community Trust") is None

    def test_council_staff_cannot_register_one(self, client, login_as, officer):
        login_as(officer)
        assert client.post("/organisations/new", data=GOOD).status_code == 403


class TestChange:
    def test_form_is_filled_in_and_saves(self, client, login_as, applicant, organisation):
        login_as(applicant)
        html = client.get(f"/organisations/{organisation.id}/edit").get_data(as_text=True)
        assert 'value="Friends of Riverside"' in html
        assert re.search(r'value="scio" checked', html)
        assert re.search(r'name="open_membership" type="radio" value="yes" checked', html)
        data = GOOD | {"name": "Friends of Riverside Park", "open_membership": "no"}
        response = client.post(f"/organisations/{organisation.id}/edit", data=data)
        assert response.status_code == 302
        db.session.refresh(organisation)
        assert organisation.name == "Friends of Riverside Park"
        assert organisation.open_membership is False

    def test_errors(self, client, login_as, applicant, organisation):
        login_as(applicant)
        response = client.post(f"/organisations/{organisation.id}/edit",
                               data=GOOD | {"address": ""})
        assert inline_error(response, "address") == "Enter address"

    def test_someone_elses_organisation_is_404(self, client, login_as, outsider, organisation):
        login_as(outsider)
        for url in ("", "/edit", "/eligibility", "/members"):
            assert client.get(f"/organisations/{organisation.id}{url}").status_code == 404, url
        assert client.post(f"/organisations/{organisation.id}/edit", data=GOOD).status_code == 404


class TestEligibility:
    def test_a_community_controlled_scio_can_use_every_route(self, client, login_as, applicant,
                                                             organisation, page):
        login_as(applicant)
        text = page(client.get(f"/organisations/{organisation.id}/eligibility"))
        assert text.count("Can apply") == 3

    def test_says_what_is_missing_in_plain_words(self, client, login_as, applicant, make, page):
        group = make.OrganisationFactory(lead=applicant, unincorporated=True, member_count=10,
                                         local_voter_member_count=5, open_membership=False)
        db.session.commit()
        login_as(applicant)
        text = page(client.get(f"/organisations/{group.id}/eligibility"))
        assert "Cannot apply yet" in text
        assert ("Your organisation must be able to answer yes to: Is membership open to anyone "
                "in that community?") in text
        assert "needs at least 21 members registered to vote in the area; yours has 5" in text
        assert "For ownership:" in text

    def test_the_organisation_page_sums_it_up(self, client, login_as, applicant, organisation,
                                              page):
        login_as(applicant)
        text = page(client.get(f"/organisations/{organisation.id}"))
        assert "Community asset transfer: your organisation can apply" in text


class TestMembers:
    def test_lead_contact_adds_a_member(self, client, login_as, applicant, organisation, make,
                                        page):
        newcomer = make.UserFactory(email="newcomer@example.org", name="Nia Newcomer")
        db.session.commit()
        login_as(applicant)
        response = client.post(f"/organisations/{organisation.id}/members",
                               data={"email": "NEWCOMER@example.org "})
        assert response.status_code == 302
        assert organisation.has_member(newcomer)
        text = page(client.get(response.headers["Location"]))
        assert "Nia Newcomer can now act for Friends of Riverside" in text
        assert "Lead contact" in text and "newcomer@example.org" in text

    @pytest.mark.parametrize("email, message", [
        ("", "Enter the email address of the person to add"),
        ("nobody@example.org", ("Ask them to create an account first, then add them with the "
                               "email they used")),
    ])
    def test_errors(self, client, login_as, applicant, organisation, email, message):
        login_as(applicant)
        response = client.post(f"/organisations/{organisation.id}/members", data={"email": email})
        assert response.status_code == 200
        assert inline_error(response, "email") == message

    def test_already_a_member(self, client, login_as, applicant, organisation):
        login_as(applicant)
        response = client.post(f"/organisations/{organisation.id}/members",
                               data={"email": applicant.email})
        assert "is already a member" in inline_error(response, "email")

    def test_only_the_lead_contact_can_add(self, client, login_as, applicant, organisation, make):
        from assettransfer.models import Membership

        member = make.UserFactory()
        organisation.memberships.append(Membership(user=member))
        db.session.commit()
        login_as(member)
        html = client.get(f"/organisations/{organisation.id}/members").get_data(as_text=True)
        assert 'name="email"' not in html and "ask your lead contact" in html
        response = client.post(f"/organisations/{organisation.id}/members",
                               data={"email": applicant.email})
        assert response.status_code == 403



class TestLeadContact:
    """The lead contact hands the role to another member; a council admin reassigns it when the
    lead has left. Both leads are told; the account trail records who did it."""

    @pytest.fixture
    def member(self, make, organisation):
        from assettransfer.models import Membership

        member = make.UserFactory(name="Bea Member", email="bea@example.org")
        organisation.memberships.append(Membership(user=member))
        db.session.commit()
        return member

    @staticmethod
    def told() -> dict[str, str]:
        """The lead_contact_changed messages: address -> body."""
        from assettransfer.models import Message

        return {m.to_address: m.body for m in db.session.scalars(
            sa.select(Message).where(Message.kind == "lead_contact_changed"))}

    @staticmethod
    def trail() -> list:
        from assettransfer.models import AccountEvent

        return list(db.session.scalars(sa.select(AccountEvent).where(
            AccountEvent.event == "lead_contact_changed")))

    def hand_to(self, client, organisation, user_id):
        return client.post(f"/organisations/{organisation.id}/lead",
                           data={"member": str(user_id)})

    def test_the_lead_hands_over_and_both_are_told(self, client, login_as, applicant,
                                                   organisation, member, page):
        login_as(applicant)
        assert "Hand over the lead contact role" in page(
            client.get(f"/organisations/{organisation.id}/members"))
        response = self.hand_to(client, organisation, member.id)
        assert response.headers["Location"] == f"/organisations/{organisation.id}/members"
        assert "Bea Member is now the lead contact for Friends of Riverside" in page(
            client.get(response.location))
        db.session.refresh(organisation)
        assert organisation.lead_contact.id == member.id
        assert organisation.has_member(applicant)  # the old lead stays a member
        told = self.told()
        assert set(told) == {applicant.email, member.email}
        assert "You are now the lead contact for Friends of Riverside" in told[member.email]
        assert "Bea Member is now the lead contact" in told[applicant.email]
        [event] = self.trail()
        assert (event.user_id, event.by_user_id) == (member.id, applicant.id)
        assert event.details == {"organisation_id": organisation.id,
                                 "previous_lead_id": applicant.id, "how": "handed_over"}

    def test_a_member_who_is_not_the_lead_is_refused(self, client, login_as, applicant,
                                                     organisation, member, page):
        login_as(member)
        assert "Hand over" not in page(client.get(f"/organisations/{organisation.id}/members"))
        assert self.hand_to(client, organisation, member.id).status_code == 403
        db.session.refresh(organisation)
        assert organisation.lead_contact.id == applicant.id
        assert self.told() == {} and self.trail() == []

    def test_council_staff_other_than_admins_are_refused(self, client, login_as, officer,
                                                         organisation, member):
        login_as(officer)
        assert self.hand_to(client, organisation, member.id).status_code == 403
        assert self.trail() == []

    def test_an_admin_reassigns_it_audited(self, client, login_as, make, applicant,
                                           organisation, member, page):
        admin = make.UserFactory(admin=True, name="Ada Admin")
        login_as(admin)
        # From the user admin pages to the organisation's members.
        history = client.get(f"/council/users/{applicant.id}/history").get_data(as_text=True)
        assert f'href="/organisations/{organisation.id}/members"' in history
        assert "Reassign the lead contact" in page(
            client.get(f"/organisations/{organisation.id}/members"))
        assert self.hand_to(client, organisation, member.id).status_code == 302
        db.session.refresh(organisation)
        assert organisation.lead_contact.id == member.id
        [event] = self.trail()
        assert (event.user_id, event.by_user_id) == (member.id, admin.id)
        assert event.details["how"] == "reassigned_by_admin"
        told = self.told()
        assert set(told) == {applicant.email, member.email}
        assert all("the council made this change" in body for body in told.values())

    @pytest.mark.parametrize("chosen, message", [
        (None, "Select the member who will be the lead contact"),
        ("outsider", "Choose a member of the organisation"),
        ("applicant", "is already the lead contact"),
        ("unconfirmed", "must confirm their email address first"),
    ])
    def test_a_choice_that_cannot_be_made_is_explained(
            self, client, login_as, make, applicant, organisation, member, outsider, chosen,
            message):
        from assettransfer.models import Membership

        unconfirmed = make.UserFactory(unconfirmed=True)
        organisation.memberships.append(Membership(user=unconfirmed))
        db.session.commit()
        login_as(applicant)
        ids = {"outsider": outsider.id, "applicant": applicant.id, "unconfirmed": unconfirmed.id}
        response = client.post(f"/organisations/{organisation.id}/lead",
                               data={"member": str(ids[chosen])} if chosen else {})
        assert response.status_code == 200
        assert message in (inline_error(response, "member") or "")
        db.session.refresh(organisation)
        assert organisation.lead_contact.id == applicant.id
        assert self.told() == {}

class TestIndex:
    def test_lists_the_users_organisations(self, client, login_as, applicant, organisation,
                                           outsider, page):
        login_as(applicant)
        text = page(client.get("/organisations/"))
        assert "Friends of Riverside" in text and "Another Group" not in text

    def test_none_yet(self, client, login_as, applicant, page):
        login_as(applicant)
        text = page(client.get("/organisations/"))
        assert "You are not a member of any organisation yet" in text
