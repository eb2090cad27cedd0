"""Reads of service C courses for users, scoped through the care gate.

Courses and their participants are visible only to holders of the care right for the
course's municipality (:func:`tsunagu.care.access.care_municipality_ids`); anything else is
"not found". A participant read names a resident, so it is logged (one row per resident).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from tsunagu.care.access import care_municipality_ids, log_resident_read
from tsunagu.care.models import CareLevel, CareLevelRecord
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.programs.courses.models import SERVICE_C_TYPES, Course, FollowUp, Participant

# Care levels that make a graduate a service user again (要支援・要介護).
SERVICE_USER_LEVELS = (
    CareLevel.SUPPORT_1,
    CareLevel.SUPPORT_2,
    CareLevel.CARE_1,
    CareLevel.CARE_2,
    CareLevel.CARE_3,
    CareLevel.CARE_4,
    CareLevel.CARE_5,
)


def courses_visible_to(user: Any) -> QuerySet[Course]:
    return Course.objects.filter(municipality_id__in=care_municipality_ids(user))


def course_get_for_user(*, user: Any, course_id: int) -> Course:
    course = (
        courses_visible_to(user)
        .select_related("municipality", "program", "provider")
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        raise Http404
    return course


def participant_get_for_user(
    *, user: Any, participant_id: int, purpose: str, path: str = ""
) -> Participant:
    """The participant after the right is checked and the resident's read logged; else 404."""
    participant = (
        Participant.objects.filter(course__municipality_id__in=care_municipality_ids(user))
        .select_related(
            "course__municipality",
            "resident__district",
            "justification_checklist",
            "start_checklist",
            "end_checklist",
            "receiver_referral__resource",
            "receiver_referral__program",
        )
        .filter(pk=participant_id)
        .first()
    )
    if participant is None:
        raise Http404
    log_resident_read(user=user, resident=participant.resident, purpose=purpose, path=path)
    return participant


def service_c_programs_for(user: Any) -> QuerySet[Any]:
    """The 訪問型C / 通所型C program instances a course may be created for."""
    program_model = Course._meta.get_field("program").related_model
    return program_model.objects.filter(
        municipality_id__in=care_municipality_ids(user), service_type__in=SERVICE_C_TYPES
    ).order_by("municipality_id", "name")


def came_back_by_level(prefix: str = "") -> Exists:
    """A 要支援/要介護 level valid from the graduation day or later (outer: a Participant, or
    the model reaching it by ``prefix``, e.g. ``"participant__"``)."""
    return Exists(
        CareLevelRecord.objects.filter(
            resident_id=OuterRef(f"{prefix}resident_id"),
            level__in=SERVICE_USER_LEVELS,
            valid_from__gte=OuterRef(f"{prefix}graduated_on"),
        )
    )


def came_back_by_course(prefix: str = "") -> Exists:
    """Enrolled in a service C course again after graduating (outer as above)."""
    return Exists(
        Participant.objects.filter(
            resident_id=OuterRef(f"{prefix}resident_id"),
            enrolled_on__gt=OuterRef(f"{prefix}graduated_on"),
        )
    )


def return_signals(participant: Participant) -> list[str]:
    """What the data shows about a graduate coming back as a service user (staff confirm)."""
    if participant.graduated_on is None:
        return []
    signals = []
    levels = CareLevelRecord.objects.filter(
        resident_id=participant.resident_id,
        level__in=SERVICE_USER_LEVELS,
        valid_from__gte=participant.graduated_on,
    ).order_by("valid_from")
    for level in levels:
        signals.append(f"{level.get_level_display()}（{level.valid_from:%Y-%m-%d}から）")
    later = (
        Participant.objects.filter(
            resident_id=participant.resident_id, enrolled_on__gt=participant.graduated_on
        )
        .select_related("course")
        .order_by("enrolled_on")
    )
    for other in later:
        signals.append(f"サービスC再参加: {other.course.name}（{other.enrolled_on:%Y-%m-%d}）")
    return signals


def follow_ups_due(*, user: Any, today: datetime.date, within_days: int = 30) -> QuerySet[FollowUp]:
    """Follow-ups not yet done whose due date is past or within ``within_days``."""
    return (
        FollowUp.objects.filter(
            participant__course__municipality_id__in=care_municipality_ids(user),
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("participant__resident", "participant__course")
        .annotate(
            level_return=came_back_by_level("participant__"),
            course_return=came_back_by_course("participant__"),
        )
        .order_by("due_on", "pk")
    )


def referral_choices_for(participant: Participant) -> QuerySet[Any]:
    """The resident's sent referrals (any status but 作成): the 受皿 plan at graduation."""
    return (
        Referral.objects.filter(resident_id=participant.resident_id)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("resource", "program")
        .order_by("-pk")
    )


def checklists_of(participant: Participant) -> QuerySet[Any]:
    return participant.resident.checklists.order_by("-answered_on", "-pk")


def active_participant_q() -> Q:
    return Q(graduated_on__isnull=True)
