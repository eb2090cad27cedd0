"""Builders for the service C tests (not collected by pytest)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from tests.care.factories import ResidentFactory
from tests.factories import OrganisationFactory, ResourceFactory
from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import District, Municipality
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.directory.models import Category
from tsunagu.programs.courses import services
from tsunagu.programs.courses.models import Course, Participant
from tsunagu.programs.instances.models import ProgramInstance

START = datetime.date(2025, 4, 1)
END = datetime.date(2025, 7, 31)  # four months
_NUMBERS = itertools.count(1)


def municipality(name: str = "香春町") -> Municipality:
    return Municipality.objects.get(name=name)


def district(town: Municipality, name: str) -> District:
    return District.objects.get_or_create(municipality=town, name=name)[0]


def program(town: Municipality | None = None, service_type: str = "day_c") -> ProgramInstance:
    town = town or municipality()
    provider = OrganisationFactory(municipality=town)
    return ProgramInstance.objects.create(
        municipality=town,
        service_type=service_type,
        name=f"通所型C 教室{next(_NUMBERS)}",
        provider=provider,
    )


def course(
    town: Municipality | None = None, *, capacity: int = 10, actor: Any = None, **kwargs: Any
) -> Course:
    instance = program(town)
    values = {"name": "元気アップ教室", "starts_on": START, "ends_on": END, "capacity": capacity}
    values.update(kwargs)
    return services.course_create(
        program=instance, provider=instance.provider, actor=actor or system_actor(), **values
    )


def participant(a_course: Course, resident: Any = None, **kwargs: Any) -> Participant:
    resident = resident or ResidentFactory(municipality=a_course.municipality)
    values = {"enrolled_on": START, "justification_note": "基本チェックリストで運動器に該当"}
    values.update(kwargs)
    return services.participant_enrol(
        course=a_course, resident=resident, actor=system_actor(), **values
    )


def gathering_resource(town: Municipality, *, districts: list[District] = (), **kwargs: Any) -> Any:
    resource = ResourceFactory(
        provider=OrganisationFactory(municipality=town),
        category=Category.objects.get(code="gathering"),
        **kwargs,
    )
    resource.districts.set(list(districts))
    return resource


def referral(
    a_participant: Participant, *, status: str = ReferralStatus.SENT, resource: Any = None
) -> Referral:
    resident = a_participant.resident
    resource = resource or gathering_resource(resident.municipality)
    return Referral.objects.create(
        municipality=resident.municipality,
        resident=resident,
        resource=resource,
        receiving_organisation=resource.provider,
        status=status,
        resident_name=resident.name,
        created_by=system_actor(),
    )


def graduate(a_participant: Participant, **kwargs: Any) -> Participant:
    values = {
        "graduated_on": datetime.date(2025, 7, 31),
        "outcome": "improved",
        "no_receiver_reason": "",
    }
    values.update(kwargs)
    if values.get("referral") is None and not values["no_receiver_reason"]:
        values["referral"] = referral(a_participant)
    return services.participant_graduate(participant=a_participant, actor=system_actor(), **values)
