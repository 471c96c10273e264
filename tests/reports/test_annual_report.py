"""The s95 annual report's figures against a year counted by hand: events either side of
1 April and of UK midnights in summer (BST) and winter (GMT) time."""
import pytest

from assettransfer.services.annual_report import annual_report
from assettransfer.services.report_periods import ReportingYear

from .conftest import YEAR
from .events import case, deadline, event


def test_requests_received_agreed_and_refused(scotland_year):
    report = annual_report(YEAR, "scotland")
    requests = report.table("requests")
    assert requests.value("Received") == 4
    assert requests.value("Agreed") == 3
    assert requests.value("Refused") == 1
    outcomes = report.table("outcomes")
    assert outcomes.rows == (("Transfer of ownership", 1), ("Lease", 2), ("Other rights", 0))


def test_appeals_by_outcome_and_section(scotland_year):
    appeals = annual_report(YEAR, "scotland").table("appeals")
    assert appeals.rows == (
        ("Allowed", 1, 0, 1),
        ("Dismissed", 0, 2, 2),
        ("Decision varied", 0, 0, 0),
    )


def test_reviews_by_outcome(scotland_year):
    reviews = annual_report(YEAR, "scotland").table("reviews")
    assert reviews.rows == (("Confirmed", 1), ("Modified", 1), ("Substituted", 1),
                            ("Outcome not recorded", 1))


def test_requests_by_month_on_uk_dates(scotland_year):
    monthly = annual_report(YEAR, "scotland").table("monthly")
    assert monthly.headings == ("Month", "Received", "Agreed", "Refused")
    figures = {row[0]: row[1:] for row in monthly.rows}
    assert len(figures) == 12
    assert figures["Apr 2025"] == (1, 0, 1)
    assert figures["May 2025"] == (1, 0, 0)
    assert figures["Sep 2025"] == (0, 0, 0)  # 23:30 UTC on 30 Sep is 1 Oct in BST
    assert figures["Oct 2025"] == (1, 1, 0)
    assert figures["Nov 2025"] == (0, 1, 0)
    assert figures["Dec 2025"] == (0, 1, 0)  # 23:59 GMT on 31 Dec
    assert figures["Mar 2026"] == (1, 0, 0)
    assert sum(sum(row) for row in figures.values()) == 4 + 3 + 1


def test_time_to_decide_against_the_six_months(scotland_year):
    report = annual_report(YEAR, "scotland")
    timing = report.table("decision_time")
    assert timing.value("5 to 6 months", "Within the period") == 1
    assert timing.value("6 months or more", "Within the period") == 1
    assert timing.value("6 months or more", "After the period") == 2
    assert sum(row[1] + row[2] for row in timing.rows) == 4
    summary = report.table("decision_time_summary")
    assert summary.value("Decisions measured") == 4
    assert summary.value("Within the decision period (as extended)") == 2
    assert summary.value("After the decision period") == 2
    assert summary.value("Median days") == 232.5
    assert summary.value("Mean days") == 233.5


def test_the_years_either_side_count_what_this_one_leaves_out(scotland_year):
    before = annual_report(ReportingYear(2024), "scotland")
    assert before.table("requests").value("Received") == 2  # R6 (June 2024), R2 (31 Mar 2025)
    assert before.table("requests").value("Agreed") == 1  # R8
    assert before.table("appeals").value("Decision varied", "Total") == 1  # R9
    after = annual_report(ReportingYear(2026), "scotland")
    assert after.table("requests").value("Received") == 1  # R4
    assert after.table("requests").value("Refused") == 1  # R5


def test_england_summary(app):
    """Hand count for 2025-26: nominations N1 (1 Apr, BST) and N2; N1 listed within its eight
    weeks (30 days), N2 not listed after them (90 days); one owner review, upheld; one notice
    of disposal (received 8 July); one full moratorium (the first request only); one sale
    (30 March 2026, recorded in April)."""
    n1 = case("england-acv")
    event(n1, "submit", "2025-03-31 23:30")
    deadline(n1, "listing_decision", "2025-04-01", "2025-05-27")
    event(n1, "list", "2025-05-01 10:00")
    event(n1, "request_owner_review", "2025-05-20 10:00")
    event(n1, "uphold_listing", "2025-06-20 10:00")
    event(n1, "notify_disposal", "2025-07-10 10:00", notice_received_on="2025-07-08")
    event(n1, "express_interest", "2025-07-20 10:00", from_state="interim_moratorium",
          to_state="full_moratorium")
    event(n1, "record_interest", "2025-07-25 10:00", from_state="full_moratorium",
          to_state="full_moratorium")
    event(n1, "record_sale_to_community", "2026-04-03 09:00", sale_date="2026-03-30")
    n2 = case("england-acv")
    event(n2, "submit", "2025-06-01 10:00")
    deadline(n2, "listing_decision", "2025-06-01", "2025-07-27")
    event(n2, "decline", "2025-08-30 10:00")

    report = annual_report(YEAR, "england")
    listing = report.table("listing")
    assert [row[1] for row in listing.rows] == [2, 1, 1, 1, 1, 0]
    disposals = report.table("disposals")
    assert [row[1] for row in disposals.rows] == [1, 1, 1]
    timing = report.table("decision_time")
    assert timing.value("4 to 5 weeks", "Within the period") == 1
    assert timing.value("8 weeks or more", "After the period") == 1
    summary = report.table("decision_time_summary")
    assert summary.value("Median days") == 60
    assert summary.value("Mean days") == 60


def test_no_annual_report_for_wales(app):
    from assettransfer.services.errors import ValidationFailed
    with pytest.raises(ValidationFailed, match="no annual report"):
        annual_report(YEAR, "wales")
