"""Community readiness for graduates (受皿の準備状況), per district of a municipality.

The 受皿 are the directory's resources that receive graduates: the 通いの場・サロン category
and its children (体操・介護予防教室, 認知症カフェ), and the resources registered as 総合事業
service B (訪問型B / 通所型B) or 地域介護予防活動支援事業. For each district: the 受皿 that serve
it (its own and the municipality-wide ones) with schedules, capacity and conditions, how many
graduates each received, how many graduates live there and how many graduated with no 受皿.
A district is short of 受皿 when a graduate living there had nowhere to go, or graduates
live there and no 受皿 serves it. Aggregates only: no person is named.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tsunagu.areas.models import District
from tsunagu.care.referrals.models import ReferralStatus
from tsunagu.core.choices import Weekday
from tsunagu.directory.models import Resource, ResourceStatus
from tsunagu.directory.selectors import resource_list_visible_to
from tsunagu.programs.courses.models import Participant

GATHERING_CATEGORY = "gathering"  # directory.taxonomy: 通いの場・サロン
RECEIVER_SERVICE_TYPES = ("home_b", "day_b", "gp_community_activity")
# Professional services (A, C, 現行相当) are not 受皿 even when filed under 体操・介護予防教室.
NOT_RECEIVER_SERVICE_TYPES = (
    "home_equivalent",
    "home_a",
    "home_c",
    "day_equivalent",
    "day_a",
    "day_c",
)
RECEIVED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.STARTED, ReferralStatus.ENDED)
OPEN_RESOURCE_STATUSES = (ResourceStatus.ACTIVE, ResourceStatus.PLANNED)


def receiver_q() -> Q:
    gathering = Q(category__code=GATHERING_CATEGORY) | Q(category__parent__code=GATHERING_CATEGORY)
    return (gathering & ~Q(sogo_service_type__in=NOT_RECEIVER_SERVICE_TYPES)) | Q(
        sogo_service_type__in=RECEIVER_SERVICE_TYPES
    )


def _slot_text(slot: Any, weekdays: dict[int, Any]) -> str:
    prefix = f"第{slot.week_of_month}" if slot.week_of_month else "毎週"
    times = (
        f" {slot.opens_at:%H:%M}〜{slot.closes_at:%H:%M}"
        if slot.opens_at and slot.closes_at
        else ""
    )
    return f"{prefix}{weekdays.get(slot.weekday, '')}{times}"


def _summary_html(resource: Any) -> str:
    """One 受皿 as the readiness page lists it (built once: a place serving the whole
    municipality is listed in every district)."""
    parts = [resource.category.name]
    if resource.serves_whole_municipality:
        parts.append(_("市町村全域"))
    details = [resource.schedule_text]
    if resource.capacity:
        details.append(f"{_('定員')}{resource.capacity}")
    details.append(resource.eligibility_note)
    return format_html(
        "{}（{}）{} — {} {}",
        resource.name,
        "・".join(str(p) for p in parts),
        "".join(f" {d}" for d in details if d),
        _("受け入れた卒業者"),
        resource.graduates_received,
    )


@dataclass
class DistrictReadiness:
    district: Any
    receivers: list[Any] = field(default_factory=list)
    graduates: int = 0
    no_receiver: int = 0

    @property
    def receiver_count(self) -> int:
        return len(self.receivers)

    @property
    def short(self) -> bool:
        return self.no_receiver > 0 or (self.graduates > 0 and not self.receivers)

    def figures_text(self) -> str:
        return (
            f"地区: {self.district.name} / 受皿の数: {self.receiver_count} / "
            f"卒業者: {self.graduates}人 / 受皿なしで卒業: {self.no_receiver}人"
        )


@dataclass
class Readiness:
    municipality: Any
    districts: list[DistrictReadiness]
    whole_municipality: list[Any]
    no_district_graduates: int
    no_district_no_receiver: int

    @property
    def short_districts(self) -> list[DistrictReadiness]:
        return [d for d in self.districts if d.short]


def readiness_for(*, user: Any, municipality: Any) -> Readiness:
    """The readiness of ``municipality`` (the caller checked the care right)."""
    resources = list(
        resource_list_visible_to(user=user)
        .filter(receiver_q(), municipality=municipality, status__in=OPEN_RESOURCE_STATUSES)
        .select_related("category", "provider")
        .prefetch_related("weekly_slots")
        .order_by("name_kana", "name", "pk")
    )
    received = dict(
        Participant.objects.filter(
            course__municipality=municipality,
            receiver_referral__status__in=RECEIVED_STATUSES,
            receiver_referral__resource__isnull=False,
        )
        .values_list("receiver_referral__resource")
        .annotate(n=Count("pk"))
        .order_by()
    )
    weekdays = dict(Weekday.choices)
    for resource in resources:
        resource.graduates_received = received.get(resource.pk, 0)
        # Shown in every district the place serves: computed once here (the page lists
        # hundreds of them; per-item lookups in the template would cost most of its time).
        slots = [_slot_text(slot, weekdays) for slot in resource.weekly_slots.all()] or [
            resource.schedule_note
        ]
        resource.schedule_text = " ".join(s for s in slots if s)
        resource.summary_html = _summary_html(resource)
    graduates = {
        row["resident__district"]: row
        for row in Participant.objects.filter(
            course__municipality=municipality, graduated_on__isnull=False
        )
        .values("resident__district")
        .annotate(
            graduates=Count("pk"),
            no_receiver=Count("pk", filter=Q(receiver_referral__isnull=True)),
        )
        .order_by()
    }
    whole = [r for r in resources if r.serves_whole_municipality]
    by_pk = {r.pk: r for r in resources}
    serving: dict[int, list[Any]] = {}
    links = Resource.districts.through.objects.filter(resource_id__in=list(by_pk)).values_list(
        "district_id", "resource_id"
    )
    for district_id, resource_id in links.order_by("resource_id"):
        serving.setdefault(district_id, []).append(by_pk[resource_id])
    rows = []
    districts = District.objects.filter(municipality=municipality).only("pk", "name")
    for district in districts.order_by("pk"):
        own = serving.get(district.pk, [])
        figures = graduates.get(district.pk, {})
        rows.append(
            DistrictReadiness(
                district=district,
                receivers=own + [r for r in whole if r not in own],
                graduates=figures.get("graduates", 0),
                no_receiver=figures.get("no_receiver", 0),
            )
        )
    unknown = graduates.get(None, {})
    return Readiness(
        municipality=municipality,
        districts=rows,
        whole_municipality=whole,
        no_district_graduates=unknown.get("graduates", 0),
        no_district_no_receiver=unknown.get("no_receiver", 0),
    )


def district_readiness(
    *, user: Any, municipality: Any, district_id: int
) -> DistrictReadiness | None:
    for row in readiness_for(user=user, municipality=municipality).districts:
        if row.district.pk == district_id:
            return row
    return None
