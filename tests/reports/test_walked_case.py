"""A request taken through the real actions is counted as the hand-written events are: the
names and fields the reports read are the ones the workflow records."""
from assettransfer.services.annual_report import annual_report
from assettransfer.services.council_reports import council_reports
from assettransfer.services.report_periods import current_year
from tests.workflow.conftest import asset, new_application, people, walk  # noqa: F401


def test_an_agreed_request_in_this_years_report(new_application, walk):  # noqa: F811
    application = walk(new_application("scotland-atr"), "agreed")
    year = current_year()
    report = annual_report(year, "scotland")
    requests = report.table("requests")
    assert (requests.value("Received"), requests.value("Agreed"),
            requests.value("Refused")) == (1, 1, 0)
    request_type = application.answers["land"]["request_type"]
    labels = {"ownership": "Transfer of ownership", "lease": "Lease",
              "other_rights": "Other rights"}
    assert report.table("outcomes").value(labels[request_type]) == 1
    summary = report.table("decision_time_summary")
    assert summary.value("Decisions measured") == 1
    assert summary.value("Within the decision period (as extended)") == 1
    scotland = next(r for r in council_reports(year) if r.workflow == "scotland-atr")
    assert scotland.deadlines.value("Decision on the request", "Met on time") == 1
    assert scotland.stages.value("Received, to be validated") == 1  # one stay ended
