"""Forms of the bodies pages: bodies, members, meetings, attendance, minutes, action items and
certification.

Forms only parse and check what was typed, with the choices limited to the body's
municipality; the views hand the cleaned values to ``tsunagu.bodies.services``, which do
every write (with history).
"""

from __future__ import annotations

import datetime
import os
import unicodedata
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.bodies.models import (
    ActionItemStatus,
    AgeBand,
    BodyKind,
    BodyStatus,
    CertificationRules,
    ConsultativeBody,
    Gender,
    MeetingStatus,
    MemberRole,
)
from tsunagu.bodies.services import (
    RULES_FIELDS,
    ActionItemFields,
    BodyFields,
    MeetingFields,
    RulesFields,
)
from tsunagu.core.forms import WarekiDateField

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
DOCUMENT_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".odt",
    ".ods",
    ".txt",
    ".csv",
}
ALLOWED_EXTENSIONS = IMAGE_EXTENSIONS | DOCUMENT_EXTENSIONS


def date_field(label: Any, *, required: bool = False, **kwargs: Any) -> WarekiDateField:
    # max_length=None: CharField's MaxLengthValidator would run on the parsed date (TypeError).
    return WarekiDateField(label=label, required=required, max_length=None, **kwargs)


class JapaneseTimeField(forms.TimeField):
    """A time typed as 14:00, １４：００, 14時 or 14時30分."""

    widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    input_formats = ["%H:%M", "%H:%M:%S", "%H時%M分", "%H時"]

    def to_python(self, value: Any) -> datetime.time | None:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)


def combine(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a time typed in Japan as an aware datetime (Asia/Tokyo)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    if name in form.fields:
        form.fields[name].queryset = queryset  # type: ignore[attr-defined]


# --- bodies ----------------------------------------------------------------------------


class BodyFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *BodyKind.choices]
    )
    area = forms.ChoiceField(label=_("区域"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *BodyStatus.choices]
    )

    def __init__(self, *args: Any, area_choices: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("すべて")), *area_choices]

    def valid_data(self) -> dict[str, str]:
        """The filters, ignoring values that are not among the choices."""
        filters: dict[str, str] = {key: "" for key in self.fields}
        if self.is_bound:
            self.is_valid()
            filters.update({key: value for key, value in self.cleaned_data.items() if value})
        return filters


class BodyForm(forms.ModelForm):
    established_on = date_field(_("設置日"))

    class Meta:
        model = ConsultativeBody
        fields = [
            "name",
            "kind",
            "layer",
            "status",
            "daily_life_area",
            "district",
            "parent",
            "host_organisation",
            "secretariat",
            "coordinator",
            "purpose",
            "meeting_frequency",
            "is_resident_led",
            "established_on",
            "source",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self,
        *args: Any,
        municipality: Any,
        organisations: QuerySet[Any],
        people: QuerySet[Any],
        parents: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "daily_life_area", municipality.daily_life_areas.all())
        _limit(self, "district", municipality.districts.all())
        _limit(self, "parent", parents)
        _limit(self, "host_organisation", organisations)
        _limit(self, "secretariat", organisations)
        _limit(self, "coordinator", people)
        self.fields["layer"].help_text = _("第1層・第2層・第3層のときだけ入力します（1〜3）。")
        self.fields["is_resident_led"].help_text = _(
            "住民が主体となって運営する会議体（認定の対象になります）。"
        )

    def service_fields(self) -> BodyFields:
        return BodyFields(**{name: self.cleaned_data.get(name) for name in self.Meta.fields})


class MemberForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("団体・組織"),
        required=False,
        queryset=None,
        help_text=_(
            "団体の代表として出る場合は団体を選びます。人だけでも、団体だけでも登録できます。"
        ),
    )
    person = forms.ModelChoiceField(label=_("人"), required=False, queryset=None)
    role = forms.ChoiceField(label=_("役割"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    district = forms.ModelChoiceField(label=_("代表する地区"), required=False, queryset=None)
    age_band = forms.ChoiceField(
        label=_("年代"), required=False, choices=[("", _("記録しない")), *AgeBand.choices]
    )
    gender = forms.ChoiceField(
        label=_("性別"), required=False, choices=[("", _("記録しない")), *Gender.choices]
    )
    starts_on = date_field(_("任期の開始"))
    ends_on = date_field(_("任期の終了"), help_text=_("空欄なら任期の終わりは未定です。"))

    def __init__(
        self,
        *args: Any,
        municipality: Any,
        organisations: QuerySet[Any],
        people: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "organisation", organisations)
        _limit(self, "person", people)
        _limit(self, "district", municipality.districts.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("organisation") and not data.get("person"):
            self.add_error("organisation", _("構成員には団体か人のどちらかを指定してください。"))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("任期の終了は開始以降の日付にしてください。"))
        return data


class MemberEndForm(forms.Form):
    ends_on = date_field(
        _("任期の終了日"),
        required=True,
        help_text=_(
            "人事異動や改選で任期を終える日。記録は削除されず、過去の構成員として残ります。"
        ),
    )


# --- meetings --------------------------------------------------------------------------


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("会議名"),
        required=False,
        max_length=200,
        help_text=_("空欄なら「会議体名と日付」で表示します。"),
    )
    day = date_field(_("開催日"), required=True)
    starts_time = JapaneseTimeField(label=_("開始時刻"), help_text=_("例: 14:00"))
    ends_time = JapaneseTimeField(label=_("終了時刻"), required=False, help_text=_("例: 15:30"))
    place = forms.CharField(label=_("場所"), required=False, max_length=200)
    agenda = forms.CharField(
        label=_("議題"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("1行に1つずつ書くと読みやすくなります。"),
    )
    status = forms.ChoiceField(
        label=_("状態"), choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_time"), data.get("ends_time")
        if starts and ends and ends <= starts:
            self.add_error("ends_time", _("終了時刻は開始時刻より後にしてください。"))
        return data

    def service_fields(self) -> MeetingFields:
        data = self.cleaned_data
        ends = data.get("ends_time")
        return MeetingFields(
            title=data["title"],
            starts_at=combine(data["day"], data["starts_time"]),
            ends_at=combine(data["day"], ends) if ends else None,
            place=data["place"],
            agenda=data["agenda"],
            status=data["status"],
        )

    @staticmethod
    def initial_for(meeting: Any) -> dict[str, Any]:
        starts = timezone.localtime(meeting.starts_at)
        ends = timezone.localtime(meeting.ends_at) if meeting.ends_at else None
        return {
            "title": meeting.title,
            "day": starts.date(),
            "starts_time": starts.time(),
            "ends_time": ends.time() if ends else None,
            "place": meeting.place,
            "agenda": meeting.agenda,
            "status": meeting.status,
        }


class MeetingSeriesForm(forms.Form):
    BY_WEEKDAY = "weekday"
    BY_DAY = "day"

    first_day = date_field(_("第1回の開催日"), required=True, help_text=_("例: 令和7年4月17日"))
    starts_time = JapaneseTimeField(label=_("開始時刻"), help_text=_("例: 14:00"))
    ends_time = JapaneseTimeField(label=_("終了時刻"), help_text=_("例: 15:30"))
    count = forms.IntegerField(
        label=_("回数"), min_value=1, max_value=36, initial=12, help_text=_("1〜36回")
    )
    pattern = forms.ChoiceField(
        label=_("繰り返し方"),
        widget=forms.RadioSelect,
        initial=BY_WEEKDAY,
        choices=[
            (BY_WEEKDAY, _("毎月同じ週の同じ曜日（例: 第3木曜日）")),
            (BY_DAY, _("毎月同じ日（例: 17日）")),
        ],
    )
    place = forms.CharField(label=_("場所"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_time"), data.get("ends_time")
        if starts and ends and ends <= starts:
            self.add_error("ends_time", _("終了時刻は開始時刻より後にしてください。"))
        first = data.get("first_day")
        # A 5th weekday or a 29th–31st does not exist every month: the series would skip months.
        if first and first.day > 28:
            if data.get("pattern") == self.BY_WEEKDAY:
                self.add_error(
                    "first_day",
                    _(
                        "第5週の曜日は月によってはありません（毎月の開催になりません）。"
                        "第1〜4週の日を選んでください。"
                    ),
                )
            else:
                self.add_error(
                    "first_day",
                    _(
                        "29日〜31日は月によってはありません（毎月の開催になりません）。"
                        "28日までの日を選ぶか、「毎月同じ週の同じ曜日」を選んでください。"
                    ),
                )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        first = combine(data["first_day"], data["starts_time"])
        return {
            "first_starts_at": first,
            "count": data["count"],
            "duration": combine(data["first_day"], data["ends_time"]) - first,
            "place": data["place"],
            "monthly_by_weekday": data["pattern"] == self.BY_WEEKDAY,
        }


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("内容（議事録）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown で書けます（見出しは「## 」、箇条書きは「- 」）。"
            "添付した画像は「![説明](/bodies/attachments/番号/)」で挿入できます。"
        ),
    )
    next_meeting_note = forms.CharField(
        label=_("次回予定"),
        required=False,
        max_length=300,
        help_text=_("例: 令和7年5月15日（木）14時から 役場2階会議室"),
    )
    mark_held = forms.BooleanField(label=_("この会議を「開催済み」にする"), required=False)


class FileUploadForm(forms.Form):
    title = forms.CharField(
        label=_("名称"), required=False, max_length=200, help_text=_("空欄ならファイル名")
    )
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("画像（PNG・JPEG・GIF・WebP）、PDF、Word・Excel・PowerPoint など。20MBまで。"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "この種類のファイル（%(ext)s）は添付できません。画像・PDF・Office文書にしてください。"
                )
                % {"ext": extension or _("拡張子なし")}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（20MBまで）。"))
        return upload


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("決定事項"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class FacilitatorForm(forms.Form):
    person = forms.ModelChoiceField(label=_("進行役"), queryset=None, required=False)

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("内容"), max_length=300)
    owner_person = forms.ModelChoiceField(label=_("担当者"), required=False, queryset=None)
    owner_organisation = forms.ModelChoiceField(
        label=_("担当団体・部署"),
        required=False,
        queryset=None,
        help_text=_("担当者か担当団体・部署の少なくとも一方を選びます。"),
    )
    due_on = date_field(_("期限"))
    status = forms.ChoiceField(
        label=_("状態"), choices=ActionItemStatus.choices, initial=ActionItemStatus.OPEN
    )
    regional_issue = forms.ModelChoiceField(
        label=_("関連する地域課題"), required=False, queryset=None
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Any],
        people: QuerySet[Any],
        issues: QuerySet[Any],
        creating: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            # A new 宿題 starts 未着手; its status changes afterwards (with the completion date).
            del self.fields["status"]
        _limit(self, "owner_person", people)
        _limit(self, "owner_organisation", organisations)
        _limit(self, "regional_issue", issues)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("owner_person") and not data.get("owner_organisation"):
            self.add_error(
                "owner_person", _("宿題の担当者（人または団体・部署）を指定してください。")
            )
        return data

    def service_fields(self, **extra: Any) -> ActionItemFields:
        return ActionItemFields(
            **{name: self.cleaned_data.get(name) for name in self.fields}, **extra
        )


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), choices=ActionItemStatus.choices)


class AttendanceForm(forms.Form):
    """Members listed with a present checkbox and the organisation they represent; guests below.

    ``rows``: dicts with ``key``, ``label``, ``person``, ``organisation`` (the default
    represented organisation) and ``present`` (the recorded value).
    """

    def __init__(
        self,
        *args: Any,
        rows: list[dict[str, Any]],
        guests: list[dict[str, Any]],
        organisations: QuerySet[Any],
        blank_guests: int = 3,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            key = row["key"]
            self.fields[f"present_{key}"] = forms.BooleanField(
                label=_("%(name)s 出席") % {"name": row["label"]},
                required=False,
                initial=row["present"],
            )
            self.fields[f"org_{key}"] = forms.ModelChoiceField(
                label=_("%(name)s が代表する団体・部署") % {"name": row["label"]},
                required=False,
                queryset=organisations,
                initial=row["organisation"].pk if row["organisation"] else None,
            )
        self.guest_count = len(guests) + blank_guests
        for index in range(self.guest_count):
            guest = guests[index] if index < len(guests) else {}
            self.fields[f"guest_{index}_name"] = forms.CharField(
                label=_("ゲスト%(n)s 氏名") % {"n": index + 1},
                required=False,
                max_length=200,
                initial=guest.get("guest_name", ""),
            )
            self.fields[f"guest_{index}_org"] = forms.ModelChoiceField(
                label=_("ゲスト%(n)s 所属") % {"n": index + 1},
                required=False,
                queryset=organisations,
                initial=guest.get("organisation"),
            )
            self.fields[f"guest_{index}_note"] = forms.CharField(
                label=_("ゲスト%(n)s 備考") % {"n": index + 1},
                required=False,
                max_length=200,
                initial=guest.get("note", ""),
            )

    def table_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "present_field": self[f"present_{row['key']}"],
                "org_field": self[f"org_{row['key']}"],
            }
            for row in self.rows
        ]

    def guest_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": index + 1,
                "name": self[f"guest_{index}_name"],
                "org": self[f"guest_{index}_org"],
                "note": self[f"guest_{index}_note"],
            }
            for index in range(self.guest_count)
        ]

    def entries(self) -> list[dict[str, Any]]:
        """What ``services.meeting_record_attendance`` expects, members first, then guests."""
        data = self.cleaned_data
        entries = []
        for row in self.rows:
            key = row["key"]
            organisation = data.get(f"org_{key}") or (
                row["organisation"] if row["person"] is None else None
            )
            entries.append(
                {
                    "person": row["person"],
                    "organisation": organisation,
                    "present": bool(data.get(f"present_{key}")),
                }
            )
        for index in range(self.guest_count):
            name = (data.get(f"guest_{index}_name") or "").strip()
            organisation = data.get(f"guest_{index}_org")
            if not name and organisation is None:
                continue
            entries.append(
                {
                    "guest_name": name,
                    "organisation": organisation,
                    "present": True,
                    "note": data.get(f"guest_{index}_note") or "",
                }
            )
        return entries


# --- certification ---------------------------------------------------------------------


class CertificationRulesForm(forms.ModelForm):
    effective_from = date_field(_("施行日"), required=True, help_text=_("例: 令和6年10月1日"))

    class Meta:
        model = CertificationRules
        fields = list(RULES_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}

    def service_fields(self) -> RulesFields:
        return RulesFields(**{name: self.cleaned_data.get(name) for name in self.Meta.fields})


class CertificationApplyForm(forms.Form):
    rules = forms.ModelChoiceField(label=_("認定要領"), queryset=None, empty_label=None)
    submitted_on = date_field(_("申請日"), help_text=_("空欄なら今日の日付になります。"))
    document_title = forms.CharField(
        label=_("書類名"),
        required=False,
        max_length=200,
        help_text=_("例: 認定申請書、構成団体名簿、活動計画書"),
    )
    document_file = forms.FileField(
        label=_("申請書類"),
        required=False,
        help_text=_("PDF・Office文書・画像、20MBまで。書類は申請後にも追加できます。"),
    )

    def __init__(self, *args: Any, rules: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rules"].queryset = rules  # type: ignore[attr-defined]

    def clean_document_file(self) -> Any:
        upload = self.cleaned_data.get("document_file")
        if upload:
            checker = FileUploadForm()
            checker.cleaned_data = {"file": upload}
            return checker.clean_file()
        return upload


class CertificationReviewForm(forms.Form):
    """A pass/fail choice for each requirement that needs a person's judgement."""

    def __init__(self, *args: Any, manual: list[tuple[str, dict[str, Any]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manual = manual
        for code, item in manual:
            stored = item.get("result")
            self.fields[f"result_{code}"] = forms.ChoiceField(
                label=item["label"],
                widget=forms.RadioSelect,
                choices=[("pass", _("適合")), ("fail", _("不適合"))],
                initial=stored if stored in ("pass", "fail") else None,
            )
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("%(label)s の確認内容") % {"label": item["label"]},
                required=False,
                max_length=300,
                initial=item.get("detail", "") if stored in ("pass", "fail") else "",
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "manual": {code: data[f"result_{code}"] == "pass" for code, _item in self.manual},
            "notes": {
                code: data.get(f"note_{code}", "")
                for code, _item in self.manual
                if data.get(f"note_{code}")
            },
        }


class CertificationDecisionForm(forms.Form):
    CERTIFY = "certify"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("決定"),
        widget=forms.RadioSelect,
        choices=[(CERTIFY, _("認定する")), (RETURN, _("差し戻す"))],
    )
    decided_on = date_field(_("決定日（認定日）"), help_text=_("空欄なら今日の日付になります。"))
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("差し戻すときは必ず、何を直せばよいかを書いてください。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("差し戻しの理由を入力してください。"))
        return data
