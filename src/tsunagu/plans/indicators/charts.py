"""Line charts as inline SVG, rendered on the server (no JavaScript, prints as it shows).

Every chart is drawn from the same rows the table beside it lists; a missing value breaks
the line rather than being drawn as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 16, 40
# Colour-blind-safe (Okabe–Ito), and each line also has its own marker shape.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square")


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, Decimal | int | None]  # year → value


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(value)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart_svg(
    *,
    chart_id: str,
    title: str,
    years: list[int],
    series: list[Series],
    unit: str,
    year_label: dict[int, str],
) -> str:
    """An accessible SVG (role="img", <title>, <desc>) of ``series`` over ``years``."""
    values = [float(v) for s in series for v in s.points.values() if v is not None]
    top = _nice_max(max(values) if values else 0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    first, last = (years[0], years[-1]) if years else (0, 0)

    def x_of(index: int) -> float:
        # Placed by year, so that 平成29年 → 令和3年 → 令和6年 shows the real gaps.
        if last == first:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (years[index] - first) / (last - first)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="trend-chart" aria-labelledby="t-{chart_id} d-{chart_id}">',
        f'<title id="t-{chart_id}">{escape(title)}</title>',
        f'<desc id="d-{chart_id}">{escape(title)}の推移。数値は右の表にあります。</desc>',
    ]
    for step in range(5):
        value = top * step / 4
        y = y_of(value)
        label = f"{value:,.1f}" if top < 10 else f"{value:,.0f}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
            f"{label}</text>"
        )
    for index, year in enumerate(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="12">{escape(year_label.get(year, str(year)))}</text>'
        )
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 4}" font-size="12">単位: {escape(unit)}</text>')
    for number, line in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        marker = MARKERS[number % len(MARKERS)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for index, year in enumerate(years):
            value = line.points.get(year)
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            x, y = x_of(index), y_of(float(value))
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f"<g>{_marker(marker, x, y, colour)}<title>{escape(line.label)} "
                f"{escape(year_label.get(year, str(year)))}: {value:,} {escape(unit)}</title></g>"
            )
        if segment:
            segments.append(segment)
        for points in segments:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                f'points="{" ".join(points)}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def legend(series: list[Series]) -> list[dict[str, str]]:
    return [
        {"label": s.label, "colour": COLOURS[i % len(COLOURS)], "marker": MARKERS[i % len(MARKERS)]}
        for i, s in enumerate(series)
    ]
