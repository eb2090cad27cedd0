"""Forms of the mobility pages (drivers, vehicles, riders, phone booking, day plans).

Forms only parse and check what was typed, with every choice limited to the service's
municipality; the views hand the cleaned values to :mod:`tsunagu.mobility.rides.services` or
:mod:`tsunagu.mobility.rides.planning`, which do every write.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from tsunagu.core.fields import field_names
from tsunagu.core.forms import WarekiDateField
from tsunagu.core.sorting import naturally_ordered
from tsunagu.mobility.models import (
    BookingChannel,
    Driver,
    MobilityService,
    Pilot,
    PlaceKind,
    Rider,
    RideRequest,
    RideStatus,
    TripPurpose,
    Vehicle,
    VehicleOwnerKind,
    Weekday,
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

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
COORD_HELP = _("地図アプリなどで調べた値（例: 33.0500）。配車計画の距離の計算に使います。")
FACILITY_TYPES = ("medical_institution", "company", "cooperative", "post_office", "department")


def _time_field(label: Any, required: bool = False, help_text: Any = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        widget=TIME_WIDGET,
        help_text=help_text,
        input_formats=["%H:%M", "%H:%M:%S", "%H時%M分", "%H%M"],
    )


def _coord(label: Any, lo: int, hi: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal(lo),
        max_value=Decimal(hi),
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )


def organisations_of(user: Any, municipality: Any) -> QuerySet[Any]:
    """Visible directory organisations of the municipality."""
    from tsunagu.directory.selectors import organisation_list_visible_to

    return (
        organisation_list_visible_to(user=user)
        .filter(municipality=municipality)
        .order_by("name_kana", "name")
    )


def facilities_of(user: Any, municipality: Any) -> QuerySet[Any]:
    """Destinations: organisations of the municipality with coordinates (病院・店・銀行・役所 …)."""
    return organisations_of(user, municipality).filter(
        latitude__isnull=False, longitude__isnull=False
    )


# --- services -----------------------------------------------------------------------------------


class ServiceForm(forms.ModelForm):
    started_on = WarekiDateField(label=_("開始日"), required=False)
    base_latitude = _coord(_("拠点の緯度"), -90, 90)
    base_longitude = _coord(_("拠点の経度"), -180, 180)

    class Meta:
        model = MobilityService
        fields = [n for n in field_names(ServiceFields) if n != "municipality"]
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, user: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = organisations_of(user, municipality)  # type: ignore[attr-defined]
        self.fields["districts"].queryset = naturally_ordered(municipality.districts.all())  # type: ignore[attr-defined]
        self.fields["base_latitude"].help_text = COORD_HELP


class PilotForm(forms.ModelForm):
    held_on = WarekiDateField(label=_("実施日"), required=False)

    class Meta:
        model = Pilot
        fields = list(field_names(PilotFields))
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}


# --- drivers -------------------------------------------------------------------------------------


class DriverForm(forms.ModelForm):
    licence_expires_on = WarekiDateField(label=_("免許の有効期限"), required=False)
    driver_course_completed_on = WarekiDateField(
        label=_("運転ボランティア養成講座の修了日"), required=False
    )
    assistance_course_completed_on = WarekiDateField(label=_("介助講習の修了日"), required=False)
    approved_course_completed_on = WarekiDateField(
        label=_("大臣認定講習の修了日"),
        required=False,
        help_text=_("福祉有償運送・交通空白地有償運送で第一種免許の運転者に必要"),
    )
    insurance_expires_on = WarekiDateField(label=_("保険の有効期限"), required=False)
    home_latitude = _coord(_("出発地の緯度"), -90, 90)
    home_longitude = _coord(_("出発地の経度"), -180, 180)

    class Meta:
        model = Driver
        fields = list(field_names(DriverFields))
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class SlotForm(forms.Form):
    """One weekly slot (運転できる時間帯 / 車両の空き時間)."""

    weekday = forms.TypedChoiceField(
        label=_("曜日"), choices=[("", "—"), *Weekday.choices], coerce=int, required=False
    )
    starts_at = _time_field(_("開始時刻"))
    ends_at = _time_field(_("終了時刻"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [
            data.get("weekday") not in (None, ""),
            bool(data.get("starts_at")),
            bool(data.get("ends_at")),
        ]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("曜日・開始時刻・終了時刻をすべて入れてください。"))
        if all(filled) and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("終了時刻は開始時刻より後にしてください。"))
        return data


SlotFormSet = formset_factory(SlotForm, extra=3)


def slots_from(formset: Any) -> list[WeeklySlot]:
    return [
        WeeklySlot(
            f.cleaned_data["weekday"], f.cleaned_data["starts_at"], f.cleaned_data["ends_at"]
        )
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("weekday") not in (None, "")
    ]


def slot_initial(rows: Any) -> list[dict[str, Any]]:
    return [{"weekday": r.weekday, "starts_at": r.starts_at, "ends_at": r.ends_at} for r in rows]


class DriverExceptionForm(forms.Form):
    date = WarekiDateField(label=_("日付"))
    available = forms.TypedChoiceField(
        label=_("この日は"),
        choices=[("0", _("運転できない")), ("1", _("運転できる（いつもと別の時間も）"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    starts_at = _time_field(_("開始時刻"), help_text=_("運転できない日で空欄なら、終日できません"))
    ends_at = _time_field(_("終了時刻"))
    note = forms.CharField(label=_("備考"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if bool(starts) != bool(ends):
            raise forms.ValidationError(
                _("開始時刻と終了時刻は両方入れるか、両方空欄にしてください。")
            )
        if data.get("available") and not starts:
            self.add_error("starts_at", _("運転できる日には開始時刻と終了時刻を入れてください。"))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了時刻は開始時刻より後にしてください。"))
        return data


# --- vehicles ------------------------------------------------------------------------------------


class VehicleForm(forms.ModelForm):
    insurance_expires_on = WarekiDateField(label=_("自動車保険の有効期限"), required=False)
    inspection_expires_on = WarekiDateField(label=_("車検の有効期限"), required=False)
    garage_latitude = _coord(_("車庫の緯度"), -90, 90)
    garage_longitude = _coord(_("車庫の経度"), -180, 180)

    class Meta:
        model = Vehicle
        fields = list(field_names(VehicleFields))
        widgets = {
            "owner_kind": forms.RadioSelect,
            "plate": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, service: MobilityService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_driver"].queryset = service.drivers.order_by("name_kana")  # type: ignore[attr-defined]
        self.fields["owner_organisation"].queryset = organisations_of(user, service.municipality)  # type: ignore[attr-defined]
        self.fields["owner_driver"].help_text = _("自家用車の場合に選びます")
        self.fields["owner_organisation"].help_text = _("団体の車両の場合に選びます")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("owner_kind") == VehicleOwnerKind.VOLUNTEER and not data.get("owner_driver"):
            self.add_error("owner_driver", _("自家用車の場合は所有する運転者を選んでください。"))
        if data.get("owner_kind") == VehicleOwnerKind.ORGANISATION and not data.get(
            "owner_organisation"
        ):
            self.add_error(
                "owner_organisation", _("団体の車両の場合は所有する団体を選んでください。")
            )
        return data


# --- riders --------------------------------------------------------------------------------------


class RiderForm(forms.ModelForm):
    consent_on = WarekiDateField(
        label=_("個人情報の利用に同意した日"),
        required=False,
        help_text=_("同意がない人の予約は受け付けられません。和暦・西暦のどちらでも入力できます。"),
    )
    home_latitude = _coord(_("自宅の緯度"), -90, 90)
    home_longitude = _coord(_("自宅の経度"), -180, 180)

    class Meta:
        model = Rider
        fields = list(field_names(RiderFields))
        widgets = {
            "needs": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, service: MobilityService, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = naturally_ordered(service.municipality.districts.all())  # type: ignore[attr-defined]
        self.fields["home_latitude"].help_text = COORD_HELP


class RiderSearchForm(forms.Form):
    q = forms.CharField(
        label=_("よみがな・電話番号・会員番号で探す"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )


# --- booking -------------------------------------------------------------------------------------


class BookingForm(forms.Form):
    """The phone booking (電話受付): one request and, if asked, its return trip."""

    trip_date = WarekiDateField(label=_("利用日"))
    purpose = forms.ChoiceField(label=_("目的"), choices=TripPurpose.choices)
    origin_is_home = forms.BooleanField(label=_("自宅から出発"), required=False, initial=True)
    origin_label = forms.CharField(
        label=_("出発地（自宅以外のとき）"), required=False, max_length=200
    )
    origin_latitude = _coord(_("出発地の緯度"), -90, 90)
    origin_longitude = _coord(_("出発地の経度"), -180, 180)
    destination_facility = forms.ModelChoiceField(
        label=_("行き先の施設"),
        queryset=None,
        required=False,
        empty_label=_("（一覧にない場合は下に住所を入力）"),
        help_text=_("病院・店・銀行・役所など。文字を打つと候補にしぼれます。"),
    )
    destination_label = forms.CharField(
        label=_("行き先の住所・名称（一覧にないとき）"), required=False, max_length=200
    )
    destination_latitude = _coord(_("行き先の緯度"), -90, 90)
    destination_longitude = _coord(_("行き先の経度"), -180, 180)
    appointment_at = _time_field(
        _("到着したい時刻（予約時刻）"),
        help_text=_("病院の予約時刻など。30分前から予約時刻までに着くように組みます。"),
    )
    earliest_pickup = _time_field(_("迎えの時刻（から）"))
    latest_pickup = _time_field(_("迎えの時刻（まで）"))
    escort_minutes = forms.IntegerField(
        label=_("付き添いの時間（分）"),
        min_value=0,
        max_value=480,
        initial=0,
        help_text=_("店内・院内で付き添い、運転者が待つ時間。付き添いなしは0。"),
    )
    wheelchair = forms.BooleanField(label=_("車いすのまま乗車"), required=False)
    companions = forms.IntegerField(
        label=_("同乗する人数（本人以外）"), min_value=0, max_value=5, initial=0
    )
    mobility_aids = forms.CharField(label=_("歩行の補助具"), required=False, max_length=100)
    booked_via = forms.ChoiceField(
        label=_("受付方法"), choices=BookingChannel.choices, initial=BookingChannel.PHONE
    )
    note = forms.CharField(
        label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    return_trip = forms.BooleanField(label=_("帰りの送迎も予約する"), required=False)
    return_earliest = _time_field(
        _("帰りの迎えの時刻（から）"),
        help_text=_(
            "空欄なら、予約時刻＋付き添いの時間（付き添いなしは60分後）から30分の間にします。"
        ),
    )
    return_latest = _time_field(_("帰りの迎えの時刻（まで）"))
    confirm_duplicate = forms.BooleanField(
        label=_("時間の重なる予約があることを確かめたうえで、別の送迎として受け付ける"),
        required=False,
    )

    def __init__(
        self, *args: Any, user: Any, service: MobilityService, rider: Rider, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rider = rider
        self.fields["destination_facility"].queryset = facilities_of(user, service.municipality)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("origin_is_home") and not data.get("origin_label"):
            self.add_error("origin_label", _("自宅以外から出発するときは出発地を入れてください。"))
        if data.get("origin_is_home") and self.rider.home_latitude is None:
            self.add_error(
                "origin_is_home",
                _(
                    "この会員の自宅の緯度・経度が登録されていません。会員の画面で入れるか、出発地を入力してください。"
                ),
            )
        facility = data.get("destination_facility")
        if not facility and not data.get("destination_label"):
            self.add_error(
                "destination_facility",
                _("行き先の施設を選ぶか、行き先の住所・名称を入れてください。"),
            )
        if (
            not facility
            and data.get("destination_label")
            and (
                data.get("destination_latitude") is None
                or data.get("destination_longitude") is None
            )
        ):
            self.add_error(
                "destination_latitude",
                _("一覧にない行き先は緯度・経度も入れてください（配車計画に必要です）。"),
            )
        if (
            not data.get("origin_is_home")
            and data.get("origin_label")
            and (data.get("origin_latitude") is None or data.get("origin_longitude") is None)
        ):
            self.add_error(
                "origin_latitude",
                _("自宅以外の出発地は緯度・経度も入れてください（配車計画に必要です）。"),
            )
        if not (
            data.get("appointment_at") or data.get("earliest_pickup") or data.get("latest_pickup")
        ):
            self.add_error(
                "appointment_at", _("迎えの時刻か、到着したい時刻のどちらかを入れてください。")
            )
        early, late = data.get("earliest_pickup"), data.get("latest_pickup")
        if early and late and late < early:
            self.add_error("latest_pickup", _("「まで」の時刻は「から」の時刻以降にしてください。"))
        if (
            data.get("return_trip")
            and not data.get("return_earliest")
            and not data.get("appointment_at")
        ):
            self.add_error(
                "return_earliest",
                _("帰りの迎えの時刻を入れてください（予約時刻がないため自動では決められません）。"),
            )
        r_early, r_late = data.get("return_earliest"), data.get("return_latest")
        if r_early and r_late and r_late < r_early:
            self.add_error("return_latest", _("「まで」の時刻は「から」の時刻以降にしてください。"))
        self._check_duplicate()
        return data

    def _check_duplicate(self) -> None:
        """Warn when the rider already has a trip at an overlapping time that day (a second
        call about the same trip); the operator confirms a true second trip."""
        from tsunagu.mobility.rides.selectors import overlapping_requests

        data = self.cleaned_data
        if self.errors or not data.get("trip_date") or data.get("confirm_duplicate"):
            return
        probe = RideRequest(
            appointment_at=data.get("appointment_at"),
            earliest_pickup=data.get("earliest_pickup"),
            latest_pickup=data.get("latest_pickup"),
        )
        other = overlapping_requests(rider=self.rider, date=data["trip_date"], ride=probe)
        if other is not None:
            self.add_error(
                "confirm_duplicate",
                _(
                    "%(name)s さんには同じ日に時間の重なる予約があります（予約 %(n)s: %(time)s、"
                    "%(place)s 行き）。同じ送迎の二重の予約でないか確かめ、別の送迎なら"
                    "「%(label)s」にチェックしてもう一度保存してください。"
                )
                % {
                    "name": self.rider.name,
                    "n": other.pk,
                    "time": ride_time_text(other),
                    "place": other.destination_label,
                    "label": self.fields["confirm_duplicate"].label,
                },
            )

    def request_fields(self) -> RideFields:
        """Fields of the outbound :class:`RideRequest`."""
        data = self.cleaned_data
        rider = self.rider
        if data["origin_is_home"]:
            origin = {
                "origin_kind": PlaceKind.HOME,
                "origin_label": rider.address or str(_("自宅")),
                "origin_latitude": rider.home_latitude,
                "origin_longitude": rider.home_longitude,
            }
        else:
            origin = {
                "origin_kind": PlaceKind.ADDRESS,
                "origin_label": data["origin_label"],
                "origin_latitude": data["origin_latitude"],
                "origin_longitude": data["origin_longitude"],
            }
        facility = data.get("destination_facility")
        if facility:
            destination = {
                "destination_kind": PlaceKind.FACILITY,
                "destination_label": facility.name,
                "destination_latitude": facility.latitude,
                "destination_longitude": facility.longitude,
                "destination_organisation": facility,
            }
        else:
            destination = {
                "destination_kind": PlaceKind.ADDRESS,
                "destination_label": data["destination_label"],
                "destination_latitude": data["destination_latitude"],
                "destination_longitude": data["destination_longitude"],
                "destination_organisation": None,
            }
        return RideFields(
            trip_date=data["trip_date"],
            purpose=data["purpose"],
            **origin,
            **destination,
            appointment_at=data.get("appointment_at"),
            earliest_pickup=data.get("earliest_pickup"),
            latest_pickup=data.get("latest_pickup"),
            escort_minutes=data["escort_minutes"],
            wheelchair=data["wheelchair"],
            companions=data["companions"],
            mobility_aids=data["mobility_aids"],
            booked_via=data["booked_via"],
            note=data["note"],
        )

    def return_fields(self) -> RideFields | None:
        """The return trip's pick-up times, when one is asked for (the rest mirrors the
        outbound trip: see ``ride_book``)."""
        data = self.cleaned_data
        if not data.get("return_trip"):
            return None
        early, late = data.get("return_earliest"), data.get("return_latest")
        if not early:
            base = datetime.datetime.combine(data["trip_date"], data["appointment_at"])
            early_dt = base + datetime.timedelta(minutes=data["escort_minutes"] or 60)
            early = (
                early_dt.time() if early_dt.date() == data["trip_date"] else datetime.time(23, 0)
            )
        if not late:
            late_dt = datetime.datetime.combine(data["trip_date"], early) + datetime.timedelta(
                minutes=30
            )
            late = late_dt.time() if late_dt.date() == data["trip_date"] else datetime.time(23, 59)
        return RideFields(earliest_pickup=early, latest_pickup=late)


def ride_time_text(ride: RideRequest) -> str:
    """「予約 9:30」「迎え 9:00〜9:30」: the times of a request as staff say them."""
    parts = []
    if ride.appointment_at:
        parts.append(_("予約 %(t)s") % {"t": f"{ride.appointment_at:%H:%M}"})
    if ride.earliest_pickup or ride.latest_pickup:
        start = f"{ride.earliest_pickup:%H:%M}" if ride.earliest_pickup else ""
        end = f"{ride.latest_pickup:%H:%M}" if ride.latest_pickup else ""
        parts.append(_("迎え %(a)s〜%(b)s") % {"a": start, "b": end})
    return "、".join(str(p) for p in parts)


# --- requests and plans -------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    date = WarekiDateField(label=_("利用日"), required=False, help_text="")
    status = forms.ChoiceField(
        label=_("状況"), choices=[("", _("すべて")), *RideStatus.choices], required=False
    )


STATUS_ACTIONS = [
    (RideStatus.COMPLETED, _("完了にする")),
    (RideStatus.CANCELLED, _("キャンセルにする")),
    (RideStatus.UNSERVED, _("不成立にする")),
]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状況の変更"), choices=STATUS_ACTIONS)
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=300,
        help_text=_("キャンセル・不成立のときは必ず書きます"),
    )


class PlanDateForm(forms.Form):
    date = WarekiDateField(label=_("日付"), help_text="")


class MoveForm(forms.Form):
    """A manual change of the plan: put a request on a route at a position."""

    request = forms.TypedChoiceField(label=_("動かす予約"), coerce=int, choices=())
    route = forms.TypedChoiceField(label=_("入れる運行（運転者）"), coerce=int, choices=())
    pickup_position = forms.IntegerField(
        label=_("迎えの順番"),
        min_value=1,
        required=False,
        help_text=_("その運行の何番目に迎えに行くか。空欄なら最後。"),
    )
    dropoff_position = forms.IntegerField(
        label=_("送りの順番"),
        min_value=2,
        required=False,
        help_text=_("迎えを入れたあとの何番目に降ろすか。空欄なら最後。"),
    )

    def __init__(
        self,
        *args: Any,
        requests: list[tuple[int, str]],
        routes: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].choices = requests  # type: ignore[attr-defined]
        self.fields["route"].choices = routes  # type: ignore[attr-defined]
