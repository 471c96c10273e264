"""``flask reports annual --year YYYY``: the annual report for the reporting year beginning
1 April YYYY, for the configured nation (AUTHORITY_NATION), as a PDF and a CSV."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from .services import annual_report, annual_report_files
from .services.errors import ValidationFailed
from .services.report_periods import parse_year

reports_cli = AppGroup("reports", help="Reports on asset transfer requests.")


@reports_cli.command("annual")
@click.option("--year", required=True, help="The year the reporting year begins (on 1 April).")
@click.option("--out", "folder", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the PDF and CSV into (the current directory unless "
                   "given; made if missing).")
def annual(year, folder):
    """Write the annual report's PDF and CSV (Scotland: the s95 report; England: the summary of
    the community right to bid). Files that exist are replaced."""
    try:
        report = annual_report.annual_report(parse_year(year))
    except ValidationFailed as exc:
        details = "; ".join(error.message for error in exc.errors)
        click.echo(f"{exc.message}{': ' + details if details else ''}", err=True)
        sys.exit(1)
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / annual_report_files.file_name(report, "pdf")
    csv = folder / annual_report_files.file_name(report, "csv")
    pdf.write_bytes(annual_report_files.annual_report_pdf(report))
    csv.write_text(annual_report_files.annual_report_csv(report), encoding="utf-8", newline="")
    if report.narrative is None:
        click.echo("Note: no narrative on promoting and supporting requests has been written for "
                   f"{report.year.label} (an administrator adds it at /council/reports/annual).",
                   err=True)
    click.echo(f"Wrote {pdf}\nWrote {csv}")
