"""The council's case page for an asset of community value: the clocks the Act sets, each with
how it was counted, and the owner's, the groups' and the claimant's steps taken on their pages."""
from datetime import timedelta

from assettransfer.wording import long_date
from assettransfer.workflow.calendar import uk_today
from tests.web.conftest import error_summary
from tests.web.test_council_case import case_url, post_action, text
from tests.workflow.conftest import act, asset, new_application, people, walk  # noqa: F401


def boxes(day):
    return [str(day.day), str(day.month), str(day.year)]


def test_the_tribunal_appeal_window_is_shown_with_how_it_is_counted(
        client, login_as, people, new_application, act, walk):  # noqa: F811
    application = walk(new_application("england-acv"), "listed")
    act(people.officer, application, "request_owner_review", received_on=uk_today().isoformat(),
        owner_name="Brewery Holdings", grounds="g", oral_hearing="no")
    act(people.decision_maker, application, "uphold_listing", reasons="Still a pub.")
    login_as(people.officer)
    page = text(client.get(case_url(application)))
    assert "Owner's time to appeal to the First-tier Tribunal" in page
    assert f"28 days after {long_date(uk_today())}, or the next working day if that is" in page
    assert "General Regulatory Chamber) Rules 2009 r22" in page
    assert "Decision on the owner's review" in page


def test_a_late_request_from_a_group_is_refused_on_its_page(
        client, login_as, people, new_application, act, walk):  # noqa: F811
    application = walk(new_application("england-acv"), "listed")
    notice = uk_today() - timedelta(weeks=6)  # the interim moratorium ended yesterday
    act(people.officer, application, "notify_disposal", notice_received_on=notice.isoformat(),
        disposal_details="Sale.")
    login_as(people.officer)
    response = post_action(client, application, "record_interest", group_name="Red Lion CBS",
                           group_address="3 High Street", received_on=boxes(uk_today()),
                           confirmed="y")
    assert response.status_code == 200
    ended = long_date(notice + timedelta(weeks=6, days=-1))
    assert error_summary(response) == [f"The end of the interim moratorium ended on {ended}"]
    assert application.state == "interim_moratorium"


def test_a_compensation_claim_after_the_listing_has_ended(
        client, login_as, people, new_application, act, walk):  # noqa: F811
    application = walk(new_application("england-acv"), "listed")
    act(people.officer, application, "remove_no_longer_of_value", reasons="Now a house.")
    login_as(people.officer)
    response = post_action(
        client, application, "record_compensation_claim", claimant_name="Brewery Holdings Ltd",
        claimant_address="1 King Street", private_owner="yes", received_on=boxes(uk_today()),
        loss_incurred_until=boxes(uk_today()), amount="1500", details="Legal costs.")
    assert response.status_code == 302, error_summary(response)
    page = text(client.get(case_url(application)))
    assert "Removed from the list" in page
    assert "Last day to claim compensation for the loss" in page
    assert f"13 weeks after {long_date(uk_today())} (SI 2012/2421 reg 14(5)(b))" in page
