"""Template filters for Japanese dates, counts and the statistics chart."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tsunagu.core import wareki

register = template.Library()


@register.filter
def jdate(value: Any, style: str = "wareki") -> str:
    """A date in the user's chosen style (和暦 or 西暦); datetimes in Asia/Tokyo."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{wareki.format_date(local.date(), style or 'wareki')} {local:%H:%M}"
    try:
        return wareki.format_date(value, style or "wareki")
    except ValueError:
        return value.isoformat()


@register.filter
def jfy(value: int | None, style: str = "wareki") -> str:
    if value is None:
        return ""
    return wareki.format_fiscal_year(value, style or "wareki")


@register.filter
def count(value: Any) -> str:
    """An integer with thousands separators, or a dash for unknown."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"


@register.filter
def rate(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}%"


@register.simple_tag
def population_chart(snapshots: list[Any], title: str = "") -> SafeString:
    """An accessible inline SVG line chart of total and 65+ population over time."""
    points = [s for s in snapshots if s.total_population or s.population_65_plus]
    if len(points) < 1:
        return mark_safe("")
    width, height, pad_left, pad_bottom, pad_top, pad_right = 640, 260, 90, 40, 20, 20
    maximum = max(max(s.total_population or 0, s.population_65_plus or 0) for s in points) or 1
    dates = sorted({s.as_of for s in points})
    first, last = dates[0].toordinal(), dates[-1].toordinal()
    span = max(last - first, 1)

    def x(day: datetime.date) -> float:
        if first == last:
            return pad_left + (width - pad_left - pad_right) / 2
        return pad_left + (day.toordinal() - first) / span * (width - pad_left - pad_right)

    def y(value: int) -> float:
        return pad_top + (1 - value / maximum) * (height - pad_top - pad_bottom)

    parts = [
        f'<line x1="{pad_left}" y1="{height - pad_bottom}" x2="{width - pad_right}" '
        f'y2="{height - pad_bottom}" class="axis"/>',
        f'<line x1="{pad_left}" y1="{pad_top}" x2="{pad_left}" y2="{height - pad_bottom}" class="axis"/>',
        f'<text x="{pad_left - 8}" y="{pad_top + 5}" text-anchor="end">{maximum:,}</text>',
        f'<text x="{pad_left - 8}" y="{height - pad_bottom}" text-anchor="end">0</text>',
    ]
    for day in dates:
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - pad_bottom + 20}" text-anchor="middle">'
            f"{wareki.format_date(day, 'wareki')}</text>"
        )
    for field, css, label in (
        ("total_population", "series-total", "総人口"),
        ("population_65_plus", "series-elderly", "65歳以上"),
    ):
        series = sorted(
            (s.as_of, getattr(s, field)) for s in points if getattr(s, field) is not None
        )
        if not series:
            continue
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series)
        parts.append(f'<polyline points="{path}" class="{css}"/>')
        for d, v in series:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="5" class="{css}">'
                f"<title>{label} {v:,}人（{wareki.format_date(d, 'wareki')}）</title></circle>"
            )
    legend = (
        '<g class="legend"><rect x="100" y="4" width="14" height="4" class="series-total"/>'
        '<text x="120" y="10">総人口</text>'
        '<rect x="200" y="4" width="14" height="4" class="series-elderly"/>'
        '<text x="220" y="10">65歳以上人口</text></g>'
    )
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}{}</svg>',
        width,
        height,
        title or "人口の推移",
        mark_safe(legend),
        mark_safe("".join(parts)),
    )
    return svg


@register.filter
def verbose_name_of(obj: Any) -> str:
    return str(obj._meta.verbose_name)


@register.filter
def markdown(value: str) -> SafeString:
    """Render Markdown (minutes, descriptions) to sanitised HTML."""
    from tsunagu.core.richtext import render_markdown

    return render_markdown(value)
