"""Officers' assessments (scored for council-cat, findings only for scotland-atr) and
representations on Scottish asset transfer requests."""

import re

import pytest

from assettransfer.extensions import db
from assettransfer.models import Assessment, Representation
from assettransfer.walks import GOOD_SCORES
from assettransfer.workflow.calendar import uk_today
from tests.web.test_account import error_summary
from tests.web.test_council_case import text
from tests.workflow.conftest import act, asset, new_application, people, walk  # noqa: F401

CRITERIA = list(GOOD_SCORES)


def url(application, tail="/assessment"):
    return f"/council/applications/{application.id}{tail}"


def scores_form(scores: dict, comments: dict | None = None) -> dict:
    data = {f"score_{name}": str(score) for name, score in scores.items()}
    data |= {f"comment_{name}": comment for name, comment in (comments or {}).items()}
    return data


@pytest.fixture
def assessing(new_application, walk):  # noqa: F811
    return walk(new_application("council-cat"), "assessment")


class TestScoredAssessment:
    def test_criteria_with_guidance_and_0_to_5_radios(
            self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.officer)
        response = client.get(url(assessing))
        body = response.get_data(as_text=True)
        page = text(response)
        assert "Community benefit (weight 30)" in page
        assert "How the community will benefit" in page  # the guidance
        for score in range(6):
            assert f'name="score_community_benefit" type="radio" value="{score}"' in body
        assert "pass mark of 60%" in page
        assert "No officer has recorded an assessment yet." in page

    def test_save_own_assessment_and_see_the_weighted_total(
            self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.officer)
        response = client.post(url(assessing), data=scores_form(
            GOOD_SCORES, {"community_benefit": "Strong letters of support."}))
        assert response.status_code == 302
        saved = db.session.scalar(db.select(Assessment))
        assert saved.scores == GOOD_SCORES and saved.assessor_id == people.officer.id
        page = text(client.get(url(assessing)))
        # (4*30 + 3*25 + 4*20 + 3*15 + 4*10) / (5*100) = 360/500
        assert "Your weighted total so far: 72% (pass mark 60%)" in page
        assert "Strong letters of support." in page
        body = client.get(url(assessing)).get_data(as_text=True)
        assert re.search(r'value="4"\s+checked', body) or 'value="4" checked' in body

    def test_partial_scores_are_kept_but_marked_incomplete(
            self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.officer)
        client.post(url(assessing), data=scores_form({"community_benefit": 5}))
        page = text(client.get(url(assessing)))
        assert "Incomplete" in page and "Not every assessment is complete yet." in page

    def test_a_bad_score_is_put_on_its_criterion(
            self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.officer)
        response = client.post(url(assessing), data=scores_form({"community_benefit": 7}))
        assert response.status_code == 200
        assert error_summary(response) == [
            "Score “Community benefit” with a whole number from 0 to 5"]
        assert db.session.scalar(db.select(Assessment)) is None

    def test_side_by_side_with_the_average_against_the_pass_mark(
            self, client, login_as, people, assessing):  # noqa: F811
        for officer, scores in ((people.officer, GOOD_SCORES),
                                (people.officer2, dict.fromkeys(CRITERIA, 2))):
            login_as(officer)
            assert client.post(url(assessing), data=scores_form(scores)).status_code == 302
            client.post("/account/sign-out")
        login_as(people.decision_maker)
        response = client.get(url(assessing))
        page = text(response)
        assert "Scores side by side" in page
        assert "Owen Officer" in page and "Olga Officer" in page
        assert "Weighted total 72% 40%" in page
        assert "Average of the officers’ totals: 56% against a pass mark of 60%" in page
        assert "Below the pass mark" in page
        assert 'name="score_community_benefit"' not in response.get_data(as_text=True)

    def test_only_officers_may_save(self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.decision_maker)
        assert client.post(url(assessing), data=scores_form(GOOD_SCORES)).status_code == 403
        assert db.session.scalar(db.select(Assessment)) is None

    def test_not_before_the_assessment_stage(
            self, client, login_as, people, new_application, act):  # noqa: F811
        application = new_application("council-cat")
        act(people.applicant, application, "submit_eoi")
        login_as(people.officer)
        page = text(client.get(url(application)))
        assert "Officers record their assessments while the application is being assessed." in page
        response = client.post(url(application), data=scores_form(GOOD_SCORES))
        assert error_summary(response) == ["Assessments can only be recorded during assessment"]


@pytest.fixture
def atr(new_application, walk):  # noqa: F811
    """A Scottish request, validated and open for representations."""
    return walk(new_application("scotland-atr"), "representations")


class TestFindingsOnly:
    def test_no_scores_only_findings(self, client, login_as, people, atr, walk):  # noqa: F811
        walk(atr, "assessment")
        login_as(people.officer)
        response = client.get(url(atr))
        body, page = response.get_data(as_text=True), text(response)
        assert 'type="radio"' not in body and "pass mark" not in page
        assert "Findings on economic development" in page
        response = client.post(url(atr), data={"comment_economic_development": "Two new jobs."})
        assert response.status_code == 302
        page = text(client.get(url(atr)))
        assert "Findings side by side" in page and "Two new jobs." in page
        assert "Weighted total" not in page


class TestRepresentations:
    def test_record_and_list(self, client, login_as, people, atr):  # noqa: F811
        login_as(people.officer)
        today = uk_today()
        response = client.post(url(atr, "/representations"), data={
            "from_name": "Mrs Neighbour", "received_on": [str(today.day), str(today.month),
                                                          str(today.year)],
            "text": "Worried about parking."})
        assert response.status_code == 302
        page = text(client.get(url(atr, "/representations")))
        assert "Mrs Neighbour" in page and "Worried about parking." in page
        assert f"Received {today.day} " in page
        assert "The representation from Mrs Neighbour has been recorded." in page

    @pytest.mark.parametrize("data, errors", [
        ({}, ["Enter who made the representation", "Enter the date it was received",
              "Enter the representation"]),
        ({"from_name": "A", "received_on": ["31", "2", "2026"], "text": "x"},
         ["Date received must be a real date"]),
        ({"from_name": "A", "received_on": ["1", "1", str(uk_today().year + 1)], "text": "x"},
         ["The date received cannot be in the future"]),
    ])
    def test_bad_input(self, client, login_as, people, atr, data, errors):  # noqa: F811
        login_as(people.officer)
        response = client.post(url(atr, "/representations"), data=data)
        assert response.status_code == 200
        assert error_summary(response) == errors
        assert db.session.scalar(db.select(Representation)) is None

    def test_not_open_for_representations(
            self, client, login_as, people, assessing):  # noqa: F811
        login_as(people.officer)
        page = text(client.get(url(assessing, "/representations")))
        assert "No representations have been recorded." in page
        assert "Record a representation" not in page
        today = uk_today()
        response = client.post(url(assessing, "/representations"), data={
            "from_name": "A", "received_on": [str(today.day), str(today.month), str(today.year)],
            "text": "x"})
        assert error_summary(response) == ["This application is not open for representations"]
