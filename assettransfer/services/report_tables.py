"""A report's figures as tables: shown on pages, printed in the PDF, drawn as charts and
written as CSV, all from the same rows."""
import csv
import io
from dataclasses import dataclass

from markupsafe import Markup

from .charts import Series, bar_chart


@dataclass(frozen=True)
class Table:
    """``rows`` are (label, figure, figure...), one figure per heading after the first."""

    key: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple, ...]
    unit: str = ""  # what the figures count, for a chart's axis

    def value(self, label: str, heading: str | None = None):
        """The figure in row ``label`` under ``heading`` (the first figure if None)."""
        column = self.headings.index(heading) if heading else 1
        return next(row[column] for row in self.rows if row[0] == label)


def days(value: float | None) -> float | int | None:
    """A number of days as a report shows it: whole, or to one decimal place."""
    if value is None:
        return None
    value = round(value, 1)
    return int(value) if value == int(value) else value


def chart(table: Table, columns: tuple[str, ...] | None = None) -> Markup:
    """The table as a bar chart: a group of bars per row, a bar per figure column (or per one
    of ``columns``)."""
    return bar_chart(
        table.title, [str(row[0]) for row in table.rows],
        [Series(heading, tuple(row[i] or 0 for row in table.rows))
         for i, heading in enumerate(table.headings[1:], start=1)
         if columns is None or heading in columns],
        unit=table.unit)


def safe_cell(value):
    """A value for a CSV cell: text a spreadsheet would run as a formula (=, +, -, @, or a tab
    or return first) is shown as text instead."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


CSV_HEADINGS = ("table", "row", "column", "value")


def csv_text(tables: list[Table], before: list[tuple] = (), after: list[tuple] = ()) -> str:
    """Every figure of ``tables`` on a line of its own (table, row, column, value): one shape
    whatever the table, so a spreadsheet can filter and pivot it; ``before`` and ``after`` are
    lines of the same shape around them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADINGS)
    lines = [*before]
    for table in tables:
        for row in table.rows:
            for heading, value in zip(table.headings[1:], row[1:], strict=True):
                lines.append((table.title, row[0], heading, value))
    lines.extend(after)
    writer.writerows([safe_cell(cell) for cell in line] for line in lines)
    return out.getvalue()
