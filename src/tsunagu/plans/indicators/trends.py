"""The trend page's content: one chart and one table per indicator, for an area and the
areas it is compared with (its prefecture, chosen municipalities)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from tsunagu.core import wareki
from tsunagu.plans.indicators.charts import Series, legend, line_chart_svg
from tsunagu.plans.indicators.models import IndicatorYear, YearBasis

# (attribute, title, unit, printed attribute or "", compared across areas)
METRICS = (
    ("population_65_plus", "65歳以上人口", "人", "", False),
    ("support_total", "要支援者数（要支援1・2）", "人", "", False),
    ("care_total", "要介護者数（要介護1〜5）", "人", "", False),
    ("new_certified_total", "新規認定者数", "人", "", False),
    ("program_eligible", "事業対象者数", "人", "", False),
    (
        "certification_rate",
        "認定率（認定者数 ÷ 65歳以上人口）",
        "％",
        "certification_rate_printed",
        True,
    ),
    (
        "gathering_rate",
        "通いの場の参加率（参加者数 ÷ 65歳以上人口）",
        "％",
        "gathering_rate_printed",
        True,
    ),
)


@dataclass(frozen=True)
class TableRow:
    area: str
    year_label: str
    value: Any
    printed: Any
    source: str
    synthetic: bool


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    unit: str
    svg: SafeString
    legend: list[dict[str, str]]
    rows: list[TableRow]
    has_printed: bool
    compared: bool


def year_label(row: IndicatorYear) -> str:
    if row.period_text:
        return row.period_text
    if row.year_basis == YearBasis.FISCAL:
        return wareki.format_fiscal_year(row.year)
    return f"{row.year}年"


def _value(row: IndicatorYear, attribute: str, printed: str) -> Any:
    value = getattr(row, attribute)
    if value is None and printed:
        return getattr(row, printed)  # only the printed rate is known
    return value


def build_charts(
    *, main: tuple[str, list[IndicatorYear]], others: list[tuple[str, list[IndicatorYear]]]
) -> list[Chart]:
    """Charts with data; a metric nobody has is left out. Counts are charted for the main
    area only (a prefecture's counts dwarf a town's); rates are compared across areas."""
    charts = []
    for attribute, title, unit, printed, compared in METRICS:
        areas = [main, *others] if compared else [main]
        series = []
        rows: list[TableRow] = []
        labels: dict[int, str] = {}
        for name, area_rows in areas:
            points: dict[int, Decimal | int | None] = {}
            for row in area_rows:
                value = _value(row, attribute, printed)
                labels.setdefault(row.year, year_label(row))
                if value is not None:
                    points[row.year] = value
                rows.append(
                    TableRow(
                        area=name,
                        year_label=year_label(row),
                        value=getattr(row, attribute),
                        printed=getattr(row, printed) if printed else None,
                        source=row.source,
                        synthetic=row.is_synthetic,
                    )
                )
            if points:
                series.append(Series(label=name, points=points))
        if not series:
            continue
        years = sorted({year for s in series for year in s.points})
        charts.append(
            Chart(
                key=attribute,
                title=title,
                unit=unit,
                svg=mark_safe(
                    line_chart_svg(
                        chart_id=attribute,
                        title=title,
                        years=years,
                        series=series,
                        unit=unit,
                        year_label=labels,
                    )
                ),
                legend=legend(series),
                rows=[r for r in rows if r.value is not None or r.printed is not None],
                has_printed=bool(printed),
                compared=compared,
            )
        )
    return charts
