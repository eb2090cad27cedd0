"""Builders for the referral tests (not collected by pytest): a sender with the care right, a
resident with the 「つなぎ」 consent, a 通いの場 run by an organisation and one of its members."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from tests.care.factories import ResidentFactory, consent, staff
from tests.factories import OrganisationFactory, ResourceFactory
from tsunagu.accounts.models import Membership, PersonalDataReadLog, Role
from tsunagu.accounts.scope import forget_scope
from tsunagu.areas.models import Municipality
from tsunagu.care.models import ConsentPurpose, Resident
from tsunagu.care.referrals import services
from tsunagu.care.referrals.models import Referral

SENT_ON = datetime.date(2025, 6, 2)


def member_of(organisation: Any, username: str) -> Any:
    """A user who is a member (団体メンバー) of ``organisation``."""
    user = get_user_model().objects.create_user(
        username=username, password="x-long-password", email=f"{username}@example.jp"
    )
    Membership.objects.create(
        user=user,
        role=Role.ORGANISATION_MEMBER,
        municipality=organisation.municipality,
        organisation=organisation,
        starts_on=datetime.date(2020, 4, 1),
    )
    forget_scope(user)
    return user


@dataclass
class World:
    sender: Any
    resident: Resident
    organisation: Any
    place: Any
    receiver: Any


def world(municipality_name: str = "香春町", prefix: str = "k") -> World:
    municipality = Municipality.objects.get(name=municipality_name)
    sender = staff(f"{prefix}-sender", municipality_name)
    sender.email = f"{prefix}-sender@example.jp"
    sender.save(update_fields=["email"])
    # Long-standing staff, so that a frozen clock in the past still finds the care right.
    sender.memberships.update(starts_on=datetime.date(2020, 4, 1))
    forget_scope(sender)
    resident = ResidentFactory(municipality=municipality, contact_phone="000-1111-2222")
    consent(resident, sender, purpose=ConsentPurpose.REFERRAL, given_on=datetime.date(2024, 4, 1))
    organisation = OrganisationFactory(
        municipality=municipality, name=f"{prefix} いきいきサロンの会"
    )
    place = ResourceFactory(provider=organisation, name=f"{prefix} いきいきサロン")
    receiver = member_of(organisation, f"{prefix}-leader")
    return World(sender, resident, organisation, place, receiver)


def draft(w: World, **kwargs: Any) -> Referral:
    values: dict[str, Any] = {"wishes": "体操をして、近所の人と話したい"}
    values.update(kwargs)
    return services.referral_create(resident=w.resident, resource=w.place, actor=w.sender, **values)


def sent(w: World, **kwargs: Any) -> Referral:
    referral = draft(w, **kwargs)
    return services.referral_send(referral=referral, actor=w.sender, today=SENT_ON)


def accepted(w: World, **kwargs: Any) -> Referral:
    referral = sent(w, **kwargs)
    return services.referral_accept(referral=referral, actor=w.receiver, today=SENT_ON)


def started(w: World, **kwargs: Any) -> Referral:
    referral = accepted(w, **kwargs)
    return services.referral_start(referral=referral, started_on=SENT_ON, actor=w.receiver)


def reasons(referral: Referral) -> list[str]:
    """The history's action codes, oldest first."""
    return list(
        referral.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )


def read_purposes(user: Any, resident: Resident) -> list[str]:
    return list(
        PersonalDataReadLog.objects.filter(
            user=user, model_label="care.Resident", object_id=str(resident.pk)
        )
        .order_by("pk")
        .values_list("purpose", flat=True)
    )
