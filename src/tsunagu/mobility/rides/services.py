"""Every write of mobility support (移動支援): services, drivers, vehicles, riders, ride requests.

Each function checks the actor's rights (:mod:`tsunagu.mobility.permissions`), validates with
``full_clean()`` and writes inside one transaction through
:func:`tsunagu.core.history.save_with_history`, so the history keeps who changed what. Day
planning (配車計画) lives in :mod:`tsunagu.mobility.rides.planning`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagu.care.access import can_open_residents, log_resident_reads
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import UNSET, Unset, apply_fields
from tsunagu.core.history import delete_with_history, save_with_history
from tsunagu.mobility.models import (
    Driver,
    DriverAvailability,
    DriverException,
    MobilityService,
    Pilot,
    PlaceKind,
    Rider,
    RideRequest,
    RideStatus,
    Vehicle,
    VehicleIdleWindow,
    VehicleOwnerKind,
)
from tsunagu.mobility.permissions import (
    can_create_service,
    can_edit_service,
    can_manage_rides,
    can_view_riders,
)
from tsunagu.mobility.rides.commands import (
    DriverFields,
    PilotFields,
    RideFields,
    RiderFields,
    ServiceFields,
    VehicleFields,
    WeeklySlot,
)
from tsunagu.mobility.rides.consent import rider_consent_on
from tsunagu.mobility.rides.planning import remove_from_plan

# Allowed manual status changes (受付 → 配車済 → 完了 / キャンセル / 不成立). 配車済 is set by
# planning only; 完了 needs a planned ride; キャンセル and 不成立 need a reason.
MANUAL_TRANSITIONS: dict[str, set[str]] = {
    RideStatus.RECEIVED: {RideStatus.CANCELLED, RideStatus.UNSERVED},
    RideStatus.ASSIGNED: {RideStatus.COMPLETED, RideStatus.CANCELLED, RideStatus.UNSERVED},
    RideStatus.COMPLETED: set(),
    RideStatus.CANCELLED: set(),
    RideStatus.UNSERVED: set(),
}
REASON_REQUIRED = {RideStatus.CANCELLED, RideStatus.UNSERVED}
Slots = Iterable[WeeklySlot] | None  # a weekly pattern; None keeps the current one


def _require_edit(actor: Any, service: MobilityService) -> None:
    if not can_edit_service(actor, service):
        raise PermissionDenied()


def _require_rides(actor: Any, service: MobilityService) -> None:
    if not can_manage_rides(actor, service):
        raise PermissionDenied(_("送迎の受付をする権限がありません。"))


# --- services and their events ----------------------------------------------------------------


@transaction.atomic
def service_create(*, fields: ServiceFields, actor: Any) -> MobilityService:
    """Register a service of ``fields.municipality`` (required)."""
    service = MobilityService()
    apply_fields(service, dataclasses.replace(fields, districts=UNSET))
    if not can_create_service(actor, service.municipality):
        raise PermissionDenied()
    save_with_history(service, actor=actor, action="mobility.service.create")
    if not isinstance(fields.districts, Unset):
        service.districts.set(fields.districts)
    return service


@transaction.atomic
def service_update(
    *, service: MobilityService, fields: ServiceFields, actor: Any
) -> MobilityService:
    _require_edit(actor, service)
    # A service does not move to another municipality: a given one is ignored.
    apply_fields(service, dataclasses.replace(fields, districts=UNSET, municipality=UNSET))
    save_with_history(service, actor=actor, action="mobility.service.update")
    if not isinstance(fields.districts, Unset):
        service.districts.set(fields.districts)
    return service


@transaction.atomic
def pilot_add(*, service: MobilityService, fields: PilotFields, actor: Any) -> Pilot:
    _require_edit(actor, service)
    pilot = Pilot(service=service)
    apply_fields(pilot, fields)
    save_with_history(pilot, actor=actor, action="mobility.pilot.record")
    return pilot


# --- drivers -----------------------------------------------------------------------------------


def _replace_slots(
    existing: Iterable[Any],
    model: type,
    parent: dict[str, Any],
    slots: Iterable[WeeklySlot],
    actor: Any,
    action: str,
) -> None:
    """Make the weekly slots equal to ``slots``: unchanged rows stay, others are replaced."""
    wanted = {WeeklySlot(*slot) for slot in slots}
    kept = set()
    for row in existing:
        key = (row.weekday, row.starts_at, row.ends_at)
        if key in wanted and key not in kept:
            kept.add(key)
        else:
            delete_with_history(row, actor=actor, action=action)
    for weekday, starts_at, ends_at in sorted(wanted - kept):
        save_with_history(
            model(**parent, weekday=weekday, starts_at=starts_at, ends_at=ends_at),
            actor=actor,
            action=action,
        )


class _Weekly(NamedTuple):
    """A record with a weekly pattern: the pattern's related name and model, and the history
    actions on create, on update and on replacing the pattern."""

    related: str
    model: type
    create: str
    update: str
    replace: str


_DRIVER = _Weekly(
    "availability",
    DriverAvailability,
    "mobility.driver.create",
    "mobility.driver.update",
    "mobility.driver.availability_replace",
)
_VEHICLE = _Weekly(
    "idle_windows",
    VehicleIdleWindow,
    "mobility.vehicle.create",
    "mobility.vehicle.update",
    "mobility.vehicle.idle_windows_replace",
)


@transaction.atomic
def _write_weekly(
    record: Any, fields: DriverFields | VehicleFields, rows: Slots, kind: _Weekly, actor: Any
) -> Any:
    """Create or change a driver or vehicle of its service; ``rows`` replace its weekly
    pattern when given."""
    service = record.service
    _require_edit(actor, service)
    creating = record._state.adding
    apply_fields(record, fields)
    if isinstance(record, Vehicle):
        _check_vehicle_owner(record, service)
    save_with_history(record, actor=actor, action=kind.create if creating else kind.update)
    if rows is not None:
        parent = {type(record).__name__.lower(): record}
        existing = getattr(record, kind.related).all()
        _replace_slots(existing, kind.model, parent, list(rows), actor, kind.replace)
    return record


def driver_create(
    *, service: MobilityService, fields: DriverFields, availability: Slots, actor: Any
) -> Driver:
    return _write_weekly(Driver(service=service), fields, availability, _DRIVER, actor)


def driver_update(
    *, driver: Driver, fields: DriverFields, availability: Slots, actor: Any
) -> Driver:
    return _write_weekly(driver, fields, availability, _DRIVER, actor)


@transaction.atomic
def driver_exception_add(
    *,
    driver: Driver,
    date: datetime.date,
    actor: Any,
    available: bool = False,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    note: str = "",
) -> DriverException:
    """A day that differs from the driver's weekly pattern: not driving (all day, or from
    ``starts_at`` to ``ends_at``), or ``available`` at other times."""
    _require_edit(actor, driver.service)
    exception = DriverException(
        driver=driver,
        date=date,
        available=available,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
    )
    save_with_history(exception, actor=actor, action="mobility.driver_exception.create")
    return exception


@transaction.atomic
def driver_exception_delete(*, exception: DriverException, actor: Any) -> None:
    _require_edit(actor, exception.driver.service)
    delete_with_history(exception, actor=actor, action="mobility.driver_exception.delete")


# --- vehicles ----------------------------------------------------------------------------------


def _check_vehicle_owner(vehicle: Vehicle, service: MobilityService) -> None:
    if vehicle.owner_driver_id and vehicle.owner_driver.service_id != service.pk:
        raise TsunaguError(_("この取組の運転者を選んでください。"), field="owner_driver")
    if vehicle.owner_kind == VehicleOwnerKind.VOLUNTEER:
        vehicle.owner_organisation = None
    else:
        vehicle.owner_driver = None


def vehicle_create(
    *, service: MobilityService, fields: VehicleFields, idle_windows: Slots, actor: Any
) -> Vehicle:
    return _write_weekly(Vehicle(service=service), fields, idle_windows, _VEHICLE, actor)


def vehicle_update(
    *, vehicle: Vehicle, fields: VehicleFields, idle_windows: Slots, actor: Any
) -> Vehicle:
    return _write_weekly(vehicle, fields, idle_windows, _VEHICLE, actor)


# --- riders ------------------------------------------------------------------------------------


@transaction.atomic
def _rider_write(
    *, service: MobilityService, fields: RiderFields, actor: Any, rider: Rider | None = None
) -> Rider:
    _require_rides(actor, service)
    creating = rider is None
    rider = rider or Rider(service=service)
    if rider.service_id != service.pk:
        raise PermissionDenied()
    apply_fields(rider, fields)
    if rider.district_id and rider.district.municipality_id != service.municipality_id:
        raise TsunaguError(_("この市町村の地区を選んでください。"), field="district")
    save_with_history(
        rider, actor=actor, action="mobility.rider.create" if creating else "mobility.rider.update"
    )
    return rider


def rider_create(*, service: MobilityService, fields: RiderFields, actor: Any) -> Rider:
    return _rider_write(service=service, fields=fields, actor=actor)


def rider_update(*, rider: Rider, fields: RiderFields, actor: Any) -> Rider:
    return _rider_write(service=rider.service, rider=rider, fields=fields, actor=actor)


@transaction.atomic
def rider_link_resident(*, rider: Rider, resident: Any, actor: Any) -> Rider:
    """Link a rider to the same person's care record (one person, one consent history).

    Needs both rights of ``actor``: the riders' (``can_view_riders``) and the care right for the
    resident's municipality; the two must be of the same municipality. Neither side's pages
    show the other's data afterwards: the rider shows that a link exists and takes its consent
    from the resident's 移動支援 consents.
    """
    if not can_view_riders(actor, rider.service) or not can_open_residents(
        actor, resident.municipality_id
    ):
        raise PermissionDenied(
            _("利用会員と住民の記録を結び付けるには、両方を見る権限が必要です。")
        )
    if resident.municipality_id != rider.service.municipality_id:
        raise TsunaguError(_("別の市町村の住民とは結び付けられません。"), field="resident")
    if Rider.objects.filter(resident=resident).exclude(pk=rider.pk).exists():
        raise TsunaguError(_("この住民はすでに別の利用会員と結び付いています。"), field="resident")
    rider.resident = resident
    save_with_history(rider, actor=actor, action="mobility.rider.link_resident")
    log_resident_reads(user=actor, residents=[resident], purpose="利用会員と住民の記録を結び付け")
    return rider


@transaction.atomic
def rider_unlink_resident(*, rider: Rider, actor: Any) -> Rider:
    """Remove the link (the rider's own ``consent_on`` applies again). Riders' right only."""
    if not can_view_riders(actor, rider.service):
        raise PermissionDenied()
    rider.resident = None
    save_with_history(rider, actor=actor, action="mobility.rider.unlink_resident")
    return rider


# --- ride requests -----------------------------------------------------------------------------


def _check_consent(rider: Rider, trip_date: datetime.date | Unset) -> None:
    if not rider.active:
        raise TsunaguError(
            _("%(name)s さんは登録を終えているため、予約を受け付けられません。")
            % {"name": rider.name},
            field="rider",
        )
    if rider_consent_on(rider, trip_date) is None:
        raise TsunaguError(
            _(
                "%(name)s さんは個人情報の利用への同意が記録されていないため、予約を受け付けられません。"
                "先に利用会員の画面で同意した日を入れてください。"
            )
            % {"name": rider.name},
            field="rider",
        )


def _new_request(
    service: MobilityService, rider: Rider, fields: RideFields, actor: Any
) -> RideRequest:
    ride = RideRequest(
        service=service, rider=rider, booked_by=actor if getattr(actor, "pk", None) else None
    )
    apply_fields(ride, fields)
    return ride


@transaction.atomic
def ride_book(
    *,
    service: MobilityService,
    rider: Rider,
    fields: RideFields,
    actor: Any,
    return_trip: RideFields | None = None,
) -> tuple[RideRequest, RideRequest | None]:
    """Book a ride (usually on the phone) and, when ``return_trip`` is given, its return trip.

    The return trip goes from the outbound destination back to the origin and is linked by
    ``outbound``; what ``return_trip`` gives (its pick-up times) overrides. Refused without the
    rider's consent.
    """
    _require_rides(actor, service)
    if rider.service_id != service.pk:
        raise TsunaguError(_("この取組の利用会員を選んでください。"), field="rider")
    _check_consent(rider, fields.trip_date)
    outbound = _new_request(service, rider, fields, actor)
    save_with_history(outbound, actor=actor, action="mobility.ride.receive")
    back = None
    if return_trip is not None:
        swapped = RideFields(
            trip_date=outbound.trip_date,
            purpose=outbound.purpose,
            origin_kind=outbound.destination_kind,
            origin_label=outbound.destination_label,
            origin_latitude=outbound.destination_latitude,
            origin_longitude=outbound.destination_longitude,
            origin_organisation=outbound.destination_organisation,
            destination_kind=outbound.origin_kind,
            destination_label=outbound.origin_label,
            destination_latitude=outbound.origin_latitude,
            destination_longitude=outbound.origin_longitude,
            destination_organisation=outbound.origin_organisation,
            wheelchair=outbound.wheelchair,
            companions=outbound.companions,
            mobility_aids=outbound.mobility_aids,
            booked_via=outbound.booked_via,
            escort_minutes=0,
            appointment_at=None,
        )
        back = _new_request(service, rider, swapped, actor)
        apply_fields(back, return_trip)
        back.outbound = outbound
        save_with_history(back, actor=actor, action="mobility.ride.receive_return")
    return outbound, back


@transaction.atomic
def ride_update(*, ride: RideRequest, fields: RideFields, actor: Any) -> RideRequest:
    """Change a request still 受付 (before planning)."""
    _require_rides(actor, ride.service)
    if ride.status != RideStatus.RECEIVED:
        raise TsunaguError(_("受付の状態の予約だけ変更できます。"))
    apply_fields(ride, fields)
    save_with_history(ride, actor=actor, action="mobility.ride.update")
    return ride


@transaction.atomic
def ride_set_status(*, ride: RideRequest, status: str, reason: str, actor: Any) -> RideRequest:
    """A manual status change (キャンセル, 完了, 不成立) following :data:`MANUAL_TRANSITIONS`."""
    _require_rides(actor, ride.service)
    if status not in MANUAL_TRANSITIONS.get(ride.status, set()):
        raise TsunaguError(
            _("「%(old)s」の予約を「%(new)s」にはできません。")
            % {"old": ride.get_status_display(), "new": RideStatus(status).label},
            field="status",
        )
    reason = (reason or "").strip()
    if status in REASON_REQUIRED and not reason:
        raise TsunaguError(_("理由を入れてください。"), field="reason")
    ride.status = status
    ride.status_reason = reason
    save_with_history(
        ride,
        actor=actor,
        action="mobility.ride.status_change",
        note=str(RideStatus(status).label),
    )
    if status in (RideStatus.CANCELLED, RideStatus.UNSERVED):
        remove_from_plan(ride, actor=actor)
    return ride


def ride_set_public_alternative(*, ride: RideRequest, text: str, actor: Any = None) -> None:
    """Store the public-transport alternative found by the coexistence check, recording who
    ran the check (None: the system)."""
    if ride.public_alternative != text:
        ride.public_alternative = text
        save_with_history(ride, actor=actor, action="mobility.ride.coexistence_check")


def home_place(rider: Rider) -> dict[str, Any]:
    """The rider's home as a place of a request (prefilled origin of a booking)."""
    return {
        "kind": PlaceKind.HOME,
        "label": rider.address or _("自宅"),
        "latitude": rider.home_latitude,
        "longitude": rider.home_longitude,
    }
