"""Bar charts drawn as inline SVG, for the report pages and the annual report's PDF.

No charting library: a bar chart is a few rectangles, and SVG drawn here renders the same in a
browser and in WeasyPrint, with no script and nothing fetched. Each chart has a title and a
description for screen readers, and each page also shows its figures as a table: the chart is
for the eye, the table for everyone.
"""
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

# GOV.UK colours, told apart by more than hue: distinct lightness in this order.
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#d4351c", "#6f72af", "#505a5f")
CHAR_WIDTH = 6  # about, at 10px: labels wrap to fit their bar group
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]


def _nice_top(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^n at or above ``value``, and at least 1."""
    step = 1.0
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value):,}"


def bar_chart(title: str, categories: list[str], series: list[Series], *, width: int = 640,
              height: int = 260, unit: str = "") -> Markup:
    """A grouped bar chart: one group of bars per category, one bar per series, with a legend
    when there is more than one series. ``unit`` labels the vertical axis. The chart is made
    taller than ``height`` if the categories' names need more than one line."""
    chart_id = f"chart-{next(_ids)}"
    left, right, top = 44, 8, 28 if len(series) > 1 else 10
    plot_w, plot_h = width - left - right, height - top - 46
    highest = max((v for s in series for v in s.values), default=0)
    axis_top = 4 * _nice_top(highest / 4)  # four steps of 1, 2 or 5 x 10^n: whole numbers
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    labels = [_wrapped(category, int(group_w // CHAR_WIDTH)) for category in categories]
    height = top + plot_h + 22 + 12 * max((len(lines) for lines in labels), default=1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_description(categories, series))}</desc>',
        '<g font-family="DejaVu Sans, Arial, sans-serif" font-size="10" fill="#0b0c0c">',
    ]
    for tick in range(5):  # gridlines and labels at 0, 1/4 ... the top
        value = axis_top * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#b1b4b6" stroke-width="{1 if tick == 0 else 0.5}"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">'
                     f'{_number(value)}</text>')
    if unit:
        parts.append(f'<text x="10" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
                     f'transform="rotate(-90 10 {top + plot_h / 2:.1f})">{escape(unit)}</text>')
    for index, category in enumerate(categories):
        x0 = left + group_w * index + group_w * 0.1
        for number, one in enumerate(series):
            value = one.values[index]
            bar_h = plot_h * value / axis_top
            x = x0 + bar_w * number
            parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w:.1f}" '
                         f'height="{bar_h:.1f}" fill="{PALETTE[number % len(PALETTE)]}">'
                         f'<title>{escape(category)}, {escape(one.name)}: '
                         f'{_number(value)}</title></rect>')
        centre = left + group_w * (index + 0.5)
        parts.append(f'<text y="{top + plot_h + 14}" text-anchor="middle">' + "".join(
            f'<tspan x="{centre:.1f}" dy="{0 if n == 0 else 12}">{escape(line)}</tspan>'
            for n, line in enumerate(labels[index])) + "</text>")
    if len(series) > 1:
        x = left
        for number, one in enumerate(series):
            parts.append(f'<rect x="{x}" y="6" width="10" height="10" '
                         f'fill="{PALETTE[number % len(PALETTE)]}"/>'
                         f'<text x="{x + 14}" y="15">{escape(one.name)}</text>')
            x += 24 + 6 * len(one.name)
    parts.append("</g></svg>")
    # Every piece of text above was escaped; the rest is our own markup.
    return Markup("".join(parts))


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of about ``width`` characters, broken between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _description(categories: list[str], series: list[Series]) -> str:
    return "; ".join(
        f"{category}: " + ", ".join(f"{one.name} {_number(one.values[i])}" for one in series)
        for i, category in enumerate(categories))
