"""What the write services of mobility support (移動支援) set: one frozen field set per record
(issue 13 item 6), built by the forms and the API from their cleaned data with
:func:`~tsunagu.core.fields.fields_from` and set by the services with
:func:`~tsunagu.core.fields.apply_fields`.

Every field defaults to :data:`~tsunagu.core.fields.UNSET` ("not given: left as it is", or the
model's default on create), so one class serves create and update.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from tsunagu.core.fields import UNSET, Unset

if TYPE_CHECKING:
    from tsunagu.areas.models import District, Municipality
    from tsunagu.directory.models import Organisation
    from tsunagu.mobility.models import Driver


class WeeklySlot(NamedTuple):
    """One slot of a weekly pattern (運転できる時間帯 / 車両の空き時間)."""

    weekday: int
    starts_at: datetime.time
    ends_at: datetime.time


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServiceFields:
    """A mobility service (移動支援の取組); ``municipality`` on create only (a service does not
    move), ``districts`` replace the whole list."""

    municipality: Municipality | Unset = UNSET
    name: str | Unset = UNSET
    operator: Organisation | Unset = UNSET
    districts: Iterable[District] | Unset = UNSET
    service_kind: str | Unset = UNSET
    status: str | Unset = UNSET
    description: str | Unset = UNSET
    escort_offered: bool | Unset = UNSET
    base_name: str | Unset = UNSET
    base_latitude: Decimal | Unset | None = UNSET
    base_longitude: Decimal | Unset | None = UNSET
    average_speed_kmh: int | Unset = UNSET
    road_factor: Decimal | Unset = UNSET
    max_ride_minutes: int | Unset = UNSET
    boarding_minutes: int | Unset = UNSET
    started_on: datetime.date | Unset | None = UNSET
    source: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class PilotFields:
    """A pilot or course (実証実験・講座) of a service."""

    kind: str | Unset = UNSET
    title: str | Unset = UNSET
    held_on: datetime.date | Unset | None = UNSET
    held_on_text: str | Unset = UNSET
    participants: int | Unset | None = UNSET
    outcome: str | Unset = UNSET
    source: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class DriverFields:
    """A volunteer driver (運転者); the weekly availability is given beside it."""

    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    phone: str | Unset = UNSET
    licence_class: str | Unset = UNSET
    licence_expires_on: datetime.date | Unset | None = UNSET
    driver_course_completed_on: datetime.date | Unset | None = UNSET
    assistance_course_completed_on: datetime.date | Unset | None = UNSET
    approved_course_completed_on: datetime.date | Unset | None = UNSET
    insurance_note: str | Unset = UNSET
    insurance_expires_on: datetime.date | Unset | None = UNSET
    can_escort: bool | Unset = UNSET
    home_latitude: Decimal | Unset | None = UNSET
    home_longitude: Decimal | Unset | None = UNSET
    active: bool | Unset = UNSET
    note: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class VehicleFields:
    """A vehicle (車両); the weekly idle windows are given beside it."""

    name: str | Unset = UNSET
    owner_kind: str | Unset = UNSET
    owner_driver: Driver | Unset | None = UNSET
    owner_organisation: Organisation | Unset | None = UNSET
    plate: str | Unset = UNSET
    seats: int | Unset = UNSET
    wheelchair_spaces: int | Unset = UNSET
    garage_latitude: Decimal | Unset | None = UNSET
    garage_longitude: Decimal | Unset | None = UNSET
    insurance_expires_on: datetime.date | Unset | None = UNSET
    inspection_expires_on: datetime.date | Unset | None = UNSET
    active: bool | Unset = UNSET
    note: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class RiderFields:
    """A rider (利用会員): personal data (要配慮個人情報), read only through ``privacy``."""

    member_number: str | Unset = UNSET
    name: str | Unset = UNSET
    name_kana: str | Unset = UNSET
    phone: str | Unset = UNSET
    district: District | Unset | None = UNSET
    address: str | Unset = UNSET
    home_latitude: Decimal | Unset | None = UNSET
    home_longitude: Decimal | Unset | None = UNSET
    uses_wheelchair: bool | Unset = UNSET
    mobility_aids: str | Unset = UNSET
    needs_escort: bool | Unset = UNSET
    needs: str | Unset = UNSET
    care_level: str | Unset = UNSET
    emergency_contact: str | Unset = UNSET
    consent_on: datetime.date | Unset | None = UNSET
    active: bool | Unset = UNSET
    note: str | Unset = UNSET


@dataclasses.dataclass(frozen=True, kw_only=True)
class RideFields:
    """A ride request (送迎の予約): where from, where to, when."""

    trip_date: datetime.date | Unset = UNSET
    purpose: str | Unset = UNSET
    origin_kind: str | Unset = UNSET
    origin_label: str | Unset = UNSET
    origin_latitude: Decimal | Unset | None = UNSET
    origin_longitude: Decimal | Unset | None = UNSET
    origin_organisation: Organisation | Unset | None = UNSET
    destination_kind: str | Unset = UNSET
    destination_label: str | Unset = UNSET
    destination_latitude: Decimal | Unset | None = UNSET
    destination_longitude: Decimal | Unset | None = UNSET
    destination_organisation: Organisation | Unset | None = UNSET
    appointment_at: datetime.time | Unset | None = UNSET
    earliest_pickup: datetime.time | Unset | None = UNSET
    latest_pickup: datetime.time | Unset | None = UNSET
    escort_minutes: int | Unset = UNSET
    wheelchair: bool | Unset = UNSET
    companions: int | Unset = UNSET
    mobility_aids: str | Unset = UNSET
    booked_via: str | Unset = UNSET
    note: str | Unset = UNSET
