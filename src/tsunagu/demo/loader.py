"""Load the demo dataset reconstructed from the seed report, idempotently.

Running it again changes nothing that is already as the report says: areas and
snapshots are matched on natural keys (codes; municipality + name; area + date +
source), and only differences are written (through the services, so with history).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.services import membership_grant, system_actor
from tsunagu.areas import services as area_services
from tsunagu.areas.models import (
    AreaBase,
    DailyLifeArea,
    District,
    Municipality,
    Prefecture,
)
from tsunagu.areas.selectors import snapshots_of_area
from tsunagu.areas.services import AreaFields, SnapshotFields
from tsunagu.core.fields import fields_from
from tsunagu.demo import report_data
from tsunagu.directory.models import Organisation

DEMO_PASSWORD = "tsunagu-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    prefecture: str | None = None  # code
    municipality: str | None = None  # code
    coordinator_layer: int | None = None
    title: str = ""
    organisation: str | None = None  # name of a demo organisation of that municipality
    can_view_personal_data: bool = False  # e.g. mobility riders (要配慮個人情報)
    can_view_care_records: bool = False  # care's residents (要配慮個人情報, ADR 0007)


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "システム管理者", Role.SYSTEM_ADMIN, title="つなぐ運用担当"),
    DemoUser(
        "fukuoka", "福岡県 地域包括ケア推進担当課 職員", Role.PREFECTURE_STAFF, prefecture="400009"
    ),
    DemoUser(
        "oita", "大分県 地域包括ケア推進担当課 職員", Role.PREFECTURE_STAFF, prefecture="440001"
    ),
    DemoUser(
        "kagoshima-pref",
        "鹿児島県 地域包括ケア推進担当課 職員",
        Role.PREFECTURE_STAFF,
        prefecture="460001",
    ),
    DemoUser("kawara", "香春町 保険健康課 職員", Role.MUNICIPALITY_STAFF, municipality="406015"),
    DemoUser("saiki", "佐伯市 高齢者福祉課 職員", Role.MUNICIPALITY_STAFF, municipality="442054"),
    DemoUser(
        "kagoshima", "鹿児島市 長寿あんしん課 職員", Role.MUNICIPALITY_STAFF, municipality="462012"
    ),
    DemoUser("kurume", "久留米市 長寿支援課 職員", Role.MUNICIPALITY_STAFF, municipality="402036"),
    DemoUser("izumi", "出水市 いきいき長寿課 職員", Role.MUNICIPALITY_STAFF, municipality="462080"),
    DemoUser(
        "kawara-houkatsu",
        "香春町 地域包括支援センター 職員",
        Role.CARE_CENTER_STAFF,
        municipality="406015",
        can_view_care_records=True,
    ),
    DemoUser(
        "kagoshima-houkatsu",
        "鹿児島市 地域包括支援センター 職員",
        Role.CARE_CENTER_STAFF,
        municipality="462012",
        can_view_care_records=True,
    ),
    DemoUser(
        "kurume-houkatsu",
        "久留米市 地域包括支援センター 職員",
        Role.CARE_CENTER_STAFF,
        municipality="402036",
        can_view_care_records=True,
    ),
    DemoUser(
        "izumi-houkatsu",
        "出水市 地域包括支援センター 職員",
        Role.CARE_CENTER_STAFF,
        municipality="462080",
        can_view_care_records=True,
    ),
    DemoUser(
        "saiki-sc",
        "佐伯市 第2層 生活支援コーディネーター",
        Role.COORDINATOR,
        municipality="442054",
        coordinator_layer=2,
        can_view_personal_data=True,
    ),
    DemoUser(
        "kagoshima-sc",
        "鹿児島市 第1層 生活支援コーディネーター",
        Role.COORDINATOR,
        municipality="462012",
        coordinator_layer=1,
    ),
    # Continuity (issue 16): the care-centre staff member whose planned transfer reproduces
    # 事例表№3 鹿児島市 1(2), and the colleague who takes over. Synthetic accounts.
    DemoUser(
        "kagoshima-anshin",
        "デモ 鹿児島市 長寿あんしん相談センター 職員（異動予定）",
        Role.CARE_CENTER_STAFF,
        municipality="462012",
    ),
    DemoUser(
        "kagoshima-anshin-successor",
        "デモ 鹿児島市 長寿あんしん相談センター 職員（後任）",
        Role.CARE_CENTER_STAFF,
        municipality="462012",
    ),
    DemoUser(
        "kawara-council",
        "採銅所地域コミュニティ協議会 会員",
        Role.ORGANISATION_MEMBER,
        municipality="406015",
        organisation="採銅所地域コミュニティ協議会",
    ),
    DemoUser(
        "naokawa",
        "直川地域コミュニティ協議会 事務局（移動支援の受付）",
        Role.ORGANISATION_MEMBER,
        municipality="442054",
        organisation="直川地域コミュニティ協議会",
    ),
    DemoUser(
        "miyatasuke",
        "宮たすけ隊 代表（送迎の受付）",
        Role.ORGANISATION_MEMBER,
        municipality="462012",
        organisation="宮たすけ隊",
    ),
    DemoUser("advisor", "地域づくり加速化事業 アドバイザー", Role.ADVISOR, prefecture="460001"),
    DemoUser("kurume-viewer", "久留米市 閲覧者", Role.VIEWER, municipality="402036"),
)


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def describe(self) -> str:
        """The counts a user reads: only those that happened (no 「更新 0 件」 on a first load)."""
        parts = [
            f"{label} {n} 件" for label, n in (("新規", self.created), ("更新", self.updated)) if n
        ]
        if self.unchanged and (self.updated or not self.created):
            parts.append(f"変更なし {self.unchanged} 件")
        return " / ".join(parts) or "変更なし"


def _upsert_area(
    existing: AreaBase | None, create: Any, data: dict[str, Any], actor: Any, summary: LoadSummary
) -> AreaBase:
    if existing is None:
        summary.count("created")
        return create()
    before = existing.updated_at
    area = area_services.area_update(
        area=existing, fields=fields_from(AreaFields, data), actor=actor
    )
    summary.count("updated" if area.updated_at != before else "unchanged")
    return area


def _snapshot_data(entry: dict[str, Any]) -> dict[str, Any]:
    rate = entry.get("reported_aging_rate")
    return {
        "as_of": datetime.date.fromisoformat(entry["as_of"]),
        "as_of_precision": entry.get("as_of_precision", "day"),
        "as_of_text": " ".join(entry.get("as_of_text", "").split()),
        "total_population": entry.get("total_population"),
        "population_65_plus": entry.get("population_65_plus"),
        "population_75_plus": entry.get("population_75_plus"),
        "support_required": entry.get("support_required"),
        "care_required": entry.get("care_required"),
        "certified_total": entry.get("certified_total"),
        "program_eligible": entry.get("program_eligible"),
        "reported_aging_rate": Decimal(rate) if rate is not None else None,
        "source": entry["source"],
    }


@transaction.atomic
def load_areas_and_statistics(actor: Any) -> LoadSummary:
    summary = LoadSummary()
    prefectures: dict[str, Prefecture] = {}
    for entry in report_data.PREFECTURES:
        data = {k: entry[k] for k in ("name", "name_kana", "name_en")}
        existing = Prefecture.objects.filter(code=entry["code"]).first()
        prefectures[entry["code"]] = _upsert_area(  # type: ignore[assignment]
            existing,
            lambda e=entry, d=data: area_services.prefecture_create(
                code=e["code"], fields=fields_from(AreaFields, d), actor=actor
            ),
            data,
            actor,
            summary,
        )
    municipalities: dict[str, Municipality] = {}
    for entry in report_data.MUNICIPALITIES:
        data = {k: entry[k] for k in ("name", "name_kana", "name_en")}
        existing = Municipality.objects.filter(code=entry["code"]).first()
        if existing is None:
            # A demo loaded before a code was corrected (出水市 was 462063, 阿久根市's code).
            existing = Municipality.objects.filter(
                prefecture=prefectures[entry["prefecture"]], name=entry["name"]
            ).first()
            if existing is not None:
                area_services.municipality_code_correct(
                    municipality=existing, code=entry["code"], actor=actor
                )
        municipalities[entry["code"]] = _upsert_area(  # type: ignore[assignment]
            existing,
            lambda e=entry, d=data: area_services.municipality_create(
                prefecture=prefectures[e["prefecture"]],
                code=e["code"],
                fields=fields_from(AreaFields, d),
                actor=actor,
            ),
            data,
            actor,
            summary,
        )
    daily_life_areas: dict[tuple[str, str], DailyLifeArea] = {}
    for entry in report_data.DAILY_LIFE_AREAS:
        municipality = municipalities[entry["municipality"]]
        data = {
            "name": entry["name"],
            "name_kana": entry.get("name_kana", ""),
            "note": entry["source"],
        }
        existing = DailyLifeArea.objects.filter(
            municipality=municipality, name=entry["name"]
        ).first()
        daily_life_areas[(entry["municipality"], entry["name"])] = _upsert_area(  # type: ignore[assignment]
            existing,
            lambda m=municipality, d=data: area_services.sub_area_create(
                municipality=m,
                kind="daily_life_area",
                fields=fields_from(AreaFields, d),
                actor=actor,
            ),
            data,
            actor,
            summary,
        )
    districts: dict[tuple[str, str], District] = {}
    for entry in report_data.DISTRICTS:
        municipality = municipalities[entry["municipality"]]
        note = "\n".join(
            part for part in (entry.get("note", ""), f"出典: {entry['source']}") if part
        )
        data = {
            "name": entry["name"],
            "district_kind": entry["kind"],
            "daily_life_area": daily_life_areas.get(
                (entry["municipality"], entry["daily_life_area"] or "")
            ),
            "note": note,
        }
        existing = District.objects.filter(municipality=municipality, name=entry["name"]).first()
        districts[(entry["municipality"], entry["name"])] = _upsert_area(  # type: ignore[assignment]
            existing,
            lambda m=municipality, d=data: area_services.sub_area_create(
                municipality=m, kind="district", fields=fields_from(AreaFields, d), actor=actor
            ),
            data,
            actor,
            summary,
        )
    areas: dict[str, dict[Any, AreaBase]] = {
        "prefecture": prefectures,  # type: ignore[dict-item]
        "municipality": municipalities,  # type: ignore[dict-item]
        "daily_life_area": daily_life_areas,  # type: ignore[dict-item]
        "district": districts,  # type: ignore[dict-item]
    }
    for entry in report_data.STATISTICS:
        kind, key = entry["area"]
        area = areas[kind][tuple(key) if isinstance(key, list) else key]
        data = _snapshot_data(entry)
        existing = (
            snapshots_of_area(area).filter(as_of=data["as_of"], source=data["source"]).first()
        )
        if existing is None:
            area_services.statistics_snapshot_record(
                area=area,
                fields=fields_from(SnapshotFields, data),
                actor=actor,
                accept_inconsistency=True,
            )
            summary.count("created")
            continue
        before = existing.updated_at
        updated = area_services.statistics_snapshot_update(
            snapshot=existing,
            fields=fields_from(SnapshotFields, data),
            actor=actor,
            accept_inconsistency=True,
        )
        summary.count("updated" if updated.updated_at != before else "unchanged")
    return summary


@transaction.atomic
def load_demo_users(actor: Any) -> list[DemoUser]:
    """Create (or reset the password of) every demo account and give it its role."""
    User = get_user_model()
    demo_hash = make_password(DEMO_PASSWORD)
    prefectures = {p.code: p for p in Prefecture.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for demo in DEMO_USERS:
        user, _created = User.objects.get_or_create(
            username=demo.username, defaults={"full_name": demo.full_name}
        )
        user.full_name = demo.full_name
        user.is_staff = demo.role == Role.SYSTEM_ADMIN  # the Django admin, for operators
        # One hash for every demo account: PBKDF2 is slow on purpose, and these
        # passwords are printed for everyone anyway.
        user.password = demo_hash
        user.save()
        prefecture = prefectures.get(demo.prefecture or "")
        municipality = municipalities.get(demo.municipality or "")
        organisation = (
            Organisation.objects.get(municipality=municipality, name=demo.organisation)
            if demo.organisation
            else None
        )
        if not Membership.objects.filter(
            user=user, role=demo.role, prefecture=prefecture, municipality=municipality
        ).exists():
            membership_grant(
                user=user,
                role=demo.role,
                prefecture=prefecture,
                municipality=municipality,
                organisation=organisation,
                coordinator_layer=demo.coordinator_layer,
                title=demo.title or demo.full_name,
                can_view_personal_data=demo.can_view_personal_data,
                can_view_care_records=demo.can_view_care_records,
                actor=actor,
            )
    return list(DEMO_USERS)


def load_demo() -> LoadSummary:
    """Areas, statistics and demo accounts. Safe to run any number of times."""
    from tsunagu.demo.bodies_loader import load_bodies
    from tsunagu.demo.care_loader import load_care
    from tsunagu.demo.checklist_loader import load_checklists
    from tsunagu.demo.continuity_loader import load_continuity
    from tsunagu.demo.courses_loader import load_courses
    from tsunagu.demo.directory_loader import load_directory
    from tsunagu.demo.engagements_loader import load_engagements
    from tsunagu.demo.indicators_loader import load_indicators
    from tsunagu.demo.mobility_loader import load_mobility
    from tsunagu.demo.plans_loader import load_plans
    from tsunagu.demo.programs_loader import load_programs
    from tsunagu.demo.service_b_loader import load_service_b
    from tsunagu.demo.surveys_loader import load_surveys
    from tsunagu.demo.transit_loader import load_transit

    actor = system_actor()
    load_started = timezone.now()
    summary = load_areas_and_statistics(actor)
    load_directory(actor, summary)
    load_bodies(actor, summary)
    load_demo_users(actor)
    # After the users: engagements grant the demo advisor its engagements.
    load_engagements(actor, summary)
    load_transit(actor, summary)
    load_mobility(actor, summary)
    load_surveys(actor, summary)
    load_service_b(actor, summary)
    load_care(actor, summary)
    load_continuity(actor, summary)
    load_programs(actor, summary)
    load_checklists(actor, summary)
    load_courses(actor, summary)
    load_plans(actor, summary)
    load_indicators(actor, summary)
    date_demo_history(since=load_started)
    return summary


def _history_dates() -> list[tuple[type[Any], str]]:
    """Demo models whose history rows take the report's date, with the field that holds it."""
    from tsunagu.bodies.models import ConsultativeBody, Meeting
    from tsunagu.engagements.models import Engagement, Visit
    from tsunagu.regional_issues.models import ExecutingActor, RegionalIssue

    return [
        (RegionalIssue, "stage_entered_at"),  # the raise, then each stage's date
        (Meeting, "starts_at"),
        (Engagement, "status_changed_at"),
        (Visit, "visited_on"),
        (ConsultativeBody, "established_on"),
        (ExecutingActor, "agreed_on"),
    ]


@transaction.atomic
def date_demo_history(*, since: datetime.datetime) -> int:
    """Give the history rows this load wrote the report's date instead of the load time.

    Only rows written since ``since`` are touched, and only where the version holds a date
    the report gives; a date still in the future (a planned meeting) keeps the load time.
    Rows of records the report gives no date for keep the load time. Returns the rows dated.
    """
    dated = 0
    for model, field in _history_dates():
        historical = model.history.model  # type: ignore[attr-defined]
        rows = list(historical.objects.filter(history_date__gte=since))
        for row in rows:
            value = getattr(row, field)
            if value is None:
                continue
            if not isinstance(value, datetime.datetime):
                value = timezone.make_aware(datetime.datetime.combine(value, datetime.time()))
            if value < row.history_date:
                row.history_date = value
                dated += 1
        historical.objects.bulk_update(rows, ["history_date"])
    return dated
