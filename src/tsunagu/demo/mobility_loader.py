"""Demo data of mobility support (移動支援), reconstructed from the seed report where it says
something and **synthetic** where it does not.

From the report (事例表 佐伯市・鹿児島市):
- 佐伯市 直川地域: 直川地域コミュニティ協議会 prepares volunteer rides; 運転ボランティア養成講座
  (令和5年12月) and 介助講習 (令和6年2月) held by the city; three pilots in 令和6年度; the
  details (対象者・実施形態・経費) still under discussion in 令和7年5月.
- 佐伯市 弥生地域: a 社会福祉法人's community contribution, using its vehicles' idle time.
- 鹿児島市 宮たすけ隊: 訪問型サービスB; 8 of 10 activities are shopping or hospital trips in the
  members' own cars, with escort inside the shop or hospital.

Synthetic (the report names none): every driver, rider and ride request, the vehicles' details,
the destinations (facilities with coordinates, named 「（デモ）」) and all coordinates. Their
notes say so. Loading is idempotent: records are matched on natural keys, and the demo ride
requests are created once per service (for the Tuesday after the first load).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from tsunagu.core.fields import apply_fields
from tsunagu.core.history import save_with_history, set_history_context
from tsunagu.directory.services import OrganisationFields

SYNTHETIC = "デモ用の架空のデータ（報告書に個人の記載はありません）"
# The note beside each history rows action code: the row was written by `tsunagu demo`.
DEMO_NOTE = "デモデータ"
# The seed report: 九州管区行政評価局's 情報収集結果 (令和7年7月). 佐伯市 was supported by 大分県's
# supervisor dispatch (令和5年度), 鹿児島市 by the ministry's 加速化事業 (令和4年度).
_SOURCE_REPORT = (
    "九州管区行政評価局「介護予防・日常生活支援総合事業等の実施を通じた地域の多様な主体との連携の"
    "推進に関する情報収集結果」（令和7年7月）"
)
REPORT = (
    f"{_SOURCE_REPORT} 事例表№2 佐伯市（令和5年度 大分県「生活支援体制整備事業（移動支援）を中心と"
    "したスーパーバイザー派遣推進事業」による伴走的支援）"
)
REPORT_KAGOSHIMA = (
    f"{_SOURCE_REPORT} 事例表№3 鹿児島市（令和4年度 地域づくり加速化事業による伴走的支援）"
)
# Fields that carry the report's facts, refreshed on a database loaded before a correction.
REPORT_FIELDS = frozenset({"source", "held_on_text", "outcome", "description"})
# The report gives no date for this step: say so rather than store a guessed one.
UNDATED = "時期不明（報告書に記載なし）"
DEMO_MARK = "［デモ］"

D = Decimal


def _d(value: float) -> Decimal:
    return D(f"{value:.6f}")


def _t(text: str) -> datetime.time:
    hour, minute = text.split(":")
    return datetime.time(int(hour), int(minute))


FACILITIES: dict[str, list[dict[str, Any]]] = {
    "佐伯市": [
        {
            "name": "直川診療所（デモ）",
            "org_type": "medical_institution",
            "lat": 32.8903,
            "lon": 131.7898,
        },
        {
            "name": "佐伯中央病院（デモ）",
            "org_type": "medical_institution",
            "lat": 32.9570,
            "lon": 131.8900,
        },
        {"name": "駅前スーパー（デモ）", "org_type": "company", "lat": 32.9582, "lon": 131.9048},
        {
            "name": "直川の農協支店（デモ）",
            "org_type": "cooperative",
            "lat": 32.8928,
            "lon": 131.7930,
        },
        {"name": "佐伯市役所 本庁舎（デモ）", "org_type": "other", "lat": 32.9626, "lon": 131.8992},
    ],
    "鹿児島市": [
        {
            "name": "かかりつけ内科（デモ）",
            "org_type": "medical_institution",
            "lat": 31.5952,
            "lon": 130.5470,
        },
        {"name": "地域のスーパー（デモ）", "org_type": "company", "lat": 31.6010, "lon": 130.5410},
        {
            "name": "地区の郵便局（デモ）",
            "org_type": "post_office",
            "lat": 31.6035,
            "lon": 130.5380,
        },
    ],
}

SERVICES: list[dict[str, Any]] = [
    {
        "municipality": "佐伯市",
        "name": "直川地域のボランティア送迎",
        "operator": "直川地域コミュニティ協議会",
        "districts": ["直川地域"],
        "service_kind": "transit_gap_area",
        "status": "pilot",
        "escort_offered": True,
        "description": (
            "直川地域コミュニティ協議会（みまもり隊・おたすけ隊）が、通院や日用品の買い物など地域外への"
            "移動手段と、デマンドバス停までの移動手段の確保に取り組む。令和6年度に実証実験を3回実施し、"
            "令和7年5月現在、対象者の範囲・実施形態・経費や補助金の活用など本格実施に向けて細部を検討中。"
        ),
        "base": ("直川支所（デモの拠点）", 32.8930, 131.7935),
        "source": REPORT,
        "events": [
            {
                "kind": "driver_course",
                "title": "運転ボランティア養成講座",
                "held_on_text": "令和5年12月",
                "outcome": "市が伴走的支援の一環として開催。直川地域コミュニティ協議会が参加。",
            },
            {
                "kind": "assistance_course",
                "title": "運転ボランティア向けの介助講習",
                "held_on_text": "令和6年2月",
                "outcome": "市が伴走的支援の一環として開催。直川地域コミュニティ協議会が参加。",
            },
            {
                "kind": "meeting",
                "title": "大分運輸支局への相談・地元公共交通事業者への説明",
                "held_on_text": UNDATED,
                "outcome": "料金・保険・対象者等を検討し、運輸支局に相談、公共交通事業者に説明。",
            },
            {"kind": "pilot", "title": "移動支援の実証実験（1回目）", "held_on_text": "令和6年度"},
            {"kind": "pilot", "title": "移動支援の実証実験（2回目）", "held_on_text": "令和6年度"},
            {
                "kind": "pilot",
                "title": "移動支援の実証実験（3回目）",
                "held_on_text": "令和6年度",
                "outcome": "県や市の地域コミュニティ協議会への補助金を活用し、本格実施に向けて検討中（令和7年5月時点）。",
            },
        ],
        "drivers": [
            {
                "name": "直川 一郎（デモ）",
                "kana": "なおかわ いちろう",
                "home": (32.8790, 131.7700),
                "course": datetime.date(2023, 12, 1),
                "assist": datetime.date(2024, 2, 1),
                "slots": [(1, "8:30", "12:30"), (3, "8:30", "12:30")],
                "own_car": "直川一郎さんの自家用車（デモ）",
            },
            {
                "name": "横川 花子（デモ）",
                "kana": "よこがわ はなこ",
                "home": (32.8760, 131.7660),
                "course": datetime.date(2023, 12, 1),
                "assist": datetime.date(2024, 2, 1),
                "slots": [(1, "9:00", "16:00"), (4, "9:00", "12:00")],
                "own_car": "横川花子さんの自家用車（デモ）",
            },
            {
                "name": "赤木 三郎（デモ）",
                "kana": "あかぎ さぶろう",
                "home": (32.9250, 131.7850),
                "course": datetime.date(2023, 12, 1),
                "assist": None,
                "slots": [(1, "12:00", "17:00"), (2, "9:00", "15:00")],
                "own_car": None,
            },
        ],
        "vehicles": [
            {
                "name": "協議会の軽自動車（デモ）",
                "owner": "organisation",
                "seats": 3,
                "wheelchair": 0,
                "garage": (32.8930, 131.7935),
                "idle": [(1, "12:00", "17:00"), (2, "9:00", "17:00")],
            },
        ],
        "riders": [
            {
                "number": "N-001",
                "name": "仁田原 ハル（デモ）",
                "kana": "にたはら はる",
                "district": "直川地域",
                "home": (32.8650, 131.7800),
                "phone": "0972-00-0001",
                "needs_escort": True,
                "aids": "つえ",
            },
            {
                "number": "N-002",
                "name": "上直見 トメ（デモ）",
                "kana": "かみなおみ とめ",
                "district": "直川地域",
                "home": (32.9000, 131.7600),
                "phone": "0972-00-0002",
            },
            {
                "number": "N-003",
                "name": "横川 ヨシ（デモ）",
                "kana": "よこがわ よし",
                "district": "直川地域",
                "home": (32.8752, 131.7655),
                "phone": "0972-00-0003",
                "aids": "シルバーカー",
            },
            {
                "number": "N-004",
                "name": "赤木 マサ（デモ）",
                "kana": "あかぎ まさ",
                "district": "直川地域",
                "home": (32.9248, 131.7852),
                "phone": "0972-00-0004",
                "wheelchair": True,
            },
            {
                "number": "N-005",
                "name": "大鶴 キヨ（デモ）",
                "kana": "おおつる きよ",
                "district": "直川地域",
                "home": (32.9100, 131.8000),
                "phone": "0972-00-0005",
                "consent": False,
            },
        ],
        "requests": [
            {
                "rider": "N-001",
                "purpose": "hospital",
                "to": "直川診療所（デモ）",
                "appointment": "9:30",
                "escort": 30,
                "return": ("10:15", "10:45"),
            },
            {
                "rider": "N-002",
                "purpose": "hospital",
                "to": "佐伯中央病院（デモ）",
                "appointment": "10:00",
                "escort": 0,
                "return": ("11:30", "12:00"),
            },
            {
                "rider": "N-003",
                "purpose": "shopping",
                "to": "直川の農協支店（デモ）",
                "pickup": ("9:00", "9:30"),
                "escort": 20,
            },
            {
                "rider": "N-004",
                "purpose": "hospital",
                "to": "直川診療所（デモ）",
                "appointment": "11:00",
                "escort": 0,
            },
        ],
    },
    {
        "municipality": "佐伯市",
        "name": "弥生地域の法人車両による移動支援",
        "operator": "弥生地域の社会福祉法人（仮）",
        "districts": ["弥生地域"],
        "service_kind": "welfare_members",
        "status": "running",
        "escort_offered": False,
        "description": (
            "社会福祉法人の地域貢献事業として、法人車両の空き時間で高齢者の移動を支援する、総合事業に"
            "当たらない「互助」の取組（本稼働）。"
        ),
        "base": ("法人の車庫（デモの拠点）", 32.9735, 131.8230),
        "source": REPORT,
        "events": [],
        "drivers": [
            {
                "name": "弥生 健太（デモ）",
                "kana": "やよい けんた",
                "home": (32.9735, 131.8230),
                "course": None,
                "assist": datetime.date(2024, 2, 1),
                "slots": [(1, "9:00", "16:00"), (3, "9:00", "16:00")],
                "own_car": None,
                "licence": "class2",
            },
            {
                "name": "井崎 美和（デモ）",
                "kana": "いさき みわ",
                "home": (32.9705, 131.8430),
                "course": None,
                "assist": None,
                "slots": [(1, "13:00", "16:00"), (3, "13:00", "16:00")],
                "own_car": None,
                "licence": "class2",
            },
        ],
        "vehicles": [
            {
                "name": "法人の送迎車（車いす1台）（デモ）",
                "owner": "organisation",
                "seats": 6,
                "wheelchair": 1,
                "garage": (32.9735, 131.8230),
                "plate": "business",
                "idle": [(1, "10:00", "15:00"), (3, "10:00", "15:00")],
            },
        ],
        "riders": [
            {
                "number": "Y-001",
                "name": "弥生 ツル（デモ）",
                "kana": "やよい つる",
                "district": "弥生地域",
                "home": (32.9720, 131.8180),
                "phone": "0972-00-0101",
                "wheelchair": True,
            },
            {
                "number": "Y-002",
                "name": "床木 ウメ（デモ）",
                "kana": "とこぎ うめ",
                "district": "弥生地域",
                "home": (32.9560, 131.8120),
                "phone": "0972-00-0102",
            },
        ],
        "requests": [
            {
                "rider": "Y-001",
                "purpose": "hospital",
                "to": "佐伯中央病院（デモ）",
                "appointment": "10:45",
                "escort": 0,
                "return": ("12:00", "12:30"),
            },
            {
                "rider": "Y-002",
                "purpose": "shopping",
                "to": "駅前スーパー（デモ）",
                "pickup": ("13:00", "13:30"),
                "escort": 0,
            },
        ],
    },
    {
        "municipality": "鹿児島市",
        "name": "宮たすけ隊の外出同行（買物・通院）",
        "operator": "宮たすけ隊",
        "districts": [],
        "service_kind": "welfare_members",
        "status": "running",
        "escort_offered": True,
        "description": (
            "総合事業の訪問型サービス・活動Bとして、支えあい活動補助金を活用。活動の8割は買物や通院の"
            "外出同行で、活動員の自家用車で利用者の自宅から商業施設や医療施設まで送り、利用者の状況に"
            "応じて店内や病院内でも付き添い、終わったら自宅に送り届ける。"
        ),
        "base": ("公民館（デモの拠点）", 31.6040, 130.5360),
        "source": REPORT_KAGOSHIMA,
        "events": [
            {
                "kind": "meeting",
                "title": "公民館長からの相談（地域包括経由でSCへ）",
                "held_on_text": "令和5年10月",
                "outcome": "支えあい活動補助金の活用を助言し、公民館と別会計の団体として設立。",
            },
        ],
        "drivers": [
            {
                "name": "宮 正夫（デモ）",
                "kana": "みや まさお",
                "home": (31.6050, 130.5350),
                "course": None,
                "assist": datetime.date(2024, 6, 1),
                "slots": [(0, "9:00", "12:00"), (1, "9:00", "12:00"), (3, "9:00", "15:00")],
                "own_car": "宮さんの自家用車（デモ）",
            },
            {
                "name": "谷口 由美（デモ）",
                "kana": "たにぐち ゆみ",
                "home": (31.6020, 130.5330),
                "course": None,
                "assist": datetime.date(2024, 6, 1),
                "slots": [(1, "9:00", "15:00"), (4, "9:00", "12:00")],
                "own_car": "谷口さんの自家用車（デモ）",
            },
            {
                "name": "森 和子（デモ）",
                "kana": "もり かずこ",
                "home": (31.6070, 130.5390),
                "course": None,
                "assist": None,
                "slots": [(2, "13:00", "16:00")],
                "own_car": "森さんの自家用車（デモ）",
            },
        ],
        "vehicles": [],
        "riders": [
            {
                "number": "M-001",
                "name": "宮原 フミ（デモ）",
                "kana": "みやはら ふみ",
                "district": None,
                "home": (31.6060, 130.5340),
                "phone": "099-000-0001",
                "needs_escort": True,
                "aids": "つえ",
            },
            {
                "number": "M-002",
                "name": "上村 シズ（デモ）",
                "kana": "うえむら しず",
                "district": None,
                "home": (31.6080, 130.5370),
                "phone": "099-000-0002",
                "needs_escort": True,
            },
            {
                "number": "M-003",
                "name": "池田 タケ（デモ）",
                "kana": "いけだ たけ",
                "district": None,
                "home": (31.6030, 130.5400),
                "phone": "099-000-0003",
            },
        ],
        "requests": [
            {
                "rider": "M-001",
                "purpose": "hospital",
                "to": "かかりつけ内科（デモ）",
                "appointment": "9:30",
                "escort": 60,
                "return": ("10:30", "11:00"),
            },
            {
                "rider": "M-002",
                "purpose": "shopping",
                "to": "地域のスーパー（デモ）",
                "pickup": ("10:00", "10:30"),
                "escort": 45,
                "return": ("11:00", "11:30"),
            },
            {
                "rider": "M-003",
                "purpose": "other",
                "to": "地区の郵便局（デモ）",
                "pickup": ("13:00", "13:30"),
                "escort": 0,
            },
        ],
    },
]


def demo_day(today: datetime.date) -> datetime.date:
    """The Tuesday after ``today`` (every demo service runs on Tuesdays)."""
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def _facilities(actor: Any, municipality: Any, summary: Any) -> dict[str, Any]:
    from tsunagu.directory import services as directory_services
    from tsunagu.directory.models import Organisation

    found: dict[str, Any] = {}
    for entry in FACILITIES.get(municipality.name, []):
        existing = Organisation.objects.filter(
            municipality=municipality, name=entry["name"]
        ).first()
        if existing is None:
            existing = directory_services.organisation_create(
                fields=OrganisationFields(
                    name=entry["name"],
                    org_type=entry["org_type"],
                    municipality=municipality,
                    prefecture=None,
                    latitude=_d(entry["lat"]),
                    longitude=_d(entry["lon"]),
                    visibility="public",
                    description="送迎の行き先のデモ用の架空の施設です。",
                    source=SYNTHETIC,
                ),
                actor=actor,
            )
            summary.count("created")
        else:
            summary.count("unchanged")
        found[entry["name"]] = existing
    return found


def _get_or_create(
    model: type,
    lookup: dict[str, Any],
    values: dict[str, Any],
    actor: Any,
    summary: Any,
    kind: str,
) -> Any:
    """The record of ``lookup``, created with ``values`` when missing; history actions are
    ``<kind>.create`` / ``<kind>.update`` (``kind`` e.g. ``mobility.driver``), noted デモデータ."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        # A correction of the report's facts (a source, a date) reaches a database loaded
        # before; synthetic values (dates relative to the load) stay as first written.
        if not apply_fields(existing, values, REPORT_FIELDS):
            summary.count("unchanged")
            return existing
        save_with_history(existing, actor=actor, action=f"{kind}.update", note=DEMO_NOTE)
        summary.count("updated")
        return existing
    instance = model(**lookup, **values)
    save_with_history(instance, actor=actor, action=f"{kind}.create", note=DEMO_NOTE)
    summary.count("created")
    return instance


def load_mobility(actor: Any, summary: Any) -> None:
    """Load the mobility demo records idempotently (matched on natural keys)."""
    from django.db import transaction
    from django.utils import timezone

    from tsunagu.areas.models import District, Municipality
    from tsunagu.directory.models import Organisation
    from tsunagu.mobility.models import (
        Driver,
        DriverAvailability,
        MobilityService,
        Pilot,
        PlaceKind,
        Rider,
        RideRequest,
        Vehicle,
        VehicleIdleWindow,
    )

    today = timezone.localdate()
    day = demo_day(today)
    for spec in SERVICES:
        municipality = Municipality.objects.filter(name=spec["municipality"]).first()
        operator = (
            Organisation.objects.filter(municipality=municipality, name=spec["operator"]).first()
            if municipality
            else None
        )
        if municipality is None or operator is None:
            continue
        with transaction.atomic():
            facilities = _facilities(actor, municipality, summary)
            base_name, base_lat, base_lon = spec["base"]
            service = _get_or_create(
                MobilityService,
                {"municipality": municipality, "name": spec["name"]},
                {
                    "operator": operator,
                    "service_kind": spec["service_kind"],
                    "status": spec["status"],
                    "escort_offered": spec["escort_offered"],
                    "description": spec["description"],
                    "base_name": base_name,
                    "base_latitude": _d(base_lat),
                    "base_longitude": _d(base_lon),
                    "source": spec["source"],
                },
                actor,
                summary,
                "mobility.service",
            )
            districts = District.objects.filter(
                municipality=municipality, name__in=spec["districts"]
            )
            if set(service.districts.all()) != set(districts):
                set_history_context(
                    service, actor=actor, action="mobility.service.update", note=DEMO_NOTE
                )
                service.districts.set(districts)
            for event in spec["events"]:
                _get_or_create(
                    Pilot,
                    {"service": service, "title": event["title"]},
                    {
                        "kind": event["kind"],
                        "held_on_text": event.get("held_on_text", ""),
                        "outcome": event.get("outcome", ""),
                        "source": spec["source"],
                    },
                    actor,
                    summary,
                    "mobility.pilot",
                )
            drivers: dict[str, Driver] = {}
            for entry in spec["drivers"]:
                created = not Driver.objects.filter(service=service, name=entry["name"]).exists()
                driver = _get_or_create(
                    Driver,
                    {"service": service, "name": entry["name"]},
                    {
                        "name_kana": entry["kana"],
                        "licence_class": entry.get("licence", "class1"),
                        "licence_expires_on": today + datetime.timedelta(days=900),
                        "driver_course_completed_on": entry["course"],
                        "assistance_course_completed_on": entry["assist"],
                        "insurance_note": "ボランティア活動保険（デモ）",
                        # One insurance runs out soon, so the reminder shows in the demo.
                        "insurance_expires_on": today
                        + datetime.timedelta(days=45 if entry is spec["drivers"][0] else 300),
                        "home_latitude": _d(entry["home"][0]),
                        "home_longitude": _d(entry["home"][1]),
                        "note": SYNTHETIC
                        + (
                            "。講座の修了日は報告書に月しかないため1日としています。"
                            if entry["course"]
                            else ""
                        ),
                    },
                    actor,
                    summary,
                    "mobility.driver",
                )
                drivers[entry["name"]] = driver
                if created:
                    for weekday, start, end in entry["slots"]:
                        save_with_history(
                            DriverAvailability(
                                driver=driver, weekday=weekday, starts_at=_t(start), ends_at=_t(end)
                            ),
                            actor=actor,
                            action="mobility.driver.availability_replace",
                            note=DEMO_NOTE,
                        )
                if entry["own_car"]:
                    _get_or_create(
                        Vehicle,
                        {"service": service, "name": entry["own_car"]},
                        {
                            "owner_kind": "volunteer",
                            "owner_driver": driver,
                            "plate": "private",
                            "seats": 3,
                            "wheelchair_spaces": 0,
                            "insurance_expires_on": today + datetime.timedelta(days=200),
                            "inspection_expires_on": today + datetime.timedelta(days=400),
                            "note": SYNTHETIC,
                        },
                        actor,
                        summary,
                        "mobility.vehicle",
                    )
            for entry in spec["vehicles"]:
                created = not Vehicle.objects.filter(service=service, name=entry["name"]).exists()
                vehicle = _get_or_create(
                    Vehicle,
                    {"service": service, "name": entry["name"]},
                    {
                        "owner_kind": "organisation",
                        "owner_organisation": operator,
                        "plate": entry.get("plate", "private"),
                        "seats": entry["seats"],
                        "wheelchair_spaces": entry["wheelchair"],
                        "garage_latitude": _d(entry["garage"][0]),
                        "garage_longitude": _d(entry["garage"][1]),
                        "insurance_expires_on": today + datetime.timedelta(days=250),
                        "inspection_expires_on": today + datetime.timedelta(days=30),
                        "note": SYNTHETIC,
                    },
                    actor,
                    summary,
                    "mobility.vehicle",
                )
                if created:
                    for weekday, start, end in entry["idle"]:
                        save_with_history(
                            VehicleIdleWindow(
                                vehicle=vehicle,
                                weekday=weekday,
                                starts_at=_t(start),
                                ends_at=_t(end),
                            ),
                            actor=actor,
                            action="mobility.vehicle.idle_windows_replace",
                            note=DEMO_NOTE,
                        )
            riders: dict[str, Rider] = {}
            for entry in spec["riders"]:
                district = (
                    District.objects.filter(
                        municipality=municipality, name=entry["district"]
                    ).first()
                    if entry["district"]
                    else None
                )
                riders[entry["number"]] = _get_or_create(
                    Rider,
                    {"service": service, "member_number": entry["number"]},
                    {
                        "name": entry["name"],
                        "name_kana": entry["kana"],
                        "phone": entry["phone"],
                        "district": district,
                        "address": f"{entry['name'].split('（')[0]}さんの自宅（デモ）",
                        "home_latitude": _d(entry["home"][0]),
                        "home_longitude": _d(entry["home"][1]),
                        "uses_wheelchair": entry.get("wheelchair", False),
                        "mobility_aids": entry.get("aids", ""),
                        "needs_escort": entry.get("needs_escort", False),
                        "consent_on": None
                        if entry.get("consent") is False
                        else today - datetime.timedelta(days=30),
                        "note": SYNTHETIC,
                    },
                    actor,
                    summary,
                    "mobility.rider",
                )
            if RideRequest.objects.filter(service=service, note__startswith=DEMO_MARK).exists():
                continue
            for entry in spec["requests"]:
                rider = riders[entry["rider"]]
                place = facilities[entry["to"]]
                pickup = entry.get("pickup")
                outbound = RideRequest(
                    service=service,
                    rider=rider,
                    trip_date=day,
                    purpose=entry["purpose"],
                    origin_kind=PlaceKind.HOME,
                    origin_label=rider.address,
                    origin_latitude=rider.home_latitude,
                    origin_longitude=rider.home_longitude,
                    destination_kind=PlaceKind.FACILITY,
                    destination_label=place.name,
                    destination_latitude=place.latitude,
                    destination_longitude=place.longitude,
                    destination_organisation=place,
                    appointment_at=_t(entry["appointment"]) if entry.get("appointment") else None,
                    earliest_pickup=_t(pickup[0]) if pickup else None,
                    latest_pickup=_t(pickup[1]) if pickup else None,
                    escort_minutes=entry["escort"],
                    wheelchair=rider.uses_wheelchair,
                    mobility_aids=rider.mobility_aids,
                    note=f"{DEMO_MARK}{SYNTHETIC}",
                )
                save_with_history(
                    outbound, actor=actor, action="mobility.ride.receive", note=DEMO_NOTE
                )
                summary.count("created")
                if entry.get("return"):
                    start, end = entry["return"]
                    back = RideRequest(
                        service=service,
                        rider=rider,
                        trip_date=day,
                        purpose=entry["purpose"],
                        origin_kind=PlaceKind.FACILITY,
                        origin_label=place.name,
                        origin_latitude=place.latitude,
                        origin_longitude=place.longitude,
                        origin_organisation=place,
                        destination_kind=PlaceKind.HOME,
                        destination_label=rider.address,
                        destination_latitude=rider.home_latitude,
                        destination_longitude=rider.home_longitude,
                        earliest_pickup=_t(start),
                        latest_pickup=_t(end),
                        wheelchair=rider.uses_wheelchair,
                        mobility_aids=rider.mobility_aids,
                        outbound=outbound,
                        note=f"{DEMO_MARK}{SYNTHETIC}",
                    )
                    save_with_history(
                        back, actor=actor, action="mobility.ride.receive_return", note=DEMO_NOTE
                    )
                    summary.count("created")
