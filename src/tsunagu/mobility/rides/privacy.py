"""What of a rider (利用会員) a user may see, and the read log when it is shown.

Riders are 要配慮個人情報. Everything a page, export, API response or history view shows of a
rider or of a ride request goes through :func:`disclose`: it decides once, with
:func:`~tsunagu.mobility.permissions.can_view_riders`, whether the user sees the rider's fields,
writes :class:`~tsunagu.accounts.models.PersonalDataReadLog` (one row per rider shown) when they
are shown, and returns a :class:`Disclosure` that turns requests into :class:`RideView` objects
holding only what may be shown.

Rider fields are not only the name: places derived from a rider (the home and any typed address,
with their labels such as 「○○さんの自宅」 and coordinates), phone, walking aids, wheelchair,
needs, notes, status reasons typed by staff and the public-transport alternative found from the
home. Users without the right see 「会員（地区）」, 「利用者の自宅」 and no aids or notes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tsunagu.mobility.models import MobilityService, PlaceKind, Rider, RideRequest
from tsunagu.mobility.permissions import can_view_riders

# Ride-request fields that are rider data (masked in history for users without the right).
RIDE_RIDER_FIELDS = frozenset(
    {
        "rider",
        "origin_label",
        "origin_latitude",
        "origin_longitude",
        "destination_label",
        "destination_latitude",
        "destination_longitude",
        "wheelchair",
        "mobility_aids",
        "companions",
        "status_reason",
        "public_alternative",
        "note",
    }
)
PRIVATE_PLACES = (PlaceKind.HOME, PlaceKind.ADDRESS)
HIDDEN = "—"


@dataclass(frozen=True)
class RideView:
    """One ride request as the user may see it (attribute names follow the model's)."""

    pk: int
    rider_id: int | None
    outbound_id: int | None
    trip_date: datetime.date
    who: str
    phone: str
    purpose: str
    get_purpose_display: str
    origin_kind: str
    origin_label: str
    origin_latitude: Decimal | None
    origin_longitude: Decimal | None
    destination_kind: str
    destination_label: str
    destination_latitude: Decimal | None
    destination_longitude: Decimal | None
    appointment_at: datetime.time | None
    earliest_pickup: datetime.time | None
    latest_pickup: datetime.time | None
    escort_minutes: int
    wheelchair: bool
    companions: int
    mobility_aids: str
    status: str
    get_status_display: str
    status_reason: str
    public_alternative: str
    has_public_alternative: bool
    note: str

    def __str__(self) -> str:
        return f"{self.trip_date} {self.origin_label} → {self.destination_label}"


@dataclass(frozen=True)
class Disclosure:
    """The decision for one user and one service: ``full`` shows rider fields."""

    full: bool

    def rider_label(self, rider: Rider) -> str:
        if self.full:
            return rider.name
        district = rider.district.name if rider.district_id and rider.district else ""
        return _("会員（%(district)s）") % {"district": district} if district else _("会員")

    def place(self, ride: RideRequest, end: str) -> str:
        """The label of the origin or destination (``end``): a home or a typed address is the
        rider's; a facility or a stop is public."""
        label = getattr(ride, f"{end}_label")
        if self.full:
            return label
        kind = getattr(ride, f"{end}_kind")
        rider = ride.rider
        if kind == PlaceKind.HOME or (rider.address and rider.address in label):
            return _("利用者の自宅")
        if kind == PlaceKind.ADDRESS or (rider.name and rider.name in label):
            return _("利用者が指定した場所")
        return label

    def _coordinate(self, ride: RideRequest, end: str, axis: str) -> Decimal | None:
        value = getattr(ride, f"{end}_{axis}")
        if self.full or getattr(ride, f"{end}_kind") not in PRIVATE_PLACES:
            return value
        return None

    def ride(self, ride: RideRequest) -> RideView:
        full = self.full
        return RideView(
            pk=ride.pk,
            rider_id=ride.rider_id if full else None,
            outbound_id=ride.outbound_id,
            trip_date=ride.trip_date,
            who=self.rider_label(ride.rider),
            phone=ride.rider.phone if full else "",
            purpose=ride.purpose,
            get_purpose_display=str(ride.get_purpose_display()),
            origin_kind=ride.origin_kind,
            origin_label=self.place(ride, "origin"),
            origin_latitude=self._coordinate(ride, "origin", "latitude"),
            origin_longitude=self._coordinate(ride, "origin", "longitude"),
            destination_kind=ride.destination_kind,
            destination_label=self.place(ride, "destination"),
            destination_latitude=self._coordinate(ride, "destination", "latitude"),
            destination_longitude=self._coordinate(ride, "destination", "longitude"),
            appointment_at=ride.appointment_at,
            earliest_pickup=ride.earliest_pickup,
            latest_pickup=ride.latest_pickup,
            escort_minutes=ride.escort_minutes,
            wheelchair=ride.wheelchair if full else False,
            companions=ride.companions if full else 0,
            mobility_aids=ride.mobility_aids if full else "",
            status=ride.status,
            get_status_display=str(ride.get_status_display()),
            status_reason=ride.status_reason if full else "",
            # The bus found from the home tells where the home is: only that there is one.
            public_alternative=ride.public_alternative if full else "",
            has_public_alternative=bool(ride.public_alternative),
            note=ride.note if full else "",
        )

    def rides(self, rides: Iterable[RideRequest]) -> list[RideView]:
        return [self.ride(r) for r in rides]

    def field(self, name: str, value: Any) -> Any:
        """A history value of ride-request field ``name`` as the user may see it."""
        if self.full or name not in RIDE_RIDER_FIELDS:
            return value
        return HIDDEN


def disclose(
    *,
    user: Any,
    service: MobilityService,
    riders: Iterable[Rider],
    purpose: str,
    path: str = "",
    log: bool = True,
) -> Disclosure:
    """Decide what of ``riders`` (those the page is about to show) ``user`` may see and log the
    read of each of them when their fields are shown.

    ``log=False`` only for a re-render of a form whose first display was logged.
    """
    full = can_view_riders(user, service)
    if full and log:
        _log(user=user, riders=riders, purpose=purpose, path=path)
    return Disclosure(full=full)


def disclose_rides(
    *,
    user: Any,
    service: MobilityService,
    rides: Iterable[RideRequest],
    purpose: str,
    path: str = "",
) -> tuple[Disclosure, list[RideView]]:
    """:func:`disclose` for the riders of ``rides``, and the rides as the user may see them."""
    rides = list(rides)
    disclosure = disclose(
        user=user, service=service, riders=[r.rider for r in rides], purpose=purpose, path=path
    )
    return disclosure, disclosure.rides(rides)


def _log(*, user: Any, riders: Iterable[Rider], purpose: str, path: str) -> None:
    from tsunagu.accounts.models import PersonalDataReadLog

    seen: dict[int, Rider] = {}
    for rider in riders:
        seen.setdefault(rider.pk, rider)
    if not seen:
        return
    label = Rider._meta.label
    PersonalDataReadLog.objects.bulk_create(
        PersonalDataReadLog(
            user=user,
            model_label=label,
            object_id=str(pk),
            object_repr=str(rider)[:200],
            purpose=purpose[:200],
            path=path[:300],
        )
        for pk, rider in seen.items()
    )
