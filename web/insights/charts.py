"""Charts as inline SVG, built on the server: no script, and the CSP allows no inline style, so colours are
presentation attributes and sizes come from the viewBox (the chart scales to its container's width).

Each chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>``; the page puts the numbers beside it
in a table. Rows put the label on a line above the bar, so long labels never squeeze the bars at phone widths.
Elements are built with ElementTree, which escapes every label and attribute.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 400  # user units; at a phone's 360 px the 15-unit text is still 13 px high
ROW = 42
FONT_SIZE = 15
BAR_HEIGHT = 12

INK = "#1b1f24"
MUTED = "#57606a"  # 6.4:1 on white
TRACK = "#eaeef2"
BAR = "#0b5cad"  # 6.6:1 on white
RANGE = "#4f8fd0"  # the middle half of salaries: 3.4:1 on white, and the median tick on it stays visible
REFERENCE = "#a34700"  # the U.S. median line: 5.6:1 on white, apart from the blues


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # drawn against the largest value of the chart
    text: str  # the figure written at the row's right


@dataclass(frozen=True)
class Change:
    label: str
    before: float
    after: float
    text: str


@dataclass(frozen=True)
class Range:
    label: str
    low: float
    middle: float
    high: float
    text: str


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one a row, each as long as its value against the largest."""
    svg = _svg(chart_id, title, desc, len(bars) * ROW)
    scale = max((b.value for b in bars), default=0) or 1
    for i, bar in enumerate(bars):
        y = i * ROW
        _row_text(svg, y, bar.label, bar.text)
        _rect(svg, 0, y + 20, WIDTH, BAR_HEIGHT, TRACK, rx=2)
        if bar.value > 0:
            _rect(svg, 0, y + 20, max(2.0, WIDTH * bar.value / scale), BAR_HEIGHT, BAR, rx=2)
    return _markup(svg)


def change_chart(
    chart_id: str, title: str, desc: str, rows: Sequence[Change], before_label: str, after_label: str
) -> Markup:
    """Two values a row on one scale: a hollow dot for ``before``, a filled dot for ``after``, joined by a line."""
    legend = 26
    svg = _svg(chart_id, title, desc, legend + len(rows) * ROW)
    _dot(svg, 8, 9, filled=False)
    _text(svg, 20, 14, before_label, fill=MUTED)
    _dot(svg, 180, 9, filled=True)
    _text(svg, 192, 14, after_label, fill=MUTED)
    scale = max((max(r.before, r.after) for r in rows), default=0) or 1
    span = WIDTH - 16  # room for the dots' radius at both ends
    for i, row in enumerate(rows):
        y = legend + i * ROW
        _row_text(svg, y, row.label, row.text)
        mid = y + 26
        _line(svg, 0, mid, WIDTH, mid, TRACK, 2)
        x0 = 8 + span * row.before / scale
        x1 = 8 + span * row.after / scale
        _line(svg, x0, mid, x1, mid, BAR, 3)
        _dot(svg, x0, mid, filled=False)
        _dot(svg, x1, mid, filled=True)
    return _markup(svg)


def range_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[Range],
    reference: float,
    reference_label: str,
    domain: tuple[float, float] | None = None,
) -> Markup:
    """The middle half of each row's values as a bar with a tick at its median, on a shared axis, with a vertical
    reference line across all rows. ``domain`` (low, high) puts charts side by side on one axis."""
    top, axis = 24, 28
    height = top + len(rows) * ROW + axis
    svg = _svg(chart_id, title, desc, height)
    values = [v for r in rows for v in (r.low, r.high)] + [reference, *(domain or ())]
    low, high, step = _axis(min(values), max(values))

    def x(value: float) -> float:
        return WIDTH * (value - low) / (high - low)

    bottom = top + len(rows) * ROW
    for tick in _ticks(low, high, step):
        _line(svg, x(tick), top, x(tick), bottom, TRACK, 1)
        anchor = "start" if tick == low else "end" if tick == high else "middle"
        _text(svg, x(tick), bottom + 18, _thousands(tick), fill=MUTED, anchor=anchor)
    for i, row in enumerate(rows):
        y = top + i * ROW
        _row_text(svg, y, row.label, row.text)
        _rect(svg, x(row.low), y + 19, max(2.0, x(row.high) - x(row.low)), 14, RANGE, rx=2)
        _rect(svg, x(row.middle) - 1.5, y + 16, 3, 20, INK)
    rx = x(reference)
    line = _line(svg, rx, top - 6, rx, bottom, REFERENCE, 2)
    line.set("stroke-dasharray", "5 3")
    anchor = "start" if rx < WIDTH / 3 else "end" if rx > WIDTH * 2 / 3 else "middle"
    nudge = 4 if anchor == "start" else -4 if anchor == "end" else 0
    _text(svg, rx + nudge, 12, reference_label, fill=REFERENCE, anchor=anchor, weight="600")
    return _markup(svg)


def _axis(low: float, high: float) -> tuple[float, float, float]:
    """Round bounds and a step giving three to six ticks, few enough for their labels to fit at 400 units."""
    span = max(high - low, 1.0)
    magnitude = 10 ** math.floor(math.log10(span / 4))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if span / (m * magnitude) <= 4)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    return bottom, max(top, bottom + step), step


def _ticks(low: float, high: float, step: float) -> list[float]:
    return [low + i * step for i in range(round((high - low) / step) + 1)]


def _thousands(value: float) -> str:
    return f"${value / 1000:,.0f}k" if value else "$0"


def _svg(chart_id: str, title: str, desc: str, height: float) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "viewBox": f"0 0 {WIDTH} {_n(height + 4)}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-size": str(FONT_SIZE),
            "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "id": chart_id,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = desc
    return svg


def _row_text(svg: ET.Element, y: float, label: str, text: str) -> None:
    _text(svg, 0, y + 14, label, weight="600")
    _text(svg, WIDTH, y + 14, text, fill=MUTED, anchor="end")


def _text(
    svg: ET.Element, x: float, y: float, text: str, *, fill: str = INK, anchor: str = "start", weight: str = ""
) -> None:
    attrs = {"x": _n(x), "y": _n(y), "fill": fill}
    if anchor != "start":
        attrs["text-anchor"] = anchor
    if weight:
        attrs["font-weight"] = weight
    ET.SubElement(svg, "text", attrs).text = text


def _rect(svg: ET.Element, x: float, y: float, w: float, h: float, fill: str, rx: float = 0) -> None:
    attrs = {"x": _n(x), "y": _n(y), "width": _n(w), "height": _n(h), "fill": fill}
    if rx:
        attrs["rx"] = _n(rx)
    ET.SubElement(svg, "rect", attrs)


def _line(svg: ET.Element, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float) -> ET.Element:
    attrs = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2), "stroke": stroke, "stroke-width": _n(width)}
    return ET.SubElement(svg, "line", attrs)


def _dot(svg: ET.Element, cx: float, cy: float, *, filled: bool) -> None:
    ET.SubElement(
        svg,
        "circle",
        {
            "cx": _n(cx),
            "cy": _n(cy),
            "r": "6",
            "fill": BAR if filled else "#fff",
            "stroke": BAR if filled else MUTED,
            "stroke-width": "2",
        },
    )


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))
