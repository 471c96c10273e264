"""The annual report as files: a PDF rendered as the letters are (WeasyPrint, the letters'
stylesheet and fonts) and a CSV of every figure."""
from flask import current_app

from ..documents.context import authority_info
from ..documents.letters import render_html
from ..documents.pdf import render_pdf
from ..workflow.calendar import uk_today
from .annual_report import AnnualReport
from .report_tables import chart, csv_text

TEMPLATE = "documents/reports/annual_report.html"
COUNTING_RULES = (
    "Each event counts on its date in the UK (Europe/London), in the reporting year that begins "
    "on 1 April.",
    "A decision of the Scottish Ministers counts on the date of their decision notice; a notice "
    "of disposal on the day the council received it; a sale on the day of the sale. Everything "
    "else counts on the day it was recorded, which for the council's own decisions is the date "
    "of the decision notice.",
    "Requests received: requests sent to the council in the year, whatever happened to them "
    "later. Agreed and refused: first decisions; a decision changed on review is counted under "
    "reviews, and on appeal under appeals.",
    "Appeals: decisions of the Scottish Ministers on appeals against a decision (sections 85 and "
    "88); appeals because no contract was concluded (section 83(6)) are not included.",
    "Time to decide: calendar days from the start of the decision period (the validation date; "
    "for a nomination, the day it was received) to the decision, against the period in force "
    "after any agreed extension.",
)


def file_name(report: AnnualReport, extension: str) -> str:
    return f"annual-report-{report.nation}-{report.year.label}.{extension}"


def annual_report_csv(report: AnnualReport) -> str:
    about = [("Report", "Reporting year", "", report.year.label),
             ("Report", "Authority", "", report.authority),
             ("Report", "Basis", "", report.basis)]
    tail = [("What the council did to promote and support requests", "Narrative", "",
             report.narrative or "")]
    return csv_text(list(report.tables), about, tail)


def annual_report_pdf(report: AnnualReport) -> bytes:
    app = current_app._get_current_object()
    html = render_html(app, TEMPLATE, {
        "report": report,
        "authority": authority_info(app),
        "charts": {key: chart(report.table(key)) for key in report.charts},
        "rules": COUNTING_RULES,
        "prepared_on": uk_today(),
    })
    return render_pdf(app, html).data
