"""Reads of program instances for users: scoped like the municipality's other records
(its members and the prefecture's staff read, its editors change). Participants' names are
never read here: :mod:`tsunagu.programs.instances.participants`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from tsunagu.accounts.scope import scope_q
from tsunagu.core import wareki
from tsunagu.core.errors import NotFound
from tsunagu.directory import catalog
from tsunagu.programs.instances.models import Enrolment, ParticipationCount, ProgramInstance


def instance_list_visible_to(
    *,
    user: Any,
    service_type: str = "",
    daily_life_area_id: int | None = None,
    district_id: int | None = None,
    provider_id: int | None = None,
    municipality_id: int | None = None,
) -> QuerySet[ProgramInstance]:
    rows = (
        ProgramInstance.objects.filter(scope_q(user))
        .select_related("municipality", "provider", "resource")
        .prefetch_related("daily_life_areas", "districts")
    )
    if service_type:
        # A parent type (一般介護予防事業) lists its parts too.
        codes = [service_type, *(t.code for t in catalog.parts_of(service_type))]
        rows = rows.filter(service_type__in=codes)
    if daily_life_area_id:
        rows = rows.filter(daily_life_areas=daily_life_area_id)
    if district_id:
        rows = rows.filter(districts=district_id)
    if provider_id:
        rows = rows.filter(provider_id=provider_id)
    if municipality_id:
        rows = rows.filter(municipality_id=municipality_id)
    return rows.distinct()


def instance_get_for_user(*, user: Any, pk: int) -> ProgramInstance:
    instance = instance_list_visible_to(user=user).filter(pk=pk).first()
    if instance is None:
        raise NotFound()
    return instance


def counts_of(instance: ProgramInstance) -> QuerySet[ParticipationCount]:
    return instance.counts.all()


# --- report: participation by type and area ---------------------------------------------------


fiscal_year_of = wareki.fiscal_year
fiscal_year_range = wareki.fiscal_year_range


def latest_count_year(*, user: Any) -> int | None:
    """The fiscal year of the latest counted period the user may see (the report's default)."""
    latest = (
        ParticipationCount.objects.filter(program__in=instance_list_visible_to(user=user))
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .first()
    )
    return wareki.fiscal_year(latest) if latest else None


@dataclass
class ParticipationRow:
    service_type: str
    type_label: str
    municipality: str
    area: str
    instances: int = 0
    support_1: int = 0
    support_2: int = 0
    program_eligible: int = 0
    care_needed: int = 0
    other: int = 0
    enrolled: int = 0
    synthetic: bool = False
    instance_ids: list[int] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return (
            self.support_1 + self.support_2 + self.program_eligible + self.care_needed + self.other
        )

    @property
    def support_or_eligible(self) -> int:
        return self.support_1 + self.support_2 + self.program_eligible


def participation_by_type_and_area(
    *, user: Any, fiscal_year: int, municipality_id: int | None = None
) -> list[ParticipationRow]:
    """Participants of the fiscal year per catalog type and area (instance's areas, or
    市町村全域). ``counted`` sums the anonymous counts whose period starts in the year (a
    person counted in two periods is counted twice: the figure is 延べ人数 per period as
    entered); ``enrolled`` is the number of residents enrolled at some time in the year
    (a number only). Rows in catalog order, then municipality and area."""
    start, end = fiscal_year_range(fiscal_year)
    instances = instance_list_visible_to(user=user, municipality_id=municipality_id)
    rows: dict[tuple[str, str, str], ParticipationRow] = {}
    order = {t.code: i for i, t in enumerate(catalog.CATALOG)}
    for instance in instances:
        kind = catalog.get(instance.service_type)
        key = (instance.service_type, str(instance.municipality), instance.area_label())
        row = rows.get(key)
        if row is None:
            row = rows[key] = ParticipationRow(
                instance.service_type,
                str(kind.name) if kind else instance.service_type,
                str(instance.municipality),
                instance.area_label(),
            )
        row.instances += 1
        row.instance_ids.append(instance.pk)
    ids = [i for row in rows.values() for i in row.instance_ids]
    by_instance = {i: row for row in rows.values() for i in row.instance_ids}
    for count in ParticipationCount.objects.filter(
        program_id__in=ids, period_start__gte=start, period_start__lte=end
    ):
        row = by_instance[count.program_id]
        for name in ParticipationCount.MIX_FIELDS:
            setattr(row, name, getattr(row, name) + getattr(count, name))
        row.synthetic = row.synthetic or count.is_synthetic
    enrolled = (
        Enrolment.objects.filter(program_id__in=ids, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values_list("program_id", "resident_id")
        .distinct()
    )
    seen: set[tuple[int, int]] = set()
    for instance_id, resident_id in enrolled:
        row = by_instance[instance_id]
        key = (id(row), resident_id)
        if key not in seen:
            seen.add(key)
            row.enrolled += 1
    return sorted(
        rows.values(), key=lambda r: (order.get(r.service_type, 99), r.municipality, r.area)
    )
