"""Demo service C courses (短期集中予防サービス) with their 受皿: one 通所型C course each in
久留米市 and 出水市, on the demo's 通所型C program instances.

Everything here is synthetic (架空): the report names no participant, course, 通いの場 or サロン.
The participants are the care demo's invented residents (「デモ久留米 …」, ``is_synthetic``),
the courses are marked ``is_synthetic`` and named 「（架空・デモ）」, and — the directory having no
通いの場 or サロン in these two cities — the 受皿 are created here as clearly-marked synthetic
resources of synthetic groups. The referrals are written directly with the model (sent,
accepted, started, one declined with its reason). Follow-ups show one graduate who came back
(a 要支援1 after graduation). Dates are relative to the load day. Idempotent: a course already
present (same municipality and name) is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from tsunagu.areas.models import District, Municipality
from tsunagu.care.models import CareLevel, Resident
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.residents.services import care_level_add
from tsunagu.demo.care_loader import GIVEN, TOWNS
from tsunagu.directory.models import Category, Organisation, Resource
from tsunagu.directory.services import (
    OrganisationFields,
    ResourceFields,
    organisation_create,
    resource_create,
)
from tsunagu.programs.courses import services
from tsunagu.programs.courses.models import Course
from tsunagu.programs.instances.models import ProgramInstance

COURSE_NAME = "通所型C 元気アップ教室（架空・デモ）"
# The report names no 受皿 of these cities; it says a course needs one (事例表№4 久留米市 and
# 事例表№5 出水市 on their 通所型C rework), which is why these invented ones exist.
SOURCE = (
    "架空（デモ用に生成。報告書に記載なし。サービスC卒業後の受皿の必要は"
    "事例表№4 久留米市・事例表№5 出水市の記述による）"
)
# The care demo's residents used as participants: 事業対象者, 非該当, 未申請, 要支援1, 要支援2.
PARTICIPANT_INDEXES = (7, 8, 9, 0, 1)
TOWN_CODES = ("402036", "462080")  # 久留米市, 出水市


def _receiver(actor: Any, municipality: Municipality, family: str, kind: str, code: str) -> Any:
    """A synthetic 受皿 (通いの場 or サロン) of a synthetic group, created once."""
    group_name = f"{family} {kind}の会（架空・デモ）"
    group = Organisation.objects.filter(municipality=municipality, name=group_name).first()
    if group is None:
        # Through the directory's services, so the records are in its search index and history.
        group = organisation_create(
            fields=OrganisationFields(
                municipality=municipality,
                name=group_name,
                org_type="volunteer_group",
                description="デモ用の架空の住民主体の団体",
                source=SOURCE,
            ),
            actor=actor,
        )
    name = f"{family} {kind}（架空・デモ）"
    resource = Resource.objects.filter(municipality=municipality, name=name).first()
    if resource is None:
        district = District.objects.filter(municipality=municipality).order_by("pk").first()
        resource = resource_create(
            fields=ResourceFields(
                municipality=municipality,
                provider=group,
                name=name,
                category=Category.objects.get(code=code),
                description="サービスC卒業後の受皿（デモ用の架空の活動）",
                schedule_note="毎週水曜 10時〜11時30分（架空）",
                capacity=15,
                eligibility_note="段差なし・送迎なし（架空）",
                source=SOURCE,
                districts=[district] if district is not None else [],
            ),
            actor=actor,
        )
    return resource


def _referral(
    resident: Resident, resource: Any, status: str, sent_on: datetime.date, actor: Any, **more: Any
) -> Referral:
    return Referral.objects.create(
        municipality=resident.municipality,
        resident=resident,
        resource=resource,
        receiving_organisation=resource.provider,
        status=status,
        resident_name=resident.name,
        contact_phone=resident.contact_phone,
        wishes="体操を続けたい（架空）",
        sent_on=sent_on,
        answered_on=sent_on + datetime.timedelta(days=5),
        created_by=actor,
        **more,
    )


def _load_course(
    actor: Any, summary: Any, municipality: Municipality, today: datetime.date
) -> None:
    if Course.objects.filter(municipality=municipality, name=COURSE_NAME).exists():
        summary.count("unchanged")
        return
    program = (
        ProgramInstance.objects.filter(municipality=municipality, service_type="day_c")
        .order_by("pk")
        .first()
    )
    family = TOWNS[municipality.code][0]
    residents = [
        Resident.objects.filter(municipality=municipality, name=f"{family} {GIVEN[i][0]}").first()
        for i in PARTICIPANT_INDEXES
    ]
    if program is None or None in residents:
        return
    starts_on = today - datetime.timedelta(days=280)
    ends_on = starts_on + relativedelta(months=4)
    course = services.course_create(
        program=program,
        name=COURSE_NAME,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=8,
        provider=program.provider,
        target_criteria=[2, 5],
        target_levels=[CareLevel.PROGRAM_ELIGIBLE, CareLevel.SUPPORT_1, CareLevel.SUPPORT_2],
        target_note="生活のしづらさが出てき始めた高齢者（架空のデモの対象者像）",
        is_synthetic=True,
        actor=actor,
    )
    summary.count("created")
    kayoi = _receiver(actor, municipality, family, "通いの場", "exercise")
    salon = _receiver(actor, municipality, family, "サロン", "gathering")
    people = []
    for resident in residents:
        checklist = resident.checklists.order_by("-answered_on").first()
        participant = services.participant_enrol(
            course=course,
            resident=resident,
            enrolled_on=starts_on,
            justification_checklist=checklist,
            justification_note="" if checklist else "アセスメントで運動機能の低下（架空）",
            goal_own_words="また一人で買い物に行きたい（架空）",
            actor=actor,
        )
        services.goal_add(participant=participant, text="買い物に一人で行ける", actor=actor)
        people.append(participant)
    for week in range(3):
        session = services.session_add(
            course=course,
            date=starts_on + datetime.timedelta(weeks=week * 4),
            topic=("体力測定", "運動指導", "生活の目標の確認")[week],
            actor=actor,
        )
        services.attendance_record(
            session=session, present_ids=[p.pk for p in people[: 4 + week % 2]], actor=actor
        )
    for participant in people[:3]:
        services.candidate_add(participant=participant, resource=kayoi, actor=actor)
    sent = ends_on - datetime.timedelta(days=14)
    went = _referral(
        people[0].resident, kayoi, ReferralStatus.STARTED, sent, actor, started_on=ends_on
    )
    accepted = _referral(people[1].resident, salon, ReferralStatus.ACCEPTED, sent, actor)
    declined = _referral(
        people[2].resident,
        salon,
        ReferralStatus.DECLINED,
        sent,
        actor,
        decline_reason="今期は定員に達しているため、次の期に改めてご相談ください（架空）",
    )
    plans = (
        (people[0], "improved", {"referral": went}),
        (people[1], "maintained", {"referral": accepted}),
        (people[2], "improved", {"referral": declined}),
        (people[3], "worsened", {"no_receiver_reason": "自宅の近くに通いの場がない（架空）"}),
        (
            people[4],
            "discontinued",
            {"discontinue_reason": "入院のため（架空）", "no_receiver_reason": "入院中のため"},
        ),
    )
    for participant, outcome, plan in plans:
        services.participant_graduate(
            participant=participant, graduated_on=ends_on, outcome=outcome, actor=actor, **plan
        )
    # The one who came back: a 要支援1 two months after graduating, confirmed at 3 months.
    care_level_add(
        actor=actor,
        resident=people[3].resident,
        level=CareLevel.SUPPORT_1,
        valid_from=ends_on + relativedelta(months=2),
        valid_until=ends_on + relativedelta(months=14),
    )
    for participant, still, back in ((people[0], True, False), (people[3], False, True)):
        services.follow_up_record(
            follow_up=participant.follow_ups.get(months=3),
            done_on=ends_on + relativedelta(months=3),
            still_taking_part=still,
            came_back=back,
            note="デモの架空の記録",
            actor=actor,
        )


@transaction.atomic
def load_courses(actor: Any, summary: Any) -> None:
    today = timezone.localdate()
    for code in TOWN_CODES:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is not None:
            _load_course(actor, summary, municipality, today)
