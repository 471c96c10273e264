"""Time at each stage and the council's deadlines, against a year counted by hand."""
from datetime import date

from assettransfer.services.council_reports import council_reports

from .conftest import YEAR
from .events import case, deadline, event

TODAY = date(2026, 1, 5)


def stays():
    """Scotland, stays ending in 2025-26 (UK dates): A received 1 Apr, validated 10 Apr (9
    days), notice 00:30 BST 11 Apr (1 day validated), representations closed 11 May (30 days),
    assessment started 10 Jun (30 days with the group); B received 31 Mar 2025, validated
    11 Apr (11 days), notice 00:30 BST 1 Apr 2026 (ends next year: not counted). Council CAT:
    C's expression of interest received 1 Jun, answered 21 Jun (20 days)."""
    a = case(state="assessment")
    event(a, "submit", "2025-04-01 09:00", from_state="draft", to_state="submitted")
    event(a, "validate", "2025-04-10 09:00", from_state="submitted", to_state="validated")
    event(a, "publish_notice", "2025-04-10 23:30", from_state="validated",
          to_state="representations")
    event(a, "close_representations", "2025-05-11 09:00", from_state="representations",
          to_state="applicant_comments")
    event(a, "submit_comments", "2025-05-20 09:00", role="applicant")  # keeps the stage
    event(a, "start_assessment", "2025-06-10 09:00", from_state="applicant_comments",
          to_state="assessment")
    b = case(state="representations")
    event(b, "submit", "2025-03-31 10:00", from_state="draft", to_state="submitted")
    event(b, "validate", "2025-04-11 09:00", from_state="submitted", to_state="validated")
    event(b, "publish_notice", "2026-03-31 23:30", from_state="validated",
          to_state="representations")
    c = case(workflow="council-cat", state="business_case")
    event(c, "submit_eoi", "2025-06-01 09:00", from_state="eoi_draft", to_state="eoi_submitted")
    event(c, "invite_business_case", "2025-06-21 09:00", from_state="eoi_submitted",
          to_state="business_case")


def deadlines():
    """Scotland's council deadlines in 2025-26 (today 5 January 2026): decisions on time (met
    23:30 BST on its day; met early, due next year), late (met 00:30 BST the day after), missed
    (an extended row, not met, due in the year), still to come; a contract concluded on time.
    Left out: an earlier row replaced by the extension, a decision period closed when the
    request was withdrawn, the group's own period for comments. In 2024-25, one decision on
    time."""
    deadline(case(), "decision", "2025-04-10", "2025-10-10", met_at="2025-10-10 22:30")
    deadline(case(), "decision", "2025-12-01", "2026-06-01", met_at="2025-12-20 10:00")
    deadline(case(), "decision", "2025-04-11", "2025-10-11", met_at="2025-10-11 23:30")
    extended = case()
    deadline(extended, "decision", "2025-03-01", "2025-09-01", superseded_at="2025-08-01 09:00")
    deadline(extended, "decision", "2025-03-01", "2025-12-01")
    deadline(case(), "decision", "2025-09-30", "2026-03-31")
    deadline(case(), "decision", "2024-09-30", "2025-03-31", met_at="2025-03-20 09:00")
    deadline(case(), "decision", "2025-02-01", "2025-08-01", superseded_at="2025-05-01 09:00")
    deadline(case(), "comments", "2025-05-01", "2025-06-01")
    deadline(case(), "contract", "2025-01-01", "2025-07-01", met_at="2025-06-30 09:00")


def by_route(reports):
    return {report.workflow: report for report in reports}


def test_time_at_each_stage_in_calendar_days(app):
    stays()
    routes = by_route(council_reports(YEAR, TODAY))
    stages = routes["scotland-atr"].stages
    assert stages.headings == ("Stage", "Stays ended", "Median days", "Mean days")
    assert stages.rows == (
        ("Received, to be validated", 2, 10, 10),
        ("Validated", 1, 1, 1),
        ("Open for representations", 1, 30, 30),
        ("With the applicant for comments", 1, 30, 30),
    )
    assert routes["council-cat"].stages.rows == (("Expression of interest received", 1, 20, 20),)


def test_deadlines_met_and_missed_by_route_and_year(app):
    deadlines()
    scotland = by_route(council_reports(YEAR, TODAY))["scotland-atr"]
    assert scotland.deadlines.headings == ("Deadline", "Met on time", "Met late", "Missed",
                                           "Still to come")
    assert scotland.deadlines.rows == (
        ("Decision on the request", 2, 1, 1, 1),
        ("Conclusion of the contract", 1, 0, 0, 0),
    )
    years = {row[0]: row[1:] for row in scotland.deadline_years.rows}
    assert years == {"2021-22": (0, 0, 0, 0), "2022-23": (0, 0, 0, 0), "2023-24": (0, 0, 0, 0),
                     "2024-25": (1, 0, 0, 0), "2025-26": (3, 1, 1, 1)}
