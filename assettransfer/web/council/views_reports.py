"""The council's reports, ``/council/reports``: time at each stage and deadlines met, by route
and year, for council staff; and the annual report (``/council/reports/annual``), for admins,
who write its narrative and download it."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...models import Role
from ...services import annual_report, annual_report_files, council_reports, report_narratives
from ...services.errors import ValidationFailed
from ...services.report_periods import ReportingYear, current_year, parse_year
from ...services.report_tables import chart
from ..forms import apply_errors, saving
from ..forms.reports import NarrativeForm, YearForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
annual_bp = Blueprint("annual_report", __name__, url_prefix="/reports/annual")


def _chosen_year(form: YearForm, default: ReportingYear) -> ReportingYear:
    """The year the form asks for, else ``default`` with the form's error shown."""
    if not form.year.data:
        form.year.data = str(default.start_year)
        return default
    try:
        return parse_year(form.year.data)
    except ValidationFailed as exc:
        apply_errors(form, exc)
        return default


@bp.get("/")
def index():
    form = YearForm(request.args)
    year = _chosen_year(form, current_year())
    routes = council_reports.council_reports(year)
    charts = {(route.workflow, key): chart(table, columns) for route in routes
              for key, table, columns in (
                  ("stages", route.stages, ("Median days", "Mean days")),
                  ("deadlines", route.deadlines, None),
                  ("deadline_years", route.deadline_years, None))
              if table.rows}
    return render_template("council/reports/index.html", form=form, year=year, routes=routes,
                           charts=charts)


@annual_bp.before_request
def require_admin():
    if current_user.role is not Role.ADMIN:
        abort(403)


def _last_complete_year() -> ReportingYear:
    """The year a report is due on now: the one before the current reporting year."""
    return ReportingYear(current_year().start_year - 1)


@annual_bp.get("/")
def show():
    form = YearForm(request.args)
    return _page(form, _chosen_year(form, _last_complete_year()))


def _page(year_form: YearForm, year: ReportingYear, narrative_form: NarrativeForm | None = None,
          status: int = 200):
    """The figures, the charts and the narrative form (as the admin sent it, else as saved)."""
    report = annual_report.annual_report(year)
    charts = {key: chart(report.table(key)) for key in report.charts}
    saved = report_narratives.narrative_for(year)
    narrative_form = narrative_form or NarrativeForm(data={"narrative": report.narrative or ""})
    return render_template("council/reports/annual.html", form=year_form, report=report,
                           charts=charts, narrative_form=narrative_form, saved=saved), status


def _year(start_year: int) -> ReportingYear:
    try:
        return parse_year(start_year)
    except ValidationFailed:
        abort(404)


@annual_bp.post("/<int:start_year>/narrative")
def save_narrative(start_year: int):
    year = _year(start_year)
    form = NarrativeForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            report_narratives.save_narrative(current_user, year, form.narrative.data)
        if saved.ok:
            flash(f"The narrative for {year.label} has been saved.", "success")
            return redirect(url_for(".show", year=year.start_year))
    return _page(YearForm(data={"year": str(year.start_year)}), year, form, 422)


@annual_bp.get("/<int:start_year>.pdf")
def pdf(start_year: int):
    report = annual_report.annual_report(_year(start_year))
    return _download(annual_report_files.annual_report_pdf(report), "application/pdf",
                     annual_report_files.file_name(report, "pdf"))


@annual_bp.get("/<int:start_year>.csv")
def csv(start_year: int):
    report = annual_report.annual_report(_year(start_year))
    return _download(annual_report_files.annual_report_csv(report), "text/csv",
                     annual_report_files.file_name(report, "csv"))


def _download(body, mimetype: str, name: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
