"""The forms of the import and export pages (upload, column mapping, export) and their labels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.permissions import scope_for
from tsunagu.areas.models import Municipality
from tsunagu.directory import exporting
from tsunagu.directory.imports import columns, reading, validation

KIND_LABELS = {
    columns.KIND_ORGANISATION: gettext_lazy("団体・組織"),
    columns.KIND_PERSON: gettext_lazy("人（連絡先）"),
    columns.KIND_RESOURCE: gettext_lazy("地域資源"),
}
ON_DUPLICATE_LABELS = {
    columns.ON_DUPLICATE_SKIP: gettext_lazy("スキップする（既存の記録をそのまま残す）"),
    columns.ON_DUPLICATE_UPDATE: gettext_lazy("更新する（ファイルの内容で既存の記録を書き換える）"),
    columns.ON_DUPLICATE_KEEP_BOTH: gettext_lazy("両方残す（別の記録として登録する）"),
}
FORMAT_LABELS = {
    exporting.FORMAT_XLSX: gettext_lazy("Excel（.xlsx）"),
    exporting.FORMAT_CSV_UTF8: gettext_lazy("CSV（UTF-8 BOM付き・Excel で開けます）"),
    exporting.FORMAT_CSV_SJIS: gettext_lazy("CSV（Shift_JIS・古いソフト向け）"),
}


def _column_label(column: columns.Column, kind: str) -> str:
    model = columns.SPECS[kind].model
    try:
        return str(model._meta.get_field(column.key).verbose_name)
    except Exception:
        return column.header


# --- forms --------------------------------------------------------------------------------


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("取り込むもの"))
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("取り込み先の市町村"), queryset=Municipality.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("ファイル"),
        help_text=gettext_lazy(
            "Excel（.xlsx）または CSV（UTF-8・Shift_JIS のどちらでも）。1行目に見出しを入れてください。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt,.tsv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipalities = validation.importable_municipalities(user)
        self.fields["municipality"].queryset = municipalities
        editable = validation.importable_municipalities(user, columns.KIND_ORGANISATION)
        kinds = columns.KINDS if editable.exists() else (columns.KIND_RESOURCE,)
        self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]
        if municipalities.count() == 1:
            self.fields["municipality"].initial = municipalities.first()
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, municipality = data.get("kind"), data.get("municipality")
        if kind and municipality is not None:
            allowed = validation.importable_municipalities(self.user, kind)
            if not allowed.filter(pk=municipality.pk).exists():
                self.add_error(
                    "municipality",
                    _("%(municipality)sに%(kind)sを取り込む権限がありません。")
                    % {"municipality": municipality.name, "kind": KIND_LABELS[kind]},
                )
        upload = data.get("file")
        if upload is not None and upload.size > reading.MAX_FILE_BYTES:
            self.add_error("file", _("ファイルが大きすぎます（50 MB まで）。"))
        return data


class MappingForm(forms.Form):
    """One select per field of ours: which column of the file fills it."""

    on_duplicate = forms.ChoiceField(
        label=gettext_lazy("既にある記録と重複したとき"),
        choices=list(ON_DUPLICATE_LABELS.items()),
        initial=columns.ON_DUPLICATE_SKIP,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "同じ市町村で、名称（空白・全角半角の違いは無視）が同じで、住所または電話番号も同じものを重複とみなします。"
        ),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        headers: list[str],
        initial_mapping: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        choices = [("", _("（取り込まない）"))] + [
            (
                str(i),
                f"{columns.column_letter(i)}列: {h}" if h else f"{columns.column_letter(i)}列",
            )
            for i, h in enumerate(headers)
        ]
        for column in columns.SPECS[kind].columns:
            index = initial_mapping.get(column.key)
            help_text = column.help
            self.fields[f"col_{column.key}"] = forms.ChoiceField(
                label=_column_label(column, kind),
                choices=choices,
                required=column.required,
                initial="" if index is None else str(index),
                help_text=help_text,
                error_messages={
                    "required": _("必須の項目です。ファイルのどの列か選んでください。")
                },
            )
        # The duplicate choice comes last, after the columns.
        self.order_fields([f"col_{c.key}" for c in columns.SPECS[kind].columns] + ["on_duplicate"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        seen: dict[str, str] = {}
        for column in columns.SPECS[self.kind].columns:
            value = data.get(f"col_{column.key}")
            if not value:
                continue
            if value in seen:
                self.add_error(
                    f"col_{column.key}",
                    _("同じ列が「%(other)s」にも選ばれています。") % {"other": seen[value]},
                )
            seen[value] = str(self.fields[f"col_{column.key}"].label)
        return data

    def mapping(self) -> dict[str, str]:
        """Our field → the file's header (how it is saved and remembered)."""
        result = {}
        for column in columns.SPECS[self.kind].columns:
            value = self.cleaned_data.get(f"col_{column.key}")
            if value:
                result[column.key] = self.headers[int(value)]
        return result


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("書き出すもの"), choices=list(KIND_LABELS.items()))
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("市町村"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("閲覧できるすべて"),
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("形式"),
        choices=list(FORMAT_LABELS.items()),
        initial=exporting.FORMAT_XLSX,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Shift_JIS で表せない文字（一部の旧字体や絵文字など）は「?」になります。"
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        queryset = Municipality.objects.all()
        if not scope.is_system_admin:
            queryset = queryset.filter(pk__in=scope.municipality_ids)
        self.fields["municipality"].queryset = queryset
