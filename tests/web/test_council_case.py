"""The case page, internal notes and workflow actions as council staff take them in the browser."""

import html
import re

import pyotp
import pytest

from assettransfer.documents.service import current_legal_pack
from assettransfer.extensions import db
from assettransfer.models import Role
from assettransfer.workflow.calendar import uk_today
from tests.factories import PASSWORD
from tests.web.test_account import error_summary
from tests.workflow.conftest import (  # noqa: F401
    AT_BEST_CONSIDERATION,
    act,
    asset,
    new_application,
    people,
    walk,
)
from tests.workflow.test_council_cat import assess


def case_url(application, tail=""):
    return f"/council/applications/{application.id}{tail}"


def action_url(application, action):
    return case_url(application, f"/actions/{action}")


def post_action(client, application, action, **data):
    data.setdefault("version", application.version)
    return client.post(action_url(application, action), data=data)


def text(response) -> str:
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))).strip()


@pytest.fixture
def eoi(new_application, people, act):  # noqa: F811
    application = new_application("council-cat")
    act(people.applicant, application, "submit_eoi")
    return application


class TestCasePage:
    def test_summary_answers_deadlines_documents_and_timeline(
            self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        response = client.get(case_url(eoi))
        assert response.status_code == 200
        page = text(response)
        assert eoi.reference in page and eoi.asset.name in page
        assert people.organisation.name in page and "Community asset transfer" in page
        assert "Stage Expression of interest received" in page
        # Answers by section, labelled from the form; a choice shows its option's label.
        assert "Your idea" in page and "What do you want to do with it?" in page
        assert "What kind of transfer are you asking for?" in page
        assert re.search(r"What kind of transfer are you asking for\? "
                         r"(Lease|Freehold \(ownership\)|Licence to use)", page)
        # Deadlines with their rule, the stage diagram, documents and the timeline.
        assert "Council's response to the expression of interest" in page
        assert "20 working days beginning with" in page
        assert "Current stage" in page
        assert "Acknowledgement of your expression of interest" in page
        assert "Send expression of interest" in page  # the timeline entry
        assert "Ann Lead (Applicant)" in page

    def test_actions_come_from_the_workflow_for_the_role(
            self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        body = client.get(case_url(eoi)).get_data(as_text=True)
        assert f'href="{action_url(eoi, "accept_eoi")}"' in body
        assert f'href="{action_url(eoi, "decline_eoi")}"' in body
        client.post("/account/sign-out")
        login_as(people.decision_maker)
        page = text(client.get(case_url(eoi)))
        assert "Your role has nothing to do at this stage." in page

    def test_blocked_actions_say_why(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("council-cat"), "assessment")
        assess(application, people.officer)
        login_as(people.officer)
        page = text(client.get(case_url(application)))
        assert "Make recommendation" in page
        assert "At least 2 officers must have scored every criterion; so far 1" in page

    def test_unknown_application_is_404_and_applicants_are_refused(
            self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        assert client.get("/council/applications/999999").status_code == 404
        client.post("/account/sign-out")
        login_as(people.applicant)
        assert client.get(case_url(eoi)).status_code == 403


class TestNotes:
    def test_add_a_note(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.legal)
        response = client.post(case_url(eoi, "/notes"), data={"text": "Title has a covenant."})
        assert response.status_code == 302 and response.location.endswith("#notes")
        page = text(client.get(case_url(eoi)))
        assert "Title has a covenant." in page and "Internal notes (1)" in page
        assert "Your note has been added." in page

    def test_a_blank_note_is_refused(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        response = client.post(case_url(eoi, "/notes"), data={"text": "  "})
        assert response.status_code == 200
        assert error_summary(response) == ["Enter the note"]
        assert "Internal notes (0)" in text(response)


class TestActionPage:
    def test_form_from_the_action_fields(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        page = text(client.get(action_url(eoi, "decline_eoi")))
        assert "Decline expression of interest" in page and "Reasons" in page
        assert "This cannot be undone." in page  # the confirm text, before the checkbox
        assert "Yes, decline expression of interest" in page

    def test_required_data_and_confirmation(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        response = post_action(client, eoi, "decline_eoi")
        assert response.status_code == 200
        reasons, confirm = error_summary(response)
        assert reasons == "Enter reasons" and confirm.startswith("Tick the box to confirm")
        assert eoi.state == "eoi_submitted"

    def test_taking_an_action(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        response = post_action(client, eoi, "decline_eoi", reasons="The hall is to be sold.",
                               confirmed="y")
        assert response.status_code == 302 and response.location == case_url(eoi)
        assert eoi.state == "eoi_declined"
        assert "Done: Decline expression of interest." in text(client.get(case_url(eoi)))

    def test_a_stale_page_changes_nothing(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        stale = eoi.version
        eoi.answers = {**eoi.answers}  # someone else changes the case meanwhile
        eoi.updated_at = eoi.updated_at.replace(microsecond=1)
        db.session.commit()
        assert eoi.version != stale
        response = post_action(client, eoi, "accept_eoi", version=stale, message="Go ahead")
        assert response.status_code == 409
        assert ("Someone else changed this application after you opened this page, "
                "so nothing was saved") in text(response)
        assert eoi.state == "eoi_submitted"

    def test_a_blocked_action_shows_the_guard_and_is_refused(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("council-cat"), "assessment")
        assess(application, people.officer)
        login_as(people.officer)
        page = client.get(action_url(application, "recommend"))
        assert "At least 2 officers must have scored every criterion; so far 1" in text(page)
        assert 'name="recommendation"' not in page.get_data(as_text=True)
        response = post_action(client, application, "recommend", recommendation="approve",
                               summary="Good.")
        assert response.status_code == 200
        assert error_summary(response) == [
            "At least 2 officers must have scored every criterion; so far 1"]
        assert application.state == "assessment"

    def test_bad_field_values_are_put_on_the_field(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("council-cat"), "recommended")
        login_as(people.decision_maker)
        response = post_action(client, application, "approve", transfer_type="lease",
                               rent_or_price="a lot", conditions="Use.", reasons="Fine.",
                               confirmed="y", **AT_BEST_CONSIDERATION)
        assert response.status_code == 200
        assert error_summary(response) == [
            "Rent per year or price must be an amount in pounds, like 1500 or 1500.50"]

    def test_wrong_role_unknown_and_out_of_stage_actions(
            self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        assert client.get(action_url(eoi, "approve")).status_code == 403
        assert client.get(action_url(eoi, "no_such_thing")).status_code == 404
        assert client.get(action_url(eoi, "mark_overdue")).status_code == 404  # scotland only
        response = client.get(action_url(eoi, "start_assessment"))
        assert response.status_code == 302 and response.location == case_url(eoi)
        assert "cannot be taken at this stage" in text(client.get(case_url(eoi)))
        # A POST is the service's to refuse, in words.
        refused = post_action(client, eoi, "start_assessment")
        assert error_summary(refused) == ["“Start assessment” is not possible from this stage"]


class TestDecision:
    def test_decision_maker_reads_the_recommendation_and_report_first(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("council-cat"), "recommended",
                           data={"recommend": {"summary": "Scores 73%."}})
        login_as(people.decision_maker)
        response = client.get(action_url(application, "approve"))
        page = text(response)
        assert "Recommendation Made by Owen Officer" in page
        assert "Recommendation Approve" in page and "Scores 73%." in page
        assert "Assessment report (version 1, PDF)" in page
        assert re.search(r'href="/files/documents/\d+"', response.get_data(as_text=True))
        response = post_action(client, application, "approve", transfer_type="lease",
                               term_years="25", rent_or_price="1", conditions="Community use.",
                               reasons="Meets the policy.", confirmed="y", **AT_BEST_CONSIDERATION)
        assert response.status_code == 302
        assert application.state == "heads_of_terms" and application.terms["term_years"] == 25

    def test_someone_who_assessed_cannot_decide(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("council-cat"), "recommended")
        people.officer2.role = Role.DECISION_MAKER
        db.session.commit()
        login_as(people.officer2)
        page = text(client.get(action_url(application, "refuse")))
        assert "You assessed or recommended this case, so someone else must decide it" in page
        response = post_action(client, application, "refuse", reasons="No.", confirmed="y")
        assert error_summary(response) == [
            "You assessed or recommended this case, so someone else must decide it"]
        assert application.state == "recommended"


@pytest.fixture
def drafting(new_application, people, act, walk):  # noqa: F811
    application = walk(new_application("council-cat"), "recommended")
    act(people.decision_maker, application, "approve", transfer_type="lease", term_years=25,
        rent_or_price="1", conditions="Community use only.", reasons="Meets the policy.",
        **AT_BEST_CONSIDERATION)
    return application


class TestLegal:
    def test_revise_heads_of_terms_starts_from_the_current_terms(
            self, client, login_as, people, drafting):  # noqa: F811
        login_as(people.legal)
        body = client.get(action_url(drafting, "revise_heads_of_terms")).get_data(as_text=True)
        assert re.search(r'value="lease"\s+checked', body) or 'value="lease" checked' in body
        assert 'value="1.00"' in body and "Community use only." in body
        assert "Meets the policy." not in body  # each revision gives its own reasons
        response = post_action(client, drafting, "revise_heads_of_terms", transfer_type="lease",
                               term_years="30", rent_or_price="1", conditions="Community use.",
                               reasons="The group asked for 30 years.", **AT_BEST_CONSIDERATION)
        assert response.status_code == 302
        assert drafting.terms["term_years"] == 30 and drafting.state == "heads_of_terms"

    def test_issue_view_sign_and_complete(self, client, login_as, people, drafting, act):  # noqa: F811
        act(people.applicant, drafting, "agree_heads_of_terms")
        login_as(people.legal)
        assert post_action(client, drafting, "issue_legal_pack").status_code == 302
        pack = current_legal_pack(drafting)
        page = text(client.get(case_url(drafting, "/legal-pack")))
        assert pack.sha256 in page and "What the pack contains" in page
        assert "Heads of terms" in page and "Decision notice" in page
        assert pack.manifest["items"][0]["sha256"] in page
        assert "Nobody has signed this version yet." in page

        sign_page = client.get(action_url(drafting, "sign")).get_data(as_text=True)
        assert f'value="{pack.sha256}"' in sign_page
        wrong = post_action(client, drafting, "sign", pack_sha256=pack.sha256,
                            full_name="Lee Gal", password="not my password", confirmed="y")
        assert error_summary(wrong) == ["The password is not right"]
        blocked = text(client.get(action_url(drafting, "complete")))
        assert "The applicant's lead contact has not signed the current legal pack" in blocked
        # Legal use two-factor sign-in, so signing asks for a code from their app too.
        people.legal.totp_secret = pyotp.random_base32()
        people.legal.two_factor_enabled_at = people.legal.created_at
        db.session.commit()
        no_code = post_action(client, drafting, "sign", pack_sha256=pack.sha256,
                              full_name="Lee Gal", password=PASSWORD, confirmed="y")
        assert error_summary(no_code) == [
            "Enter a correct code from your authenticator app, or an unused recovery code"]
        assert post_action(client, drafting, "sign", pack_sha256=pack.sha256, full_name="Lee Gal",
                           password=PASSWORD, code=pyotp.TOTP(people.legal.totp_secret).now(),
                           confirmed="y").status_code == 302
        act(people.applicant, drafting, "sign", pack_sha256=pack.sha256, full_name="Ann Lead",
            password=PASSWORD)
        page = text(client.get(case_url(drafting, "/legal-pack")))
        assert "Lee Gal (Legal)" in page and "Ann Lead (Applicant)" in page
        assert post_action(client, drafting, "complete", confirmed="y").status_code == 302
        assert drafting.state == "completed"

    def test_no_pack_yet(self, client, login_as, people, drafting):  # noqa: F811
        login_as(people.legal)
        page = text(client.get(case_url(drafting, "/legal-pack")))
        assert "No legal pack has been issued for this application yet." in page


class TestDatesAndPrivacy:
    def test_a_date_field_and_a_date_guard(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        from datetime import timedelta

        application = walk(new_application("scotland-atr"), "submitted")
        login_as(people.officer)
        page = text(client.get(action_url(application, "validate")))
        assert "Validation date" in page and "Day" in page and "Year" in page
        future = uk_today() + timedelta(days=3)
        response = post_action(client, application, "validate", s84_position="barred",
                               validation_date=[str(future.day), str(future.month),
                                                str(future.year)])
        assert error_summary(response)[0].startswith("The date must be today or earlier")
        response = post_action(client, application, "validate", s84_position="barred",
                               validation_date=["31", "2", "2026"])
        assert error_summary(response) == ["Validation date must be a real date"]
        today = uk_today()
        response = post_action(client, application, "validate", s84_position="barred",
                               validation_date=[str(today.day), str(today.month), str(today.year)])
        assert response.status_code == 302 and application.state == "validated"

    def test_notes_never_reach_the_group(self, client, login_as, people, eoi):  # noqa: F811
        login_as(people.officer)
        client.post(case_url(eoi, "/notes"), data={"text": "Keep this between us."})
        client.post("/account/sign-out")
        login_as(people.applicant)
        page = text(client.get(f"/applications/{eoi.id}"))
        assert eoi.reference in page
        assert "Keep this between us." not in page and "Internal note" not in page


class TestScottishRules:
    def test_the_appeal_period_after_a_review_on_the_case_page(
            self, client, login_as, people, new_application, walk, act, make):  # noqa: F811
        from datetime import date

        application = walk(new_application("scotland-atr"), "recommended")
        act(people.decision_maker, application, "refuse", reasons="Needed for a school.",
            on=date(2026, 11, 2))
        act(people.applicant, application, "request_review", reasons="r", procedure="written",
            on=date(2026, 11, 3))
        councillor = make.UserFactory(decision_maker=True)
        act(councillor, application, "review_refuse", review_outcome="confirmed",
            reasons="The school needs it.", on=date(2026, 11, 27))
        login_as(people.officer)
        page = text(client.get(case_url(application)))
        assert ("Period to appeal after a review Tuesday 29 December 2026 20 working days "
                "beginning with 27 November 2026, Scottish bank holidays excluded "
                "(s88; SSI 2016/359 regs 3(2) and 11)") in page
        assert "Review decision notice" in page and "Confirms it (s86(5)(a))" in page
        assert "Record an appeal to the Scottish Ministers" in page

    def test_a_live_scottish_request_blocks_approval_by_name(
            self, client, login_as, people, new_application, walk, make, asset):  # noqa: F811
        from tests.workflow.test_scotland_land import scottish_request

        cat = walk(new_application("council-cat"), "recommended")
        lead = make.UserFactory(name="Una Other")
        request = scottish_request(asset, make.OrganisationFactory(lead=lead), lead)
        login_as(people.decision_maker)
        page = text(client.get(action_url(cat, "approve")))
        assert f"asset transfer request {request.reference}" in page
        assert "Section 84 of the Community Empowerment (Scotland) Act 2015" in page
        response = post_action(client, cat, "approve", transfer_type="lease", term_years="25",
                               rent_or_price="1", conditions="c", reasons="r", confirmed="y",
                               **AT_BEST_CONSIDERATION)
        assert request.reference in error_summary(response)[0]
        assert cat.state == "recommended"

    def test_a_repeat_request_may_be_declined_only_when_section_93_applies(
            self, client, login_as, people, new_application, walk):  # noqa: F811
        application = walk(new_application("scotland-atr"), "submitted")
        login_as(people.officer)
        page = text(client.get(action_url(application, "decline_repeat_request")))
        assert ("Section 93 does not apply: no request for the same land and the same type of "
                "transfer (lease) was refused within the two years before this one") in page
        assert "Reference of the earlier refused request" not in page
