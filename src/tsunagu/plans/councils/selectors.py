"""Reads of councils forming for users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tsunagu.accounts.scope import can_view, municipalities_visible_to
from tsunagu.areas.models import Municipality
from tsunagu.core.errors import NotFound
from tsunagu.plans.councils.models import CouncilFormation, FormationStage


@dataclass(frozen=True)
class Coverage:
    areas: int
    preparatory: int  # areas whose 準備会 was founded (including those now 協議会)
    councils: int


def formations_of(*, user: Any, municipality: Municipality) -> list[CouncilFormation]:
    if not can_view(user, municipality):
        raise NotFound()
    return list(
        CouncilFormation.objects.filter(municipality=municipality)
        .select_related("district")
        .prefetch_related("key_persons")
    )


def coverage_of(formations: list[CouncilFormation]) -> Coverage:
    return Coverage(
        areas=len(formations),
        preparatory=sum(1 for f in formations if f.has_preparatory),
        councils=sum(1 for f in formations if f.stage == FormationStage.COUNCIL),
    )


def formation_get_for_user(*, user: Any, pk: int) -> CouncilFormation:
    row = CouncilFormation.objects.select_related("municipality", "district").filter(pk=pk).first()
    if row is None or not can_view(user, row):
        raise NotFound()
    return row


def municipalities_with_formations_for(*, user: Any) -> list[Municipality]:
    return list(
        municipalities_visible_to(user).filter(
            pk__in=CouncilFormation.objects.values("municipality")
        )
    )


def map_features(formations: list[CouncilFormation]) -> list[dict[str, Any]]:
    """Points (or boundaries) of the areas that have a district with a place on the map."""
    features = []
    for f in formations:
        district = f.district
        if district is None or (district.centre_lat is None and not district.boundary):
            continue
        features.append(
            {
                "label": f.area_label,
                "stage": f.get_stage_display(),
                "stageCode": f.stage,
                "lat": float(district.centre_lat) if district.centre_lat is not None else None,
                "lon": float(district.centre_lon) if district.centre_lon is not None else None,
                "boundary": district.boundary,
            }
        )
    return features
