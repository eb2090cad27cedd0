"""Template filters for Japanese dates, counts and the statistics chart."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
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
    """A percentage as reported (no trailing zeros), or a dash for unknown."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}%"


@register.simple_tag
def population_chart(
    snapshots: list[Any], title: str = "", date_style: str = "wareki"
) -> SafeString:
    """An accessible inline SVG line chart of total and 65+ population, with an HTML legend.

    The figures are also in the table under the chart; the SVG carries a text summary for
    screen readers and a tooltip per point.
    """
    from django.utils.translation import gettext as _

    points = [s for s in snapshots if s.total_population or s.population_65_plus]
    if not points:
        return mark_safe("")
    width, height, pad_left, pad_bottom, pad_top, pad_right = 640, 280, 110, 44, 20, 30
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

    def label_date(day: datetime.date) -> str:
        return jdate(day, date_style)

    parts = [
        f'<line x1="{pad_left}" y1="{height - pad_bottom}" x2="{width - pad_right}" '
        f'y2="{height - pad_bottom}" class="axis"/>',
        f'<line x1="{pad_left}" y1="{pad_top}" x2="{pad_left}" y2="{height - pad_bottom}" '
        'class="axis"/>',
        f'<text x="{pad_left - 8}" y="{pad_top + 6}" text-anchor="end">{maximum:,}</text>',
        f'<text x="{pad_left - 8}" y="{height - pad_bottom}" text-anchor="end">0</text>',
    ]
    for day in dates:
        parts.append(
            f'<text x="{x(day):.1f}" y="{height - pad_bottom + 26}" text-anchor="middle">'
            f"{escape(label_date(day))}</text>"
        )
    series_labels = (
        ("total_population", "series-total", _("総人口")),
        ("population_65_plus", "series-elderly", _("65歳以上人口")),
    )
    for field, css, label in series_labels:
        series = sorted(
            (s.as_of, getattr(s, field)) for s in points if getattr(s, field) is not None
        )
        if not series:
            continue
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in series)
        parts.append(f'<polyline points="{path}" class="{css}"/>')
        for d, v in series:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="6" class="{css}">'
                f"<title>{escape(label)} {v:,}（{escape(label_date(d))}）</title></circle>"
            )
    name = title or _("人口の推移")
    legend = "".join(
        f'<li><span class="swatch {css}" aria-hidden="true"></span>{escape(label)}</li>'
        for _field, css, label in series_labels
    )
    return format_html(
        '<figure class="chart-figure"><svg class="chart" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}">{}</svg><figcaption><ul class="chart-legend">{}</ul></figcaption></figure>',
        width,
        height,
        _("%(name)s の人口の推移（数値は下の表）") % {"name": name},
        mark_safe("".join(parts)),
        mark_safe(legend),
    )


@register.filter
def verbose_name_of(obj: Any) -> str:
    return str(obj._meta.verbose_name)


@register.filter
def markdown(value: str) -> SafeString:
    """Render Markdown (minutes, descriptions) to sanitised HTML."""
    from tsunagu.core.richtext import render_markdown

    return render_markdown(value)
