"""Reads of areas and statistics, always scoped to the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.areas.inconsistencies import Inconsistency, check_snapshots
from tsunagu.areas.models import (
    AreaBase,
    DailyLifeArea,
    District,
    Municipality,
    Prefecture,
    StatisticsSnapshot,
)
from tsunagu.core.errors import NotFound
from tsunagu.core.sorting import naturally_ordered

AREA_MODELS: dict[str, type[AreaBase]] = {
    "prefecture": Prefecture,
    "municipality": Municipality,
    "daily_life_area": DailyLifeArea,
    "district": District,
}


def prefecture_list_visible_to(*, user: Any) -> QuerySet[Prefecture]:
    """Prefectures whose own page the user may open (prefecture members and admins)."""
    return Prefecture.objects.filter(scope_q(user, municipality_field=None, prefecture_field="pk"))


def municipality_list_visible_to(*, user: Any) -> QuerySet[Municipality]:
    return Municipality.objects.filter(scope_q(user, municipality_field="pk")).select_related(
        "prefecture"
    )


def area_get_for_user(*, user: Any, kind: str, pk: int) -> AreaBase:
    """The area, or NotFound both when it does not exist and when the user may not see it."""
    model = AREA_MODELS.get(kind)
    if model is None:
        raise NotFound()
    queryset = model._default_manager.all()
    if kind in ("daily_life_area", "district"):
        queryset = queryset.select_related("municipality__prefecture")
    elif kind == "municipality":
        queryset = queryset.select_related("prefecture")
    area = queryset.filter(pk=pk).first()
    if area is None or not can_view(user, area):
        raise NotFound()
    return area


def snapshots_of_area(area: AreaBase) -> QuerySet[StatisticsSnapshot]:
    """The snapshots of exactly this area (not its sub-areas), oldest first."""
    base = StatisticsSnapshot.objects.select_related(
        "prefecture", "municipality", "daily_life_area", "district"
    )
    if isinstance(area, Prefecture):
        return base.filter(prefecture=area)
    if isinstance(area, Municipality):
        return base.filter(municipality=area, daily_life_area__isnull=True, district__isnull=True)
    if isinstance(area, DailyLifeArea):
        return base.filter(daily_life_area=area, district__isnull=True)
    return base.filter(district=area)


def snapshot_get_for_user(*, user: Any, pk: int) -> StatisticsSnapshot:
    snapshot = (
        StatisticsSnapshot.objects.select_related(
            "prefecture", "municipality__prefecture", "daily_life_area", "district"
        )
        .filter(pk=pk)
        .first()
    )
    if snapshot is None or not can_view(user, snapshot):
        raise NotFound()
    return snapshot


def sub_areas_of(area: AreaBase) -> dict[str, QuerySet[Any]]:
    """Direct children of an area, by kind; areas in natural order (第1圏域 < 第10圏域)."""
    if isinstance(area, Prefecture):
        return {"municipality": area.municipalities.all()}
    if isinstance(area, Municipality):
        return {
            "daily_life_area": naturally_ordered(area.daily_life_areas.all()),
            "district": naturally_ordered(area.districts.select_related("daily_life_area")),
        }
    if isinstance(area, DailyLifeArea):
        return {"district": naturally_ordered(area.districts.all())}
    return {}


def inconsistencies_of_area(area: AreaBase) -> list[Inconsistency]:
    return check_snapshots(snapshots_of_area(area))


def latest_snapshot_with_population(area: AreaBase) -> StatisticsSnapshot | None:
    return (
        snapshots_of_area(area)
        .filter(total_population__isnull=False)
        .order_by("-as_of", "-id")
        .first()
    )


def municipality_summaries_for(*, user: Any) -> list[dict[str, Any]]:
    """Dashboard rows: each visible municipality with its latest figures and inconsistencies."""
    snapshots = StatisticsSnapshot.objects.filter(
        daily_life_area__isnull=True, district__isnull=True
    ).select_related("municipality", "prefecture")
    municipalities = municipality_list_visible_to(user=user).prefetch_related(
        Prefetch("statistics", queryset=snapshots, to_attr="own_snapshots")
    )
    rows = []
    for municipality in municipalities:
        own = municipality.own_snapshots
        with_population = [s for s in own if s.total_population is not None]
        latest = max(with_population, key=lambda s: (s.as_of, s.id), default=None)
        rows.append(
            {
                "area": municipality,
                "latest": latest,
                "inconsistencies": check_snapshots(own),
            }
        )
    return rows


def prefecture_summaries_for(*, user: Any) -> list[dict[str, Any]]:
    snapshots = StatisticsSnapshot.objects.select_related("prefecture")
    prefectures = prefecture_list_visible_to(user=user).prefetch_related(
        Prefetch("statistics", queryset=snapshots, to_attr="own_snapshots")
    )
    rows = []
    for prefecture in prefectures:
        own = prefecture.own_snapshots
        with_population = [s for s in own if s.total_population is not None]
        rows.append(
            {
                "area": prefecture,
                "latest": max(with_population, key=lambda s: (s.as_of, s.id), default=None),
                "inconsistencies": check_snapshots(own),
            }
        )
    return rows


def inconsistencies_all() -> list[Inconsistency]:
    """Every inconsistency in the database: for operators (``tsunagu check-data``) only."""
    return check_snapshots(
        StatisticsSnapshot.objects.select_related(
            "prefecture", "municipality", "daily_life_area", "district"
        )
    )
