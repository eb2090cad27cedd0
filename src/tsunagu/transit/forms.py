"""Forms of the feed pages: import a feed, choose a day."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.core.forms import WarekiDateField

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class FeedImportForm(forms.Form):
    file = forms.FileField(
        label=_("GTFS データ（zip ファイル）"),
        help_text=_(
            "GTFS または GTFS-JP（標準的なバス情報フォーマット）の zip ファイル。"
            "同じ市町村に同じ名前のデータがあるときは、新しいデータで置き換えます。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("市町村"),
        queryset=None,  # set in __init__
        required=False,
        empty_label=None,
    )
    name = forms.CharField(
        label=_("データ名"),
        max_length=200,
        required=False,
        help_text=_("空欄のときは事業者名を使います（例: ○○市コミュニティバス）。"),
    )
    note = forms.CharField(
        label=_("メモ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, municipalities: QuerySet[Any], allow_shared: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities  # type: ignore[attr-defined]
        if allow_shared:
            field.empty_label = _("全国共通（市町村を指定しない）")  # type: ignore[attr-defined]
        else:
            field.required = True

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（200MB まで）。"))
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(
                _("zip ファイルを選んでください（GTFS は .txt ファイルをまとめた zip です）。")
            )
        return upload


class FeedDayForm(forms.Form):
    date = WarekiDateField(label=_("日付"), required=False)

    def day(self) -> Any:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return timezone.localdate()
