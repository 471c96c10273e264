"""council-cat: the disposal of open space by a council in England or Wales is advertised in two
consecutive weeks and the objections considered before the decision (Local Government Act 1972
s123(2A)); land that is not open space, and councils elsewhere, need none of it."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from assettransfer import walks
from assettransfer.documents import read_document
from assettransfer.extensions import db
from assettransfer.models import AssetType, Deadline, Document
from assettransfer.services.disposal import advertisement_last_day, in_consecutive_weeks
from assettransfer.services.errors import ValidationFailed
from tests.documents.conftest import pdf_text

D = date
# A decision that needs the General Disposal Consent (England) 2003, as a council in England
# takes it; Wales relies on its own 2003 consent.
DECISION = {"transfer_type": "lease", "term_years": 25, "rent_or_price": "1",
            "conditions": "Community use.", "reasons": "Meets the policy.",
            "market_value": "250000", "consideration_value": "0",
            "disposal_consent": "general_consent_england", "wellbeing": "A hub for the ward."}
LOCAL_DECISION = {**DECISION, "disposal_consent": "local_basis",
                  "local_basis": "The basis in the council's own law."}
ADVERT = {"newspaper": "Exampletown Gazette", "first_published_on": D(2027, 1, 7),
          "second_published_on": D(2027, 1, 14), "objections_by": D(2027, 1, 20)}
CONSIDERED = {"objections_received": 2, "objections": "Two neighbours: loss of the play area.",
              "consideration": "The lease keeps the play area open to all."}
NOT_ADVERTISED = ("Riverside Park is open space: advertise the intended disposal in two "
                  "consecutive weeks in a newspaper circulating in the area, and consider any "
                  "objections, before deciding (Local Government Act 1972 s123(2A))")


@pytest.fixture
def nation():
    """The authority's nation, whose law and calendar council-cat follows (see conftest)."""
    return "england"


@pytest.fixture
def recommended(make, people, act, walk):
    """An application for land of ``asset_type`` scored by two officers and recommended, with no
    open-space step taken."""

    def build(asset_type=AssetType.PARK, name="Riverside Park"):
        asset = make.AssetFactory(asset_type=asset_type, name=name)
        application = walks.begin(people.applicant, "council-cat", asset, people.organisation)
        db.session.commit()
        walk(application, "assessment", then=2)  # the two officers' assessments
        act(people.officer, application, "recommend", recommendation="approve", summary="72%.")
        return application

    return build


def refusal(act, user, application, action, **data):
    with pytest.raises(ValidationFailed) as refused:
        act(user, application, action, **data)
    return [error.message for error in refused.value.errors]


@pytest.mark.parametrize("nation, consent", [("england", "general_consent_england"),
                                             ("wales", "general_consent_wales")])
def test_open_space_is_not_approved_before_its_advertisement(recommended, people, act, consent):
    application = recommended()
    decision = {**DECISION, "disposal_consent": consent}
    assert refusal(act, people.decision_maker, application, "approve",
                   **decision) == [NOT_ADVERTISED]
    act(people.decision_maker, application, "refuse", reasons="Refusing disposes of nothing.")
    assert application.state == "refused"


def test_the_advertisement_runs_then_objections_are_considered_then_the_decision(
        recommended, people, act):
    application = recommended()
    on = D(2027, 1, 15)
    # The closing date may not fall before the week of the second publication has run.
    assert refusal(act, people.officer, application, "advertise_disposal", on=on,
                   **{**ADVERT, "objections_by": D(2027, 1, 19)}) == [
        "The closing date for objections must be 20 January 2027 or later, when the week of the "
        "second publication ends"]
    act(people.officer, application, "advertise_disposal", on=on, **ADVERT)
    objections = db.session.scalar(select(Deadline).where(Deadline.name == "objections"))
    assert (objections.starts_on, objections.due_on) == (on, D(2027, 1, 20))
    assert objections.rule == ("the date the council set (Local Government Act 1972 s123(2A), "
                               "the closing date in the advertisement)")

    # On the closing date objections may still be made: nothing can be considered or decided.
    last_day = D(2027, 1, 20)
    assert refusal(act, people.officer, application, "consider_objections", on=last_day,
                   **CONSIDERED) == [
        "The objection period for the disposal of open space runs until 20 January 2027"]
    assert refusal(act, people.decision_maker, application, "approve", on=last_day,
                   **DECISION) == [
        "The objection period for the disposal of open space runs until 20 January 2027",
        "Record the objections received and how they were considered"]

    day_after = last_day + timedelta(days=1)
    assert refusal(act, people.decision_maker, application, "approve", on=day_after,
                   **DECISION) == ["Record the objections received and how they were considered"]
    act(people.officer, application, "consider_objections", on=day_after, **CONSIDERED)
    assert objections.met_at is not None
    act(people.decision_maker, application, "approve", on=day_after, **DECISION)
    assert application.state == "heads_of_terms"


def test_a_new_advertisement_needs_its_objections_considered_again(recommended, people, act):
    application = recommended()
    act(people.officer, application, "advertise_disposal", on=D(2027, 1, 15), **ADVERT)
    act(people.officer, application, "consider_objections", on=D(2027, 1, 21), **CONSIDERED)
    again = {"first_published_on": D(2027, 1, 28), "second_published_on": D(2027, 2, 4),
             "objections_by": D(2027, 2, 18)}
    act(people.officer, application, "advertise_disposal", on=D(2027, 2, 5),
        **{**ADVERT, **again})
    assert refusal(act, people.decision_maker, application, "approve", on=D(2027, 2, 19),
                   **DECISION) == ["Record the objections received and how they were considered"]
    act(people.officer, application, "consider_objections", on=D(2027, 2, 19), **CONSIDERED)
    act(people.decision_maker, application, "approve", on=D(2027, 2, 19), **DECISION)
    assert application.state == "heads_of_terms"


def test_publication_dates_may_not_be_in_the_future(recommended, people, act):
    application = recommended()
    assert refusal(act, people.officer, application, "advertise_disposal", on=D(2027, 1, 13),
                   **ADVERT) == ["The date must be today or earlier, not 14 January 2027"]


@pytest.mark.parametrize("first, second, consecutive", [
    (D(2027, 1, 4), D(2027, 1, 11), True),  # Monday, the next Monday
    (D(2027, 1, 4), D(2027, 1, 10), False),  # the Sunday of the same calendar week
    (D(2027, 1, 4), D(2027, 1, 17), True),  # the Sunday of the next week, day 14
    (D(2027, 1, 4), D(2027, 1, 18), False),  # day 15: the third week on either reading
    (D(2027, 1, 10), D(2027, 1, 17), True),  # Sunday, the next Sunday
    (D(2027, 1, 10), D(2027, 1, 18), False),  # 8 days on, but two calendar weeks on
    (D(2027, 1, 8), D(2027, 1, 14), False),  # the next calendar week, but only 6 days on
    (D(2026, 12, 31), D(2027, 1, 7), True),  # across the year end (ISO weeks 53 and 1)
    (D(2028, 2, 22), D(2028, 2, 29), True),  # to 29 February
    (D(2027, 1, 14), D(2027, 1, 7), False),  # the second before the first
    (D(2027, 1, 7), D(2027, 1, 7), False),
])
def test_what_two_consecutive_weeks_means(first, second, consecutive):
    assert in_consecutive_weeks(first, second) is consecutive


def test_the_advertisement_runs_to_the_end_of_the_week_of_its_second_publication():
    assert advertisement_last_day(D(2027, 1, 14)) == D(2027, 1, 20)
    assert advertisement_last_day(D(2028, 2, 24)) == D(2028, 3, 1)


def test_publications_not_in_consecutive_weeks_are_refused(recommended, people, act):
    application = recommended()
    assert refusal(act, people.officer, application, "advertise_disposal", on=D(2027, 1, 20),
                   **{**ADVERT, "second_published_on": D(2027, 1, 13)}) == [
        "The second publication must be in the week after the first: 7 to 13 days after "
        "7 January 2027 and in the next week from Monday to Sunday"]


def test_land_that_is_not_open_space_needs_no_advertisement(recommended, people, act):
    application = recommended(AssetType.LIBRARY, "Carnegie Library")
    assert refusal(act, people.officer, application, "advertise_disposal", on=D(2027, 1, 15),
                   **ADVERT) == [
        "Carnegie Library is not recorded as open space, so its disposal needs no advertisement"]
    act(people.decision_maker, application, "approve", **DECISION)
    assert application.state == "heads_of_terms"


def test_an_officer_records_other_land_as_open_space(recommended, people, act):
    application = recommended(AssetType.OTHER, "Old Burial Ground")
    act(people.officer, application, "record_open_space", open_space=True,
        reasons="A disused burial ground.")
    assert refusal(act, people.decision_maker, application, "approve", **DECISION) == [
        NOT_ADVERTISED.replace("Riverside Park", "Old Burial Ground")]
    act(people.officer, application, "record_open_space", open_space=False,
        reasons="The survey found no burials: a builder's yard.")
    act(people.decision_maker, application, "approve", **DECISION)
    assert application.state == "heads_of_terms"


@pytest.mark.parametrize("asset_type, label", [(AssetType.PARK, "park"),
                                               (AssetType.SPORTS_GROUND, "sports ground")])
def test_parks_and_sports_grounds_are_open_space_by_their_type(recommended, people, act,
                                                               asset_type, label):
    application = recommended(asset_type, "Northgate")
    assert refusal(act, people.officer, application, "record_open_space", open_space=False,
                   reasons="Fenced off.") == [
        f"Northgate is registered as a {label}, which is open space (land used for public "
        f"recreation): correct its type in the asset register if that is wrong"]
    assert refusal(act, people.decision_maker, application, "approve", **DECISION) == [
        NOT_ADVERTISED.replace("Riverside Park", "Northgate")]


@pytest.mark.parametrize("nation", ["scotland", "northern-ireland"])
def test_councils_outside_england_and_wales_are_not_under_s123_2a(recommended, people, act):
    application = recommended()
    assert refusal(act, people.officer, application, "advertise_disposal", on=D(2027, 1, 15),
                   **ADVERT) == ["Section 123(2A) of the Local Government Act 1972 applies to "
                                 "councils in England and Wales only"]
    act(people.decision_maker, application, "approve", **LOCAL_DECISION)
    assert application.state == "heads_of_terms"


@pytest.mark.parametrize("nation", ["england", "wales", "scotland", "northern-ireland"])
def test_the_happy_path_walks_open_space_in_every_nation(new_application, walk):
    application = walk(new_application("council-cat"), "completed")
    assert application.state == "completed"


def letter_text(kind) -> str:
    document = db.session.scalar(select(Document).where(Document.kind == kind)
                                 .order_by(Document.id.desc()))
    return pdf_text(read_document(document))


def test_the_decision_notice_reports_the_advertisement_the_consideration_and_the_consent(
        new_application, walk):
    walk(new_application("council-cat"), "heads_of_terms")
    notice = letter_text("decision_notice")
    for phrase in ["is open space. As section 123(2A) of the Local Government Act 1972 requires",
                   "in two consecutive weeks in Exampletown Gazette",
                   "No objections were received.",
                   "Best consideration reasonably obtainable (market value) £250,000.00",
                   "Value of the consideration agreed £0.00", "Undervalue £250,000.00",
                   "The General Disposal Consent (England) 2003",
                   "A community hub meets the social needs of the ward.",
                   "Group's acceptance of the heads of terms"]:
        assert phrase in notice
    assert "Undervalue £250,000.00" in letter_text("heads_of_terms")
    assert "open space" in letter_text("assessment_report")
