"""The report pages: the annual report for admins (figures, narrative, PDF and CSV), the
council's reports, and the work queue as CSV."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from assettransfer.extensions import db
from assettransfer.models import AccountEvent, AnnualReportNarrative
from assettransfer.services import queues
from tests.reports.conftest import scotland_year  # noqa: F401
from tests.reports.events import case, event

URL = "/council/reports/annual/"


@pytest.fixture
def admin(make):
    user = make.UserFactory(admin=True, name="Ada Admin")
    db.session.commit()
    return user


@pytest.mark.usefixtures("scotland_year")
def test_admin_previews_the_years_figures_and_charts(client, login_as, admin, page):
    login_as(admin)
    response = client.get(URL + "?year=2025")
    assert response.status_code == 200
    text = page(response)
    assert "Annual report on asset transfer requests 2025-26" in text
    assert "to be published by 30 June 2026" in text
    assert "Received 4 Agreed 3 Refused 1" in text
    html = response.get_data(as_text=True)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="app-chart"') == 2
    assert 'href="/council/reports/annual/2025.pdf"' in html


def test_a_bad_year_is_shown_as_an_error(client, login_as, admin, page):
    login_as(admin)
    text = page(client.get(URL + "?year=1999"))
    assert "There is a problem" in text
    assert "Enter the year the reporting year begins (1 April), from 2000" in text


def test_the_narrative_is_saved_with_an_account_event_and_printed(client, login_as, admin):
    login_as(admin)
    response = client.post(URL + "2025/narrative",
                           data={"narrative": "=Two drop-in sessions and a guidance note."})
    assert response.status_code == 302
    saved = db.session.get(AnnualReportNarrative, 2025)
    assert saved.text == "=Two drop-in sessions and a guidance note."
    assert saved.updated_by_id == admin.id
    audit = db.session.scalar(select(AccountEvent).where(
        AccountEvent.event == "annual_report_narrative_saved"))
    assert audit.by_user_id == admin.id and audit.details == {"year": 2025, "characters": 42}
    rows = list(csv.reader(io.StringIO(client.get(URL + "2025.csv").get_data(as_text=True))))
    # A spreadsheet would run text that begins "=" as a formula: it is written as text.
    assert rows[-1] == ["What the council did to promote and support requests", "Narrative", "",
                        "'=Two drop-in sessions and a guidance note."]


def test_an_empty_narrative_is_refused_and_nothing_saved(client, login_as, admin, page):
    login_as(admin)
    response = client.post(URL + "2025/narrative", data={"narrative": "  "})
    assert response.status_code == 422
    assert "Enter what the council did to promote and support requests" in page(response)
    assert db.session.get(AnnualReportNarrative, 2025) is None
    assert db.session.scalar(select(AccountEvent).where(
        AccountEvent.event == "annual_report_narrative_saved")) is None


@pytest.mark.usefixtures("scotland_year")
def test_pdf_and_csv_downloads(client, login_as, admin):
    login_as(admin)
    pdf = client.get(URL + "2025.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert 'filename="annual-report-scotland-2025-26.pdf"' in pdf.headers["Content-Disposition"]
    figures = client.get(URL + "2025.csv")
    assert figures.mimetype == "text/csv"
    assert "Asset transfer requests,Agreed,Requests,3" in figures.get_data(as_text=True)


def test_officers_see_the_council_reports(client, login_as, officer, page):
    a = case(state="validated")
    event(a, "submit", "2025-04-01 09:00", from_state="draft", to_state="submitted")
    event(a, "validate", "2025-04-10 09:00", from_state="submitted", to_state="validated")
    db.session.commit()
    login_as(officer)
    response = client.get("/council/reports/?year=2025")
    assert response.status_code == 200
    text = page(response)
    assert "Asset transfer request (Scotland): time at each stage (calendar days)" in text
    assert "Received, to be validated 1 9 9" in text
    assert 'class="app-chart"' in response.get_data(as_text=True)


class TestQueueCsv:
    @pytest.fixture
    def queue(self, make, officer):
        first = case(state="submitted", next_due_on=date(2030, 1, 10), reference="ATR-1",
                     asset=make.AssetFactory(name="=HYPERLINK(\"x\")"))
        event(first, "validate", "2025-04-10 09:00")  # by an officer named "Officer"
        case(state="assessment", next_due_on=date(2030, 1, 5), reference="ATR-2")
        case(workflow="council-cat", state="eoi_submitted", next_due_on=date(2030, 1, 1),
             reference="CAT-1")
        db.session.commit()

    def test_the_csv_has_the_queues_rows_for_its_filters(self, client, login_as, officer,
                                                         queue):
        login_as(officer)
        page = client.get("/council/?workflow=scotland-atr&scope=all")
        html = page.get_data(as_text=True)
        assert 'href="/council/queue.csv?workflow=scotland-atr&amp;scope=all"' in html
        response = client.get("/council/queue.csv?workflow=scotland-atr&scope=all")
        assert response.mimetype == "text/csv"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows[0] == ["Reference", "Asset", "Group", "Route", "Stage", "Started", "Sent",
                           "Last changed", "Next deadline", "Officer"]
        assert [row[0] for row in rows[1:]] == ["ATR-2", "ATR-1"]  # soonest deadline first
        second, first = rows[1:]
        assert first[1] == "'=HYPERLINK(\"x\")"  # never run as a formula
        assert first[3:5] == ["Asset transfer request (Scotland)", "Received, to be validated"]
        assert first[8] == "2030-01-10" and first[9] == "Officer"
        assert second[9] == ""  # no officer has acted on it yet

    def test_the_csv_of_the_officers_own_queue_is_the_queue(self, client, login_as, officer,
                                                           queue):
        case(state="representations", reference="ATR-3")  # nobody's move: not in the queue
        db.session.commit()
        login_as(officer)
        response = client.get("/council/queue.csv")
        listed = [row[0] for row in csv.reader(io.StringIO(response.get_data(as_text=True)))]
        queue = queues.list_applications(officer, awaiting_role="officer", per_page=100)
        assert listed[1:] == [application.reference for application in queue.items]
        assert listed[1:] == ["CAT-1", "ATR-2", "ATR-1"]

    def test_bad_filters_go_back_to_the_dashboard_to_show_why(self, client, login_as, officer):
        login_as(officer)
        response = client.get("/council/queue.csv?workflow=nonsense&scope=all")
        assert response.status_code == 302
        assert response.location.startswith("/council/?workflow=nonsense")
