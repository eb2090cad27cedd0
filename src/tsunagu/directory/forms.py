"""Directory forms: the search filters, organisations, people and roles, resources and schedules.

Forms only parse and validate what was typed; the views hand ``cleaned_data`` to
``tsunagu.directory.services``, which do every write (with history).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField
from tsunagu.core.sorting import naturally_ordered
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Organisation,
    OrganisationType,
    Person,
    Resource,
    Weekday,
)
from tsunagu.directory.services import OrganisationFields, PersonFields

TAG_SEPARATORS = re.compile(r"[,、，;；\n\r]+")
KIND_CHOICES = [("resource", _("地域資源")), ("organisation", _("団体・組織"))]


def date_field(label: Any, *, required: bool = False, **kwargs: Any) -> WarekiDateField:
    # max_length=None: CharField's MaxLengthValidator would run on the parsed date (TypeError).
    return WarekiDateField(label=label, required=required, max_length=None, **kwargs)


def split_tags(text: str) -> list[str]:
    """「見守り、移動支援, 送迎」 → ["見守り", "移動支援", "送迎"] (order kept, duplicates dropped)."""
    names: list[str] = []
    for part in TAG_SEPARATORS.split(text or ""):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


class TagsField(forms.CharField):
    """Tags typed as text separated by 、 or commas; cleans to a list of names."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("読点（、）またはカンマで区切って入力します（例: 見守り、送迎）。")
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        if isinstance(value, Iterable):
            return "、".join(str(getattr(tag, "name", tag)) for tag in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list):
            return value
        return split_tags(super().to_python(value))

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial or []) != "、".join(split_tags(data or ""))


def category_rows() -> list[tuple[Category, int]]:
    """Every category in tree order with its depth (0 = top level)."""
    categories = list(Category.objects.order_by("sort_order", "code"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    rows: list[tuple[Category, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for category in children.get(parent_id, []):
            rows.append((category, depth))
            walk(category.pk, depth + 1)

    walk(None, 0)
    return rows


def indented(name: str, depth: int) -> str:
    return f"{'　' * depth}{'└ ' if depth else ''}{name}"


def category_choices(empty_label: str | None) -> list[tuple[Any, str]]:
    choices: list[tuple[Any, str]] = [("", empty_label)] if empty_label is not None else []
    choices += [
        (category.pk, indented(category.name, depth)) for category, depth in category_rows()
    ]
    return choices


class FieldGroup:
    """A part of a form rendered by core/form_fields.html under its own heading.

    Only the first group (``summary=True``) shows the error summary and hidden fields,
    so a long form can be split into fieldsets and still list every error once, on top.
    """

    def __init__(self, form: forms.BaseForm, legend: Any, names: list[str], summary: bool) -> None:
        self.form = form
        self.legend = legend
        self.names = [name for name in names if name in form.fields]
        self.summary = summary

    def __iter__(self) -> Iterator[forms.BoundField]:
        return iter(self.form) if self.summary else iter(())

    @property
    def errors(self) -> Any:
        return self.form.errors if self.summary else {}

    def non_field_errors(self) -> Any:
        return self.form.non_field_errors() if self.summary else []

    def hidden_fields(self) -> list[forms.BoundField]:
        return self.form.hidden_fields() if self.summary else []

    def visible_fields(self) -> list[forms.BoundField]:
        return [self.form[name] for name in self.names]


def field_groups(form: forms.BaseForm, layout: list[tuple[Any, list[str]]]) -> list[FieldGroup]:
    groups = [
        FieldGroup(form, legend, names, summary=index == 0)
        for index, (legend, names) in enumerate(layout)
    ]
    return [group for group in groups if group.names or group.summary]


def drop_empty_choices(form: forms.BaseForm, names: Iterable[str]) -> None:
    """Leave out a list of checkboxes that would have nothing to tick (and cannot change)."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and not field.queryset.exists():
            del form.fields[name]


# --- search ----------------------------------------------------------------------------


class SearchForm(forms.Form):
    """The query string of the search, map and public pages (all optional, bad values ignored)."""

    q = forms.CharField(label=_("キーワード"), required=False, max_length=200)
    category = forms.TypedChoiceField(label=_("分類"), required=False, coerce=int, empty_value=None)
    area = forms.ChoiceField(label=_("地域"), required=False)
    eligibility = forms.TypedMultipleChoiceField(
        label=_("利用できる人"), required=False, coerce=int
    )
    org_type = forms.MultipleChoiceField(
        label=_("団体の種別"), required=False, choices=OrganisationType.choices
    )
    weekday = forms.TypedMultipleChoiceField(
        label=_("曜日"), required=False, coerce=int, choices=Weekday.choices
    )
    kind = forms.MultipleChoiceField(label=_("種類"), required=False, choices=KIND_CHOICES)

    def __init__(
        self,
        *args: Any,
        area_choices: list[Any] | None = None,
        categories: list[tuple[Category, int]] | None = None,
        **kwargs: Any,
    ) -> None:
        """``categories``: ``category_rows()`` when the caller has them already."""
        super().__init__(*args, **kwargs)
        rows = category_rows() if categories is None else categories
        self.fields["category"].choices = [
            ("", str(_("すべての分類"))),
            *((category.pk, indented(category.name, depth)) for category, depth in rows),
        ]
        self.fields["area"].choices = [("", _("すべての地域")), *(area_choices or [])]
        self.fields["eligibility"].choices = [
            (e.pk, e.name) for e in Eligibility.objects.order_by("sort_order", "code")
        ]

    def valid_data(self) -> dict[str, Any]:
        """What parsed; a bad value in one filter drops that filter only."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "category": data.get("category"),
            "area": data.get("area") or "",
            "eligibility": data.get("eligibility") or [],
            "org_type": data.get("org_type") or [],
            "weekday": data.get("weekday") or [],
            "kind": data.get("kind") or [],
        }


def parse_area(value: str) -> tuple[str, int] | None:
    """ "district:12" → ("district", 12)."""
    kind, _sep, pk = (value or "").partition(":")
    if kind in ("daily_life_area", "district", "municipality") and pk.isdigit():
        return kind, int(pk)
    return None


# --- organisations ---------------------------------------------------------------------

ORGANISATION_LAYOUT = [
    (
        _("基本情報"),
        ["name", "name_kana", "org_type", "parent", "description", "status", "founded_on"],
    ),
    (_("活動する地域"), ["serves_whole_municipality", "daily_life_areas", "districts"]),
    (
        _("所在地と連絡先"),
        ["postal_code", "address", "latitude", "longitude", "phone", "email", "website"],
    ),
    (_("強みと課題"), ["strengths", "strength_tags", "problems", "problem_tags"]),
    (_("公開範囲と出典"), ["visibility", "source"]),
]


class OrganisationForm(forms.ModelForm):
    founded_on = date_field(_("設立日"))
    strength_tags = TagsField(label=_("強みのタグ"))
    problem_tags = TagsField(label=_("課題のタグ"))

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_kana",
            "org_type",
            "parent",
            "description",
            "status",
            "founded_on",
            "serves_whole_municipality",
            "daily_life_areas",
            "districts",
            "postal_code",
            "address",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "strengths",
            "strength_tags",
            "problems",
            "problem_tags",
            "visibility",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "daily_life_areas": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "latitude": _("地図に表示する位置（例: 33.668300）。空欄なら地図に表示しません。"),
            "longitude": _("例: 130.845000"),
        }

    def __init__(
        self,
        *args: Any,
        parents: QuerySet[Organisation] | None = None,
        municipality: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            parents if parents is not None else Organisation.objects.none()
        )
        if municipality is None:
            # Prefecture-level and national bodies have no daily-life areas or districts.
            for name in ("serves_whole_municipality", "daily_life_areas", "districts"):
                del self.fields[name]
        else:
            self.fields["daily_life_areas"].queryset = naturally_ordered(
                municipality.daily_life_areas.all()
            )
            self.fields["districts"].queryset = naturally_ordered(municipality.districts.all())
            drop_empty_choices(self, ("daily_life_areas", "districts"))
        self.groups = field_groups(self, ORGANISATION_LAYOUT)

    def service_fields(self, **scope: Any) -> OrganisationFields:
        return OrganisationFields(**self.cleaned_data, **scope)


# --- people ----------------------------------------------------------------------------


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "name_kana", "phone", "email", "preferred_contact", "note"]
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, show_contact: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_contact:
            # Users without a scope over the municipality never see (nor overwrite) these.
            del self.fields["phone"]
            del self.fields["email"]

    def service_fields(self) -> PersonFields:
        return PersonFields(**{k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields})


class PersonCreateForm(PersonForm):
    title = forms.CharField(
        label=_("役割・役職"),
        max_length=100,
        help_text=_("例: 会長、事務局、担当、生活支援コーディネーター"),
    )

    field_order = ["title", "name", "name_kana", "phone", "email", "preferred_contact", "note"]


class RoleForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("団体・組織"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("役割・役職"), max_length=100)
    starts_on = date_field(_("開始日"))
    ends_on = date_field(_("終了日"), help_text=_("空欄なら現在も担当しています。"))

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("終了日は開始日以降の日付にしてください。"))
        return data


class RoleEndForm(forms.Form):
    ends_on = date_field(
        _("終了日"),
        required=True,
        help_text=_("人事異動などで役割を終える日。記録は削除されず、履歴に残ります。"),
    )


# --- resources -------------------------------------------------------------------------

RESOURCE_LAYOUT = [
    (_("基本情報"), ["name", "name_kana", "provider", "category", "description", "status"]),
    (
        _("対象と費用"),
        ["eligibility", "eligibility_note", "cost_yen", "cost_note", "capacity"],
    ),
    (
        _("対象の地域と実施場所"),
        [
            "serves_whole_municipality",
            "daily_life_areas",
            "districts",
            "locations",
            "new_location_name",
            "new_location_address",
            "new_location_latitude",
            "new_location_longitude",
        ],
    ),
    (_("日程と申込"), ["schedule_note", "started_on", "how_to_apply", "contact_phone", "website"]),
    (_("財源・根拠"), ["funding_basis", "sogo_service_type", "subsidy_name"]),
    (_("公開範囲と出典"), ["visibility", "source"]),
]
NEW_LOCATION_FIELDS = (
    "new_location_name",
    "new_location_address",
    "new_location_latitude",
    "new_location_longitude",
)


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        where = obj.municipality or obj.prefecture
        return f"{obj.name}（{where}）" if where else obj.name


class ResourceForm(forms.ModelForm):
    provider = ProviderChoiceField(label=_("提供する団体"), queryset=Organisation.objects.none())
    category = forms.ModelChoiceField(label=_("分類"), queryset=Category.objects.all())
    started_on = date_field(_("開始日"))
    new_location_name = forms.CharField(
        label=_("新しい実施場所の名称"),
        required=False,
        max_length=200,
        help_text=_("一覧にない場所はここに入力すると登録されます（例: 採銅所公民館）。"),
    )
    new_location_address = forms.CharField(
        label=_("新しい実施場所の住所"), required=False, max_length=300
    )
    new_location_latitude = forms.DecimalField(
        label=_("新しい実施場所の緯度"), required=False, max_digits=9, decimal_places=6
    )
    new_location_longitude = forms.DecimalField(
        label=_("新しい実施場所の経度"), required=False, max_digits=9, decimal_places=6
    )

    class Meta:
        model = Resource
        fields = [
            "name",
            "name_kana",
            "provider",
            "category",
            "description",
            "status",
            "eligibility",
            "eligibility_note",
            "cost_yen",
            "cost_note",
            "capacity",
            "serves_whole_municipality",
            "daily_life_areas",
            "districts",
            "locations",
            "schedule_note",
            "started_on",
            "how_to_apply",
            "contact_phone",
            "website",
            "funding_basis",
            "sogo_service_type",
            "subsidy_name",
            "visibility",
            "source",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.CheckboxSelectMultiple,
            "daily_life_areas": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "locations": forms.CheckboxSelectMultiple,
            "cost_yen": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Organisation],
        municipalities: Iterable[Any] = (),
        locations: QuerySet[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["category"].choices = category_choices("---------")
        municipality_ids = [m.pk for m in municipalities]
        if municipality_ids:
            from tsunagu.areas.models import DailyLifeArea, District

            self.fields["daily_life_areas"].queryset = naturally_ordered(
                DailyLifeArea.objects.filter(municipality__in=municipality_ids).select_related(
                    "municipality"
                ),
                "municipality__code",
            )
            self.fields["districts"].queryset = naturally_ordered(
                District.objects.filter(municipality__in=municipality_ids).select_related(
                    "municipality"
                ),
                "municipality__code",
            )
            if len(municipality_ids) > 1:
                for name in ("daily_life_areas", "districts"):
                    self.fields[name].label_from_instance = lambda a: f"{a.municipality} {a.name}"
        else:
            for name in ("serves_whole_municipality", "daily_life_areas", "districts"):
                del self.fields[name]
        if locations is not None:
            self.fields["locations"].queryset = locations
        drop_empty_choices(self, ("daily_life_areas", "districts", "locations"))
        self.groups = field_groups(self, RESOURCE_LAYOUT)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [name for name in NEW_LOCATION_FIELDS[1:] if data.get(name) not in (None, "")]
        if filled and not data.get("new_location_name"):
            self.add_error("new_location_name", _("新しい実施場所の名称を入力してください。"))
        for name, low, high in (
            ("new_location_latitude", -90, 90),
            ("new_location_longitude", -180, 180),
        ):
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name,
                    _("%(low)s〜%(high)sの範囲で入力してください。") % {"low": low, "high": high},
                )
        return data

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in NEW_LOCATION_FIELDS}

    def new_location_data(self) -> dict[str, Any] | None:
        name = (self.cleaned_data.get("new_location_name") or "").strip()
        if not name:
            return None
        return {
            "name": name,
            "address": self.cleaned_data.get("new_location_address") or "",
            "latitude": self.cleaned_data.get("new_location_latitude"),
            "longitude": self.cleaned_data.get("new_location_longitude"),
        }


TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEK_OF_MONTH_CHOICES = [("", _("毎週")), *[(n, _("第%(n)d週") % {"n": n}) for n in range(1, 6)]]


class ScheduleRowForm(forms.Form):
    """One row of a schedule formset; an untouched blank row is skipped."""

    opens_at = forms.TimeField(label=_("開始時刻"), required=False, widget=TIME_WIDGET)
    closes_at = forms.TimeField(label=_("終了時刻"), required=False, widget=TIME_WIDGET)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("終了時刻は開始時刻より後にしてください。"))
        return data


class WeeklySlotForm(ScheduleRowForm):
    weekday = forms.TypedChoiceField(
        label=_("曜日"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "---------"), *Weekday.choices],
    )
    week_of_month = forms.TypedChoiceField(
        label=_("第何週"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=WEEK_OF_MONTH_CHOICES,
    )

    field_order = ["weekday", "week_of_month", "opens_at", "closes_at"]
    key_field = "weekday"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        used = any(
            data.get(k) not in (None, "") for k in ("week_of_month", "opens_at", "closes_at")
        )
        if data.get("weekday") is None and used and not data.get("DELETE"):
            self.add_error("weekday", _("曜日を選んでください。"))
        return data


class DatedSessionForm(ScheduleRowForm):
    date = date_field(_("日付"), help_text=_("例: 令和7年5月14日、2025-05-14"))
    note = forms.CharField(label=_("備考"), required=False, max_length=200)

    field_order = ["date", "opens_at", "closes_at", "note"]
    key_field = "date"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        used = any(data.get(k) not in (None, "") for k in ("opens_at", "closes_at", "note"))
        if data.get("date") is None and used and not data.get("DELETE") and not self.errors:
            self.add_error("date", _("日付を入力してください。"))
        return data


WeeklySlotFormSet = forms.formset_factory(WeeklySlotForm, extra=2, can_delete=True)
DatedSessionFormSet = forms.formset_factory(DatedSessionForm, extra=2, can_delete=True)


def formset_rows(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The kept rows of a valid schedule formset, as dicts for the services."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or data.get(form.key_field) is None:
            continue  # an untouched or emptied row
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


def schedule_key(rows: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Comparable form of a schedule, to skip rewriting an unchanged one."""

    def value(v: Any) -> Any:
        if isinstance(v, datetime.time | datetime.date):
            return v.isoformat()
        return "" if v is None else v

    return sorted(tuple(sorted((k, value(v)) for k, v in row.items())) for row in rows)


class VerifyForm(forms.Form):
    next = forms.CharField(required=False, widget=forms.HiddenInput)
