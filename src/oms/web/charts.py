"""Charts drawn on the server as SVG: no JavaScript, nothing fetched. A stacked vertical bar chart and a
line chart, with axes on nice tick values, a legend, a <title> and <desc> that screen readers announce,
and a <title> on every bar and point (its exact value on hover). Colours are the Okabe-Ito palette, told
apart with colour-blindness; lines also differ by dash. Every label is escaped. The page shows the same
numbers as a table next to each chart, for keyboards and screen readers (the SVG is a picture of it)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 70  # room for the y labels, the x labels and the legend
MAX_X_LABELS = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per category; None: nothing to show there


def nice_ticks(maximum: float, count: int = 5, whole: bool = False) -> list[float]:
    """From 0 to at least `maximum`, in steps of 1, 2 or 5 times a power of ten, about `count` ticks;
    `whole` for counts: no step under 1."""
    if maximum <= 0:
        return [0, 1]
    rough = max(maximum / (count - 1), 1) if whole else maximum / (count - 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [round(step * i, 10) for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def bar_chart(chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
              unit: str = "") -> Markup:  # fmt: skip
    """Bars per category, stacked by series (e.g. orders per day, one colour per channel): counts."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    if not any(totals):
        return _empty(title)
    ticks = nice_ticks(max(totals), whole=True)
    frame = _Frame(categories, ticks)
    marks = []
    for i, category in enumerate(categories):
        base = 0.0
        for n, s in enumerate(series):
            value = s.values[i] or 0
            if value:
                top = frame.y(base + value)
                marks.append(f'<rect x="{frame.x(i) - frame.band * 0.35:.1f}" y="{top:.1f}" width="{frame.band * 0.7:.1f}"'
                             f' height="{frame.y(base) - top:.1f}" fill="{PALETTE[n % len(PALETTE)]}">'
                             f"<title>{escape(category)} · {escape(s.name)}: {_number(value)}{escape(unit)}</title></rect>")  # fmt: skip
            base += value
    return _svg(chart_id, title, desc, frame, marks, _legend(series, bars=True))


def line_chart(chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
               unit: str = "") -> Markup:  # fmt: skip
    """A line per series over the categories; a gap where a value is None (e.g. p50 and p90 per day)."""
    values = [v for s in series for v in s.values if v is not None]
    if not values:
        return _empty(title)
    frame = _Frame(categories, nice_ticks(max(values)))
    marks = []
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        for run in _runs(s.values):
            path = " ".join(f"{frame.x(i):.1f},{frame.y(s.values[i]):.1f}" for i in run)
            marks.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{_dash(n)}/>')
            marks += [f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(s.values[i]):.1f}" r="3" fill="{colour}"><title>'
                      f"{escape(categories[i])} · {escape(s.name)}: {_number(s.values[i])}{escape(unit)}</title></circle>"
                      for i in run]  # fmt: skip
    return _svg(chart_id, title, desc, frame, marks, _legend(series, bars=False))


class _Frame:
    """Where a category and a value land in the plot area."""

    def __init__(self, categories: Sequence[str], ticks: list[float]):
        self.categories, self.ticks = categories, ticks
        self.band = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
        self.bottom = HEIGHT - BOTTOM

    def x(self, index: int) -> float:
        return LEFT + self.band * (index + 0.5)

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - TOP) * value / self.ticks[-1]

    def axes(self) -> list[str]:
        parts = [f'<line x1="{LEFT}" y1="{self.bottom}" x2="{WIDTH - RIGHT}" y2="{self.bottom}" stroke="#5b6473"/>']
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e3e7ee"/>'
                         f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(tick)}</text>')  # fmt: skip
        every = math.ceil(len(self.categories) / MAX_X_LABELS)
        for i, category in enumerate(self.categories):
            if i % every == 0:
                parts.append(f'<text x="{self.x(i):.1f}" y="{self.bottom + 16}" text-anchor="middle">'
                             f"{escape(category)}</text>")  # fmt: skip
        return parts


def _svg(chart_id: str, title: str, desc: str, frame: _Frame, marks: list[str], legend: list[str]) -> Markup:
    cid = escape(chart_id)
    return Markup(
        f'<svg class="chart" id="{cid}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{cid}-title"'
        f' aria-describedby="{cid}-desc" xmlns="http://www.w3.org/2000/svg" font-size="11" fill="#1f2633">'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(desc)}</desc>'
        + "".join(frame.axes() + marks + legend) + "</svg>"
    )


def _legend(series: Sequence[Series], bars: bool) -> list[str]:
    parts, x, y = [], LEFT, HEIGHT - 36
    for n, s in enumerate(series):
        if x + 34 + 7 * len(s.name) > WIDTH:  # a new row
            x, y = LEFT, y + 16
        colour = PALETTE[n % len(PALETTE)]
        if bars:
            parts.append(f'<rect x="{x}" y="{y - 9}" width="12" height="12" fill="{colour}"/>')
        else:
            parts.append(f'<line x1="{x - 4}" y1="{y - 3}" x2="{x + 16}" y2="{y - 3}" stroke="{colour}"'
                         f' stroke-width="2"{_dash(n)}/>')  # fmt: skip
        parts.append(f'<text x="{x + 20}" y="{y + 1}">{escape(s.name)}</text>')
        x += 34 + 7 * len(s.name)
    return parts


def _dash(n: int) -> str:
    dash = DASHES[n % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _runs(values: Sequence[float | None]) -> list[list[int]]:
    """Indexes of the values, split where one is missing, so a line never bridges a gap."""
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]


def _empty(title: str) -> Markup:
    return Markup(f'<p class="chart-empty">{escape(title)}: nothing to draw for this period.</p>')


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
