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
        "prepared_on": uk_today(),
    })
    return render_pdf(app, html).data
